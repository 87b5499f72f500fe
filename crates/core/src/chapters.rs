//! Chapters written into a video description, read by YouTube's rule: a list
//! of timestamped lines whose first timestamp is 0:00, at least three of them,
//! in ascending order (`0:00 - Introduction`, `(1:02:03) Title`, `00:00 Title`).

use crate::link::parse_clock;
use crate::model::Chapter;

/// The chapters a description declares, or none when it does not follow the rule.
pub fn from_description(description: &str) -> Vec<Chapter> {
    let mut out: Vec<Chapter> = Vec::new();
    let mut last: Option<u64> = None;
    for line in description.lines() {
        let Some((ms, title)) = timestamped_line(line) else {
            continue;
        };
        match last {
            // The list starts at the first 0:00.
            None if ms != 0 => continue,
            None => {}
            // A time that does not move forward ends the list.
            Some(prev) if ms <= prev => break,
            Some(_) => {}
        }
        last = Some(ms);
        out.push(Chapter {
            title,
            start_ms: Some(ms),
            text_pos: None,
        });
    }
    if out.len() < 3 {
        out.clear();
    }
    out
}

/// `0:00 - Title`, `(1:02:03) Title`, `[00:00] Title`, `00:00 Title`.
fn timestamped_line(line: &str) -> Option<(u64, String)> {
    let mut rest = line.trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '•');
    let closer = match rest.chars().next() {
        Some('(') => Some(')'),
        Some('[') => Some(']'),
        _ => None,
    };
    if closer.is_some() {
        rest = &rest[1..];
    }
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let ms = parse_clock(&rest[..end])?;
    rest = &rest[end..];
    if let Some(c) = closer {
        rest = rest.strip_prefix(c)?;
    }
    let title = rest
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':' | '|'))
        .trim();
    (!title.is_empty()).then(|| (ms, title.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(d: &str) -> Vec<(u64, String)> {
        from_description(d)
            .into_iter()
            .map(|c| (c.start_ms.unwrap_or(u64::MAX) / 1000, c.title))
            .collect()
    }

    #[test]
    fn outline_of_a_real_description() {
        // Episode 316 (Noam Chomsky), as YouTube shows it.
        let d = "Noam Chomsky is a linguist.\n\nOUTLINE:\n0:00 - Introduction\n1:51 - Putin's motivations\n14:57 - War in Ukraine\n22:00 - Propaganda\n29:24 - China and American relations\n44:24 - Hope for humanity\n\nSOCIAL:\n- Twitter: https://twitter.com/lexfridman\n";
        let got = starts(d);
        let secs: Vec<u64> = got.iter().map(|c| c.0).collect();
        assert_eq!(secs, vec![0, 111, 897, 1320, 1764, 2664]);
        assert_eq!(got[1].1, "Putin's motivations");
    }

    #[test]
    fn the_shapes_youtube_accepts() {
        let got = starts("(0:00) Intro\n(1:02:03) Later\n(1:10:00) Last");
        assert_eq!(
            got,
            vec![
                (0, "Intro".into()),
                (3723, "Later".into()),
                (4200, "Last".into())
            ]
        );
        let got = starts("00:00 Start\n05:10 Middle\n10:00 End");
        assert_eq!(got.len(), 3);
        let got = starts("[00:00] Start\n[05:10] Middle\n[10:00] End");
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn lists_that_break_the_rule_give_nothing() {
        // Not starting at 0:00.
        assert!(from_description("0:10 A\n1:00 B\n2:00 C").is_empty());
        // Fewer than three.
        assert!(from_description("0:00 A\n1:00 B").is_empty());
        // Descending after two: the list ends there, too short.
        assert!(from_description("0:00 A\n5:00 B\n1:00 C").is_empty());
        // A time in prose, a price, a ratio.
        assert!(from_description("Meet at 10:30 today.\nScore 3:2").is_empty());
    }

    #[test]
    fn a_list_ends_where_time_goes_back() {
        let got = starts("0:00 A\n1:00 B\n2:00 C\n1:30 D\n3:00 E");
        assert_eq!(got.len(), 3);
    }
}
