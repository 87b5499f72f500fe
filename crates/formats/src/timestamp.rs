//! Subtitle timestamps: `HH:MM:SS.mmm`, `MM:SS.mmm` (WebVTT) and
//! `HH:MM:SS,mmm` (SRT), to milliseconds.

/// Parses `[H+:]MM:SS(.|,)mmm` into milliseconds; `None` when malformed.
/// Fewer than three fraction digits are read as a decimal fraction.
///
/// Byte by byte: every cue of every import has two of these.
pub fn parse_ms(s: &str) -> Option<u64> {
    let b = podcorpus_core::text::trim(s).as_bytes();
    let (clock, frac) = match memchr::memchr2(b'.', b',', b) {
        Some(i) => (&b[..i], &b[i + 1..]),
        None => (b, &b[..0]),
    };
    // Seconds, minutes, hours: the clock's fields from the right.
    let mut fields = [0u64; 3];
    let mut n = 0;
    for part in clock.rsplit(|&c| c == b':') {
        *fields.get_mut(n)? = digits(part)?;
        n += 1;
    }
    let [secs, mins, hours] = fields;
    if n < 2 || secs >= 60 || mins >= 60 || frac.len() > 3 {
        return None;
    }
    let ms = if frac.is_empty() {
        0
    } else {
        digits(frac)? * 10u64.pow(3 - frac.len() as u32)
    };
    hours
        .checked_mul(3_600_000)?
        .checked_add(mins * 60_000 + secs * 1000 + ms)
}

/// A field of 1 to 10 ASCII digits.
fn digits(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 10 {
        return None;
    }
    s.iter().try_fold(0u64, |v, &c| {
        c.is_ascii_digit().then(|| v * 10 + u64::from(c - b'0'))
    })
}

pub use podcorpus_core::link::hms;

#[cfg(test)]
mod tests {
    use super::*;

    /// The reading before it went byte by byte, kept as the reference.
    fn parse_ms_by_str(s: &str) -> Option<u64> {
        let s = s.trim();
        let (clock, frac) = match s.find(['.', ',']) {
            Some(i) => (&s[..i], &s[i + 1..]),
            None => (s, ""),
        };
        let field = |s: &str| -> Option<u64> {
            if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        };
        let mut parts = clock.rsplit(':');
        let secs = field(parts.next()?)?;
        let mins = field(parts.next()?)?;
        let hours = match parts.next() {
            Some(h) => field(h)?,
            None => 0,
        };
        if parts.next().is_some() || secs >= 60 || mins >= 60 || frac.len() > 3 {
            return None;
        }
        let ms = if frac.is_empty() {
            0
        } else {
            field(frac)? * 10u64.pow(3 - frac.len() as u32)
        };
        hours
            .checked_mul(3_600_000)?
            .checked_add(mins * 60_000 + secs * 1000 + ms)
    }

    #[test]
    fn reads_every_string_as_the_str_reading_did() {
        let alphabet: Vec<char> = "0123456789:.,:0.5 \u{a0}\u{2003}x-".chars().collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut read = 0;
        for _ in 0..200_000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 16) as usize;
            let mut r = seed;
            for _ in 0..len {
                r = r.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                s.push(alphabet[(r >> 33) as usize % alphabet.len()]);
            }
            let ms = parse_ms(&s);
            assert_eq!(ms, parse_ms_by_str(&s), "{s:?}");
            read += usize::from(ms.is_some());
        }
        // Enough of the strings are timestamps for the comparison to mean something.
        assert!(read > 1_000, "{read}");
    }

    #[test]
    fn parses_vtt_and_srt_times() {
        assert_eq!(parse_ms("00:04.200"), Some(4200));
        assert_eq!(parse_ms("01:02:03.004"), Some(3_723_004));
        assert_eq!(parse_ms("00:00:01,5"), Some(1500));
        assert_eq!(parse_ms("1:61.000"), None);
        assert_eq!(parse_ms("aa:bb"), None);
        assert_eq!(parse_ms(" \u{a0}00:04.200\u{2003}"), Some(4200));
        assert_eq!(parse_ms("1:2:3:04.000"), None);
        assert_eq!(parse_ms("04.000"), None);
        assert_eq!(parse_ms("00:04.2000"), None);
        assert_eq!(parse_ms("00:04."), Some(4000));
        assert_eq!(parse_ms("00:04.2.1"), None);
        assert_eq!(parse_ms("99999999999:00:00.000"), None);
        assert_eq!(
            parse_ms("9999999999:00:00.000"),
            Some(35_999_999_996_400_000)
        );
        assert_eq!(parse_ms("00:+4.000"), None);
        assert_eq!(parse_ms("00:04,5"), Some(4500));
        assert_eq!(hms(3_723_004), "01:02:03");
    }
}
