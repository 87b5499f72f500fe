//! Slot bodies replaced inside a document, every other byte kept: the text
//! between the replaced lines is copied as it is, line ends included, and
//! the new lines take the document's own line end (`\n` or `\r\n`).

use std::ops::Range;

/// The byte offset where each line starts, and one past the end.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    if starts.last() != Some(&text.len()) {
        starts.push(text.len());
    }
    starts
}

/// Whether the document ends its lines with `\r\n`.
pub fn uses_crlf(text: &str) -> bool {
    text.find('\n')
        .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r')
}

/// `text` with each range of 0-based lines replaced by its new text, which
/// is written with `\n` line ends and given the document's own. Ranges must
/// not overlap; they may come in any order. A range past the end is an
/// error, not a panic.
pub fn splice(text: &str, edits: &[(Range<usize>, String)]) -> Result<String, String> {
    let starts = line_starts(text);
    let lines = starts.len() - 1;
    let mut sorted: Vec<&(Range<usize>, String)> = edits.iter().collect();
    sorted.sort_by_key(|e| e.0.start);
    let crlf = uses_crlf(text);
    let mut out =
        String::with_capacity(text.len() + edits.iter().map(|e| e.1.len()).sum::<usize>());
    let mut at = 0usize;
    for (range, new) in sorted {
        if range.start < at || range.end < range.start || range.end > lines {
            return Err(format!(
                "lines {}..{} do not fit a document of {lines} lines after line {at}",
                range.start, range.end
            ));
        }
        out.push_str(&text[starts[at]..starts[range.start]]);
        if crlf {
            out.push_str(&new.replace("\r\n", "\n").replace('\n', "\r\n"));
        } else {
            out.push_str(new);
        }
        at = range.end;
    }
    out.push_str(&text[starts[at]..]);
    Ok(out)
}

/// A unified diff of two versions of the document, as `diff -u` prints it.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, &format!("{path} (filled)"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaced_lines_and_nothing_else_change() {
        let text = "a\nb\nc\nd\n";
        assert_eq!(
            splice(text, &[(1..3, "X\nY\nZ\n".into())]).unwrap(),
            "a\nX\nY\nZ\nd\n"
        );
        // Two edits out of order, one that only inserts.
        let got = splice(text, &[(3..4, "D\n".into()), (1..1, "+\n".into())]).unwrap();
        assert_eq!(got, "a\n+\nb\nc\nD\n");
        assert_eq!(splice(text, &[]).unwrap(), text);
        // No final newline: kept as it was.
        assert_eq!(splice("a\nb", &[(0..1, "A\n".into())]).unwrap(), "A\nb");
        assert!(splice(text, &[(3..9, String::new())]).is_err());
        assert!(splice(text, &[(1..3, String::new()), (2..3, String::new())]).is_err());
    }

    #[test]
    fn crlf_documents_stay_crlf() {
        let text = "a\r\nb\r\nc\r\n";
        assert!(uses_crlf(text));
        assert_eq!(
            splice(text, &[(1..2, "X\nY\n".into())]).unwrap(),
            "a\r\nX\r\nY\r\nc\r\n"
        );
        assert!(!uses_crlf("a\nb\r\n"));
    }

    #[test]
    fn diff_shows_the_change_with_context() {
        let d = unified_diff("notes.txt", "a\nb\nc\n", "a\nB\nc\n");
        assert!(
            d.starts_with("--- notes.txt\n+++ notes.txt (filled)\n"),
            "{d}"
        );
        assert!(
            d.contains("-b\n+B\n") && d.contains(" a\n") && d.contains(" c\n"),
            "{d}"
        );
    }
}
