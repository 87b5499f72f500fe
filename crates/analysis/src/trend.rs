//! Trends over time, as the Ngram Viewer draws them: per term and period
//! (year or month of publication), its count, the tokens of the episodes
//! published then, and occurrences per million tokens.

use crate::corpus::Corpus;
use crate::dispersion::{match_starts, Find};
use serde::Serialize;
use std::collections::BTreeMap;

/// How episodes are grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// `YYYY`.
    Year,
    /// `YYYY-MM`.
    Month,
}

impl By {
    /// Parses `year` or `month`.
    pub fn parse(s: &str) -> Option<By> {
        match s {
            "year" => Some(By::Year),
            "month" => Some(By::Month),
            _ => None,
        }
    }
}

/// The period of an ISO publication date (`YYYY-MM-DD`, possibly with a
/// time after it): `YYYY` or `YYYY-MM`; `None` when it is no such date.
pub fn period(published: &str, by: By) -> Option<String> {
    let b = published.trim().as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if !digits(0..4) || b.get(4).is_some_and(|&c| c != b'-') {
        return None;
    }
    let year = published.trim().get(..4)?;
    match by {
        By::Year => Some(year.to_string()),
        By::Month => {
            if b.get(4) != Some(&b'-') || !digits(5..7) || b.get(7).is_some_and(u8::is_ascii_digit)
            {
                return None;
            }
            let month = published.trim().get(5..7)?;
            matches!(month.parse::<u8>(), Ok(1..=12)).then(|| format!("{year}-{month}"))
        }
    }
}

/// One term in one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendRow {
    /// The term as given.
    pub term: String,
    /// `YYYY` or `YYYY-MM`.
    pub period: String,
    /// Matches of the term in the period's episodes.
    pub count: u64,
    /// All tokens of the period's episodes.
    pub tokens: u64,
    /// `count / tokens * 1e6`.
    pub per_million: f64,
}

/// A term's matches per document, parallel to the documents given to [`trend`].
#[derive(Debug, Clone)]
pub struct TermCounts<'a> {
    /// The term as given.
    pub term: &'a str,
    /// Matches in each document.
    pub per_doc: &'a [u64],
}

/// The rows of a trend, and the documents left out for want of a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    /// Per term (in the order given), every period holding a dated episode,
    /// oldest first; a term absent from a period has a row with count 0.
    pub rows: Vec<TrendRow>,
    /// Names of the documents without a usable date.
    pub undated: Vec<String>,
}

/// Counts of each term per period over `docs` (indexes into `corpus.docs`).
pub fn trend(corpus: &Corpus, docs: &[usize], by: By, terms: &[TermCounts<'_>]) -> Trend {
    // Period of each document, and the tokens of each period.
    let mut tokens: BTreeMap<String, u64> = BTreeMap::new();
    let mut undated = Vec::new();
    let periods: Vec<Option<String>> = docs
        .iter()
        .map(|&d| {
            let doc = corpus.docs.get(d)?;
            let p = doc.published.as_deref().and_then(|p| period(p, by));
            match &p {
                Some(p) => *tokens.entry(p.clone()).or_default() += doc.tokens.len() as u64,
                None => undated.push(doc.name.clone()),
            }
            p
        })
        .collect();
    let mut rows = Vec::new();
    for t in terms {
        let mut counts: BTreeMap<&str, u64> = tokens.keys().map(|k| (k.as_str(), 0)).collect();
        for (p, &c) in periods.iter().zip(t.per_doc) {
            if let Some(n) = p.as_deref().and_then(|p| counts.get_mut(p)) {
                *n += c;
            }
        }
        for (p, count) in counts {
            let tok = tokens.get(p).copied().unwrap_or(0);
            rows.push(TrendRow {
                term: t.term.to_string(),
                period: p.to_string(),
                count,
                tokens: tok,
                per_million: if tok > 0 {
                    count as f64 / tok as f64 * 1e6
                } else {
                    0.0
                },
            });
        }
    }
    Trend { rows, undated }
}

/// [`trend`] of patterns: each term with its pattern's `find`, matched over
/// `docs` as [`match_starts`] does.
pub fn trend_of(corpus: &Corpus, docs: &[usize], by: By, terms: &[(&str, &Find<'_>)]) -> Trend {
    let counts: Vec<Vec<u64>> = terms
        .iter()
        .map(|(_, find)| {
            match_starts(corpus, docs, *find)
                .iter()
                .map(|s| s.len() as u64)
                .collect()
        })
        .collect();
    let terms: Vec<TermCounts> = terms
        .iter()
        .zip(&counts)
        .map(|((term, _), per_doc)| TermCounts { term, per_doc })
        .collect();
    trend(corpus, docs, by, &terms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Doc;

    #[test]
    fn dates_fall_into_years_and_months() {
        assert_eq!(period("2019-11-12", By::Year).as_deref(), Some("2019"));
        assert_eq!(period("2019-11-12", By::Month).as_deref(), Some("2019-11"));
        assert_eq!(
            period("2019-03-01T17:35:22+00:00", By::Month).as_deref(),
            Some("2019-03")
        );
        assert_eq!(period("2019", By::Year).as_deref(), Some("2019"));
        assert_eq!(period("2019", By::Month), None);
        assert_eq!(period("2019-13-01", By::Month), None);
        assert_eq!(period("2019-1-01", By::Month), None);
        assert_eq!(period("soon", By::Year), None);
        assert_eq!(period("20190", By::Year), None);
        assert_eq!(period("", By::Year), None);
    }

    #[test]
    fn counts_and_tokens_per_period() {
        let mut c = Corpus::default();
        for (name, date, text) in [
            ("a/1", Some("2019-01-05"), "love is love"),
            ("a/2", Some("2019-06-01"), "no"),
            ("a/3", Some("2020-02-02"), "love me"),
            ("a/4", None, "love love love"),
        ] {
            c.begin(Doc {
                name: name.into(),
                published: date.map(str::to_string),
                ..Doc::default()
            });
            c.segment(None, None, text, 0);
        }
        let love = [2, 0, 1, 3];
        let no = [0, 1, 0, 0];
        let terms = [
            TermCounts {
                term: "love",
                per_doc: &love,
            },
            TermCounts {
                term: "no",
                per_doc: &no,
            },
        ];
        let t = trend(&c, &[0, 1, 2, 3], By::Year, &terms);
        assert_eq!(t.undated, ["a/4"]);
        let got: Vec<(&str, &str, u64, u64)> = t
            .rows
            .iter()
            .map(|r| (r.term.as_str(), r.period.as_str(), r.count, r.tokens))
            .collect();
        assert_eq!(
            got,
            [
                ("love", "2019", 2, 4),
                ("love", "2020", 1, 2),
                ("no", "2019", 1, 4),
                ("no", "2020", 0, 2)
            ]
        );
        assert_eq!(t.rows[0].per_million, 500_000.0);
        let m = trend(&c, &[0, 1, 2], By::Month, &terms[..1]);
        let periods: Vec<&str> = m.rows.iter().map(|r| r.period.as_str()).collect();
        assert_eq!(periods, ["2019-01", "2019-06", "2020-02"]);
        assert!(m.undated.is_empty());
    }
}
