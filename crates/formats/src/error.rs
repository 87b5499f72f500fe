//! The error every reader returns: what is wrong and where.

/// A malformed input, located by line (1-based) or byte offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", location(*.line, *.byte))]
pub struct ParseError {
    /// 1-based line number, when the reader counts lines.
    pub line: Option<usize>,
    /// Byte offset, when lines mean nothing (JSON, binary).
    pub byte: Option<usize>,
    /// What is wrong, in words for the user.
    pub message: String,
}

impl ParseError {
    /// An error at a 1-based line.
    pub fn at_line(line: usize, message: impl Into<String>) -> Self {
        ParseError {
            line: Some(line),
            byte: None,
            message: message.into(),
        }
    }

    /// An error at a byte offset.
    pub fn at_byte(byte: usize, message: impl Into<String>) -> Self {
        ParseError {
            line: None,
            byte: Some(byte),
            message: message.into(),
        }
    }

    /// An error about the whole input.
    pub fn whole(message: impl Into<String>) -> Self {
        ParseError {
            line: None,
            byte: None,
            message: message.into(),
        }
    }
}

fn location(line: Option<usize>, byte: Option<usize>) -> String {
    match (line, byte) {
        (Some(l), _) => format!("line {l}: "),
        (None, Some(b)) => format!("byte {b}: "),
        (None, None) => String::new(),
    }
}
