//! The values metadata tables write in their cells, read the way the common
//! sources write them: dates and date-times (yt-dlp's `YYYYMMDD`, ISO, with
//! zones), durations (seconds, `H:MM:SS`, pandas' `0 days 00:47:12`, ISO
//! `PT1H2M3S`), episode numbers (`1.0` too) and lists of tags or names.

use podcorpus_core::calendar::{civil_from_days, days_from_civil};

/// An ISO `YYYY-MM-DD` date from `2018-04-19`, `20180419`, `2018.04.19`,
/// `2018-04-19 14:11:52`, `2018-04-19T14:11:52Z` or with a zone such as
/// `+00:00` / `-0500`. A date-time with a zone gives its UTC date; without
/// one, the date as written.
pub fn date(s: &str) -> Result<String, String> {
    let s = s.trim();
    let bad = || format!("{s:?} is not a date (write YYYY-MM-DD, YYYYMMDD or an ISO date-time)");
    let b = s.as_bytes();
    let (y, m, d, rest) = if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) {
        (&s[0..4], &s[4..6], &s[6..8], &s[8..])
    } else if b.len() >= 10
        && matches!(b[4], b'-' | b'.' | b'/')
        && b[7] == b[4]
        && s.is_char_boundary(10)
    {
        (&s[0..4], &s[5..7], &s[8..10], &s[10..])
    } else {
        return Err(bad());
    };
    let num = |p: &str| -> Result<i64, String> {
        if p.bytes().all(|c| c.is_ascii_digit()) {
            p.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, m, d) = (num(y)?, num(m)?, num(d)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return Err(bad());
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok(iso(y, m, d));
    }
    // A time, then maybe a zone.
    let rest = rest.strip_prefix(['T', 't']).unwrap_or(rest).trim_start();
    let time_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (time, zone) = rest.split_at(time_end);
    let mut parts = time.split(':');
    let hour: i64 = parts.next().and_then(|h| h.parse().ok()).ok_or_else(bad)?;
    let minute: i64 = parts.next().and_then(|h| h.parse().ok()).unwrap_or(0);
    if hour > 24 || minute > 59 {
        return Err(bad());
    }
    let zone = zone.trim();
    let offset_minutes: i64 = match zone {
        "" => return Ok(iso(y, m, d)),
        "Z" | "z" | "UTC" | "GMT" => 0,
        _ => {
            let sign = match zone.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(bad()),
            };
            let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            let h: i64 = digits[..2].parse().map_err(|_| bad())?;
            let mi: i64 = digits[2..].parse().map_err(|_| bad())?;
            sign * (h * 60 + mi)
        }
    };
    let local = hour * 60 + minute;
    let utc = local - offset_minutes;
    let day_shift = utc.div_euclid(24 * 60);
    let (y, m, d) = civil_from_days(days_from_civil(y, m, d) + day_shift);
    Ok(iso(y, m, d))
}

fn iso(y: i64, m: i64, d: i64) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A length in milliseconds from seconds (`2734`, `2734.5`), a clock
/// (`45:34`, `1:02:03`), pandas' `0 days 00:47:12` or ISO 8601 `PT1H2M3S`.
pub fn duration_ms(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let bad = || format!("{s:?} is not a duration (seconds, H:MM:SS or `0 days 00:47:12`)");
    if let Ok(secs) = s.parse::<f64>() {
        return seconds_ms(secs).ok_or_else(bad);
    }
    if let Some(iso) = s.strip_prefix("PT").or_else(|| s.strip_prefix("pt")) {
        let mut total = 0.0;
        let mut num = String::new();
        for c in iso.chars() {
            match c.to_ascii_uppercase() {
                '0'..='9' | '.' => num.push(c),
                u @ ('H' | 'M' | 'S') => {
                    let v: f64 = num.parse().map_err(|_| bad())?;
                    total += v * match u {
                        'H' => 3600.0,
                        'M' => 60.0,
                        _ => 1.0,
                    };
                    num.clear();
                }
                _ => return Err(bad()),
            }
        }
        return if num.is_empty() {
            seconds_ms(total).ok_or_else(bad)
        } else {
            Err(bad())
        };
    }
    let (days, clock) = match s.split_once(" days ").or_else(|| s.split_once(" day ")) {
        Some((d, c)) => (d.trim().parse::<f64>().map_err(|_| bad())?, c.trim()),
        None => (0.0, s),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let mut secs = 0.0;
    for (i, p) in parts.iter().enumerate() {
        let v: f64 = p.parse().map_err(|_| bad())?;
        if v < 0.0 || (i > 0 && v >= 60.0) {
            return Err(bad());
        }
        secs = secs * 60.0 + v;
    }
    seconds_ms(days * 86_400.0 + secs).ok_or_else(bad)
}

/// Seconds (floats or integers) to whole milliseconds; `None` for negative
/// or absurd values.
pub fn seconds_ms(secs: f64) -> Option<u64> {
    // a thousand years: far past any video, far below u64's milliseconds
    (secs.is_finite() && (0.0..3.2e10).contains(&secs)).then(|| (secs * 1000.0).round() as u64)
}

/// An episode number from `316` or `316.0`.
pub fn number(s: &str) -> Result<u32, String> {
    let s = s.trim();
    let bad = || format!("{s:?} is not an episode number");
    if let Ok(n) = s.parse::<u32>() {
        return Ok(n);
    }
    let f: f64 = s.parse().map_err(|_| bad())?;
    (f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f))
        .then_some(f as u32)
        .ok_or_else(bad)
}

