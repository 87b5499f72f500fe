//! Subtitle timestamps: `HH:MM:SS.mmm`, `MM:SS.mmm` (WebVTT) and
//! `HH:MM:SS,mmm` (SRT), to milliseconds.

/// Parses `[H+:]MM:SS(.|,)mmm` into milliseconds; `None` when malformed.
/// Fewer than three fraction digits are read as a decimal fraction.
pub fn parse_ms(s: &str) -> Option<u64> {
    let s = s.trim();
    let (clock, frac) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let mut parts = clock.rsplit(':');
    let secs: u64 = digits(parts.next()?)?;
    let mins: u64 = digits(parts.next()?)?;
    let hours: u64 = match parts.next() {
        Some(h) => digits(h)?,
        None => 0,
    };
    if parts.next().is_some() || secs >= 60 || mins >= 60 || frac.len() > 3 {
        return None;
    }
    let ms = if frac.is_empty() {
        0
    } else {
        let f: u64 = digits(frac)?;
        f * 10u64.pow(3 - frac.len() as u32)
    };
    hours
        .checked_mul(3_600_000)?
        .checked_add(mins * 60_000 + secs * 1000 + ms)
}

fn digits(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

pub use podcorpus_core::link::hms;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_vtt_and_srt_times() {
        assert_eq!(parse_ms("00:04.200"), Some(4200));
        assert_eq!(parse_ms("01:02:03.004"), Some(3_723_004));
        assert_eq!(parse_ms("00:00:01,5"), Some(1500));
        assert_eq!(parse_ms("1:61.000"), None);
        assert_eq!(parse_ms("aa:bb"), None);
        assert_eq!(hms(3_723_004), "01:02:03");
    }
}
