//! Days and civil dates of the proleptic Gregorian calendar (Howard
//! Hinnant's algorithms), and ISO date-times as Unix seconds: what a UTC
//! date, an Arrow `date32` or `timestamp` needs.

/// Days since 1970-01-01 of year `y`, month `m` (1-12), day `d`.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The `(year, month, day)` that is `z` days after 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `unix` seconds as `YYYY-MM-DDTHH:MM:SSZ`, the form the store records times in.
pub fn iso_utc(unix: i64) -> String {
    let (days, secs) = (unix.div_euclid(86_400), unix.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Now as [`iso_utc`] writes it.
pub fn now_iso_utc() -> String {
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    iso_utc(unix)
}

/// Seconds since 1970-01-01T00:00:00Z of an ISO 8601 date or date-time:
/// `YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]` (or a space for the `T`),
/// optionally `Z` or an offset `±HH:MM` / `±HHMM` (UTC when none). Fractions of
/// a second are dropped. `None` when it is not one.
pub fn unix_seconds(iso: &str) -> Option<i64> {
    let s = iso.trim();
    let date = s.get(..10)?;
    let b = date.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |t: &str| -> Option<i64> {
        if t.is_empty() || !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    };
    let (y, m, d) = (num(&date[..4])?, num(&date[5..7])?, num(&date[8..10])?);
    if !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(days * 86_400);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    // The zone starts at the first `Z`, `+` or `-` after the time.
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(zone_at);
    let time = time.split('.').next()?;
    let mut parts = time.split(':');
    let h = num(parts.next()?)?;
    let min = num(parts.next()?)?;
    let sec = match parts.next() {
        Some(p) => num(p)?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    let offset = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let z = zone[1..].replace(':', "");
            if z.len() != 4 || !z.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let (zh, zm) = (num(&z[..2])?, num(&z[2..])?);
            if zh > 23 || zm > 59 {
                return None;
            }
            sign * (zh * 3600 + zm * 60)
        }
    };
    Some(days * 86_400 + h * 3600 + min * 60 + sec - offset)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_agree() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_661_990_399), "2022-08-31T23:59:59Z");
        assert_eq!(unix_seconds(&iso_utc(1_700_000_000)), Some(1_700_000_000));
        assert_eq!(days_from_civil(2022, 8, 31), 19_235);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for z in [-800_000, -1, 0, 59, 11_016, 19_235, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn iso_date_times_are_unix_seconds() {
        // `date -u -d 2020-04-27T15:06:40Z +%s` = 1588000000.
        assert_eq!(unix_seconds("2020-04-27T15:06:40Z"), Some(1_588_000_000));
        assert_eq!(unix_seconds("2020-04-27T15:06:40"), Some(1_588_000_000));
        assert_eq!(
            unix_seconds("2020-04-27 15:06:40.750Z"),
            Some(1_588_000_000)
        );
        assert_eq!(
            unix_seconds("2020-04-27T17:06:40+02:00"),
            Some(1_588_000_000)
        );
        assert_eq!(
            unix_seconds("2020-04-27T10:06:40-0500"),
            Some(1_588_000_000)
        );
        assert_eq!(unix_seconds("2020-04-27T15:06Z"), Some(1_588_000_000 - 40));
        assert_eq!(unix_seconds("1970-01-01"), Some(0));
        assert_eq!(unix_seconds("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(unix_seconds("2024-02-29"), Some(1_709_164_800));
        for bad in [
            "",
            "2020",
            "2020-02-30",
            "2023-02-29",
            "2020-13-01",
            "20-04-27T1",
            "2020-04-27T25:00Z",
            "2020-04-27T15:06:40+2",
            "2020-04-27X15:06",
            "soon",
            "2020-0a-01",
            "２０２０-04-27",
        ] {
            assert_eq!(unix_seconds(bad), None, "{bad}");
        }
    }
}