/// A list from a JSON array (`["a", "b"]`), a Python list (`['a', "b's"]`)
/// or text separated by `|`, `;` or `,`.
pub fn list(s: &str) -> Vec<String> {
    let s = s.trim();
    if s.is_empty() || s == "[]" {
        return Vec::new();
    }
    if s.starts_with('[') {
        if let Ok(v) = serde_json::from_str::<Vec<String>>(s) {
            return clean(v);
        }
        if let Some(v) = python_list(s) {
            return clean(v);
        }
    }
    let sep = [';', '|', ','].into_iter().find(|c| s.contains(*c));
    match sep {
        Some(c) => clean(s.split(c).map(str::to_string).collect()),
        None => vec![s.to_string()],
    }
}

fn clean(v: Vec<String>) -> Vec<String> {
    v.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// `['a', "b's", 'c\'d']` as written by Python's `repr` of a list of strings.
fn python_list(s: &str) -> Option<Vec<String>> {
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        let Some(q) = chars.next() else { break };
        if q != '\'' && q != '"' {
            return None;
        }
        let mut item = String::new();
        loop {
            match chars.next()? {
                '\\' => item.push(chars.next()?),
                c if c == q => break,
                c => item.push(c),
            }
        }
        out.push(item);
    }
    Some(out)
}

/// Guest names from one cell: `A and B`, `A, B & C`, `A; B`.
pub fn names(s: &str) -> Vec<String> {
    let v = list(s);
    v.iter()
        .flat_map(|n| n.split(" & "))
        .flat_map(|n| n.split(" and "))
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_the_real_tables_write_them() {
        // lex-fridman-podcast-episodes.csv: UTC date-times with a zone.
        assert_eq!(
            date("2018-04-19 14:11:52+00:00").as_deref(),
            Ok("2018-04-19")
        );
        // lexitalk: local midnight, no zone.
        assert_eq!(date("2024-01-17 00:00:00").as_deref(), Ok("2024-01-17"));
        assert_eq!(date("20140508").as_deref(), Ok("2014-05-08"));
        assert_eq!(date("2014.05.08").as_deref(), Ok("2014-05-08"));
        // A zone moves the date: 23:30 in New York is the next day in UTC.
        assert_eq!(
            date("2020-12-31T23:30:00-05:00").as_deref(),
            Ok("2021-01-01")
        );
        assert_eq!(
            date("2021-03-01T01:00:00+0200").as_deref(),
            Ok("2021-02-28")
        );
        assert_eq!(date("2020-02-29T10:00:00Z").as_deref(), Ok("2020-02-29"));
        for bad in [
            "2019-02-29",
            "yesterday",
            "2019-13-01",
            "12/31/2020",
            "2020-01-01 10:00 EST",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_in_every_shape() {
        assert_eq!(duration_ms("0 days 00:47:12"), Ok(2_832_000));
        assert_eq!(duration_ms("4978"), Ok(4_978_000));
        assert_eq!(duration_ms("1:02:03"), Ok(3_723_000));
        assert_eq!(duration_ms("PT1H2M3S"), Ok(3_723_000));
        assert_eq!(duration_ms("2734.5"), Ok(2_734_500));
        assert!(duration_ms("-5").is_err());
        assert!(duration_ms("1:75").is_err());
        assert!(duration_ms("long").is_err());
    }

    #[test]
    fn numbers_and_lists() {
        assert_eq!(number("1.0"), Ok(1));
        assert_eq!(number(" 316 "), Ok(316));
        assert!(number("1.5").is_err());
        assert_eq!(
            list("['Ed Barnhart', \"lex ai\", 'it\\'s']"),
            vec!["Ed Barnhart", "lex ai", "it's"]
        );
        assert_eq!(list(r#"["a","b"]"#), vec!["a", "b"]);
        assert_eq!(list("a, b ,c"), vec!["a", "b", "c"]);
        assert_eq!(
            names("Georges St-Pierre, John Danaher & Gordon Ryan"),
            vec!["Georges St-Pierre", "John Danaher", "Gordon Ryan"]
        );
        assert_eq!(names("Charles Isbell and Michael Littman").len(), 2);
    }
}
