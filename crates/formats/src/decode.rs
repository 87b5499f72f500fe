//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, and a
//! best-effort Windows-1252 (a superset of Latin-1) for older files; binary
//! files are refused rather than imported as garbage.

use crate::ParseError;
use std::borrow::Cow;

/// How the bytes were decoded, so the caller can warn about a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, BOM or not.
    Utf8,
    /// UTF-16 little or big endian, from its BOM.
    Utf16,
    /// Not UTF-8; read as Windows-1252.
    Latin1,
}

/// Decodes a file's bytes into text, dropping a BOM.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), ParseError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest).map(|t| (t, Encoding::Utf8));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            return Err(ParseError::whole(
                "the file starts with a UTF-16 byte order mark but is not valid UTF-16",
            ));
        }
        return Ok((Cow::Owned(text.into_owned()), Encoding::Utf16));
    }
    if let Some(pos) = memchr::memchr(0, &bytes[..bytes.len().min(8192)]) {
        return Err(ParseError::at_byte(
            pos,
            "this looks like a binary file (it contains NUL bytes), not text; check that it is a transcript",
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok((Cow::Borrowed(t), Encoding::Utf8)),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok((Cow::Owned(text.into_owned()), Encoding::Latin1))
        }
    }
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>, ParseError> {
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
        ParseError::at_byte(
            e.valid_up_to() + 3,
            "the file has a UTF-8 byte order mark but is not valid UTF-8",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_latin1() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFWEBVTT").unwrap(),
            (Cow::Borrowed("WEBVTT"), Encoding::Utf8)
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("héllo".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16).unwrap().0, "héllo");
        assert_eq!(
            decode(b"caf\xe9").unwrap(),
            (Cow::Owned("café".to_string()), Encoding::Latin1)
        );
        assert_eq!(decode(b"\x00\x01binary").unwrap_err().byte, Some(0));
    }
}
