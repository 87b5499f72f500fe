//! The two request headers the web reader decides by, read as plain text so
//! that they can be fuzzed without a server: `Accept-Encoding` (which
//! content coding to send) and `If-None-Match` (whether the client's copy is
//! current), as RFC 9110 defines them.

/// A content coding the reader sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// Brotli (`br`).
    Brotli,
    /// gzip (`gzip`, or its old name `x-gzip`).
    Gzip,
    /// As rendered.
    Identity,
}

impl Coding {
    /// The `Content-Encoding` token, `None` for identity.
    pub fn token(self) -> Option<&'static str> {
        match self {
            Coding::Brotli => Some("br"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }
}

/// The coding to send a client whose `Accept-Encoding` header lines are
/// `values`: the one it weighs highest, brotli before gzip when equal (it is
/// smaller), identity when it takes neither. A weight of `q=0` refuses a
/// coding; a weight that is not a number in 0–1 counts as 1, as most servers
/// read it. Codings the reader does not make (`deflate`, `zstd`, `*`) are
/// passed over.
pub fn negotiate<'a>(values: impl IntoIterator<Item = &'a str>) -> Coding {
    let mut best = (0.0f32, Coding::Identity);
    for item in values.into_iter().flat_map(|v| v.split(',')) {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let coding = if name.eq_ignore_ascii_case("br") {
            Coding::Brotli
        } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            Coding::Gzip
        } else {
            continue;
        };
        let q = parts
            .filter_map(|p| {
                let p = p.trim();
                p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="))
            })
            .find_map(|q| q.trim().parse::<f32>().ok())
            .filter(|q| (0.0..=1.0).contains(q))
            .unwrap_or(1.0);
        let better = q > best.0 || (q == best.0 && coding == Coding::Brotli);
        if q > 0.0 && better {
            best = (q, coding);
        }
    }
    best.1
}

/// Whether the `If-None-Match` header lines `values` name `etag`, by the
/// weak comparison RFC 9110 asks for this header (`W/` is ignored on both
/// sides), or are `*`.
pub fn none_match<'a>(values: impl IntoIterator<Item = &'a str>, etag: &str) -> bool {
    let bare = |t: &'a str| t.trim().trim_start_matches("W/");
    let want = etag.trim().trim_start_matches("W/");
    values
        .into_iter()
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == want)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_as_the_client_weighs_codings() {
        assert_eq!(negotiate(["gzip, deflate, br"]), Coding::Brotli);
        assert_eq!(negotiate(["gzip"]), Coding::Gzip);
        assert_eq!(negotiate(["deflate", "x-gzip"]), Coding::Gzip);
        assert_eq!(negotiate(["br;q=0.5, gzip;q=0.8"]), Coding::Gzip);
        assert_eq!(negotiate(["BR ; Q=0.9, gzip;q=0.8"]), Coding::Brotli);
        assert_eq!(negotiate(["br;q=0, gzip;q=0"]), Coding::Identity);
        assert_eq!(negotiate(["br;q=7, gzip;q=0.5"]), Coding::Brotli);
        assert_eq!(negotiate(["br;q=NaN, gzip;q=0.5"]), Coding::Brotli);
        assert_eq!(negotiate(["zstd, *"]), Coding::Identity);
        assert_eq!(negotiate([]), Coding::Identity);
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_lists() {
        assert!(none_match(["\"a-1\", W/\"b-2\""], "W/\"b-2\""));
        assert!(none_match(["\"a-1\", W/\"b-2\""], "W/\"a-1\""));
        assert!(!none_match(["\"a-1\", W/\"b-2\""], "W/\"b-3\""));
        assert!(none_match(["\"x\"", "*"], "W/\"c-9\""));
        assert!(!none_match([], "W/\"c-9\""));
    }
}
