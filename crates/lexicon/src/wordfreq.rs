//! wordfreq's `large_en` word list (wordfreq 3.1.1, `wordfreq/data/large_en.msgpack.gz`),
//! read from the installed package: each word's rank and frequency exactly
//! as Python's `wordfreq.top_n_list('en', n, wordlist='large')` and
//! `get_frequency_dict('en', 'large')` give them.
//!
//! The file is a gzip'd msgpack "cBpack": a list whose first item is a header
//! map (`{"format": "cB", "version": 1}`) and whose item `i + 1` is the list
//! of words of frequency 10^(−i/100), i.e. −i centibels, each list in
//! alphabetical order. The rank of a word is its place in the concatenation
//! of those lists, leaving out, as `top_n_list` does, the words that begin
//! with a run of digits (wordfreq estimates numbers otherwise and does not
//! rank them): they keep a frequency but have no rank.
//!
//! The file is input: anything it holds gives an error that names it, never
//! a panic, and no length it declares is allocated before the bytes for it
//! are there.

use crate::locate::{package_file, PackageFile};
use crate::{LexiconError, Result};
use rmp::Marker;
use rustc_hash::FxHashMap;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Where wordfreq's large English list is found.
pub const LARGE_EN: PackageFile = PackageFile {
    package: "wordfreq",
    version: "3.1.1",
    module: "wordfreq",
    file: "data/large_en.msgpack.gz",
    env: "PODCORPUS_WORDFREQ",
    // The data file is all podcorpus reads; wordfreq's own dependencies
    // (regex, langcodes, ftfy, msgpack) are only for Python callers.
    no_deps: true,
};

/// The most a cBpack may hold once decompressed (the real `large_en` is
/// about 3 MB): a bound against a gzip bomb passed off as the file.
const MAX_UNPACKED: u64 = 256 << 20;

/// One word of the list.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// 1-based rank in `top_n_list` order; 0 for a word it leaves out.
    rank: u32,
    /// Its bin: the frequency is 10^(−cb/100).
    cb: u32,
}

/// A word list: ranks and frequencies by word.
#[derive(Debug, Clone, Default)]
pub struct WordFreq {
    entries: FxHashMap<Box<str>, Entry>,
    /// The ranked words in rank order (`top_n_list` with n = everything).
    ranked: Vec<Box<str>>,
    /// The largest centibel value of a non-empty bin (the rarest words).
    last_cb: u32,
}

impl WordFreq {
    /// Reads wordfreq's `large_en` from `$PODCORPUS_WORDFREQ` or the
    /// installed package.
    pub fn large_en() -> Result<WordFreq> {
        WordFreq::read(&package_file(&LARGE_EN)?)
    }

    /// Reads a cBpack file (gzip'd msgpack).
    pub fn read(path: &Path) -> Result<WordFreq> {
        let bad = |message: String| LexiconError::Bad {
            path: path.to_path_buf(),
            message,
        };
        let file = std::fs::File::open(path).map_err(|e| bad(format!("cannot open: {e}")))?;
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(file)
            .take(MAX_UNPACKED + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| bad(format!("not a gzip file wordfreq wrote: {e}")))?;
        if bytes.len() as u64 > MAX_UNPACKED {
            return Err(bad(format!(
                "more than {MAX_UNPACKED} bytes once decompressed: not a word list"
            )));
        }
        WordFreq::from_msgpack(&bytes).map_err(bad)
    }

    /// Parses the decompressed msgpack of a cBpack; the error says what is
    /// wrong and at which byte.
    pub fn from_msgpack(bytes: &[u8]) -> std::result::Result<WordFreq, String> {
        let mut rd = Reader {
            all: bytes,
            rest: bytes,
        };
        let items = rd.array_len("the list of bins")?;
        if items == 0 {
            return Err("an empty list: no header".into());
        }
        rd.header()?;
        let mut out = WordFreq::default();
        for cb in 0..items - 1 {
            let n = rd.array_len("a bin (a list of words)")?;
            for _ in 0..n {
                let word = rd.str("a word")?;
                let ranked = !starts_with_digit_run(word);
                // As Python's dict: the last bin a word is in gives its
                // frequency; its rank is its first place in the list.
                let e = out
                    .entries
                    .entry(word.into())
                    .or_insert(Entry { rank: 0, cb });
                e.cb = cb;
                if ranked && e.rank == 0 {
                    out.ranked.push(word.into());
                    e.rank = out.ranked.len() as u32;
                }
            }
            if n > 0 {
                out.last_cb = cb;
            }
        }
        if !rd.rest.is_empty() {
            return Err(format!(
                "{} bytes after the list, at byte {}",
                rd.rest.len(),
                rd.at()
            ));
        }
        if out.ranked.is_empty() {
            return Err("no words in it".into());
        }
        Ok(out)
    }

    /// The 1-based rank of `word` (lowercase, as the list spells it) in
    /// `top_n_list` order, if the list ranks it.
    pub fn rank(&self, word: &str) -> Option<u32> {
        self.entries.get(word).map(|e| e.rank).filter(|&r| r > 0)
    }

    /// The frequency of `word` in the list (10^(−cB/100)), as Python's
    /// `get_frequency_dict` has it, if listed (ranked or not).
    pub fn frequency(&self, word: &str) -> Option<f64> {
        self.entries.get(word).map(|e| cb_to_freq(e.cb))
    }

    /// The ranked words, most frequent first (`top_n_list` of all of them).
    pub fn ranked(&self) -> &[Box<str>] {
        &self.ranked
    }

    /// The number of words listed (ranked or not).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the list is empty (never, once read).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The frequency given to a word the list lacks: half that of its rarest
    /// bin, so that an unlisted word counts as rarer than any listed one
    /// without being impossible (a zero would make every ratio infinite).
    pub fn floor(&self) -> f64 {
        cb_to_freq(self.last_cb) / 2.0
    }
}

/// wordfreq's `cB_to_freq(-cb)`: 10 ** (−cb / 100), computed as Python does.
fn cb_to_freq(cb: u32) -> f64 {
    10f64.powf(-f64::from(cb) / 100.0)
}

/// wordfreq's `has_digit_sequence`: the word begins with a digit followed by
/// digits, dots or commas (`MULTI_DIGIT_RE.match`, i.e. at the start only).
fn starts_with_digit_run(word: &str) -> bool {
    let mut c = word.chars();
    matches!((c.next(), c.next()), (Some(a), Some(b))
        if a.is_numeric() && (b.is_numeric() || b == '.' || b == ','))
}

/// The cached `large_en` list: read once per process, shared by every
/// caller; a failure is not kept, so a later call tries again.
pub fn shared_large_en() -> Result<Arc<WordFreq>> {
    static LIST: Mutex<Option<Arc<WordFreq>>> = Mutex::new(None);
    // A poisoned lock only means another reader panicked; the slot is still
    // either empty or a whole list.
    let mut slot = LIST.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(l) = slot.as_ref() {
        return Ok(l.clone());
    }
    let list = Arc::new(WordFreq::large_en()?);
    *slot = Some(list.clone());
    Ok(list)
}

/// A cursor over the msgpack bytes that knows where it is.
struct Reader<'a> {
    all: &'a [u8],
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// The offset of the next byte, for messages.
    fn at(&self) -> usize {
        self.all.len() - self.rest.len()
    }

    fn array_len(&mut self, what: &str) -> std::result::Result<u32, String> {
        let at = self.at();
        let n = rmp::decode::read_array_len(&mut self.rest)
            .map_err(|e| format!("expected {what} at byte {at}: {e}"))?;
        // Every item takes at least one byte: a longer claim is a lie, caught
        // here before anything trusts it.
        if n as usize > self.rest.len() {
            return Err(format!(
                "{what} at byte {at} claims {n} items in {} bytes",
                self.rest.len()
            ));
        }
        Ok(n)
    }

    fn str(&mut self, what: &str) -> std::result::Result<&'a str, String> {
        let at = self.at();
        let n = rmp::decode::read_str_len(&mut self.rest)
            .map_err(|e| format!("expected {what} (a string) at byte {at}: {e}"))?
            as usize;
        if n > self.rest.len() {
            return Err(format!(
                "{what} at byte {at} claims {n} bytes, {} left",
                self.rest.len()
            ));
        }
        let (s, rest) = self.rest.split_at(n);
        self.rest = rest;
        std::str::from_utf8(s).map_err(|e| format!("{what} at byte {at} is not UTF-8: {e}"))
    }

    /// A string or an integer (the header's values).
    fn scalar(&mut self) -> std::result::Result<Scalar<'a>, String> {
        let at = self.at();
        match self.rest.first().map(|&b| Marker::from_u8(b)) {
            Some(Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32) => {
                Ok(Scalar::Str(self.str("a header value")?))
            }
            Some(
                Marker::FixPos(_)
                | Marker::FixNeg(_)
                | Marker::U8
                | Marker::U16
                | Marker::U32
                | Marker::U64
                | Marker::I8
                | Marker::I16
                | Marker::I32
                | Marker::I64,
            ) => rmp::decode::read_int::<i64, _>(&mut self.rest)
                .map(Scalar::Int)
                .map_err(|e| format!("a header number at byte {at}: {e}")),
            _ => Err(format!(
                "the header's value at byte {at} is neither a string nor a number"
            )),
        }
    }

    /// The header map: `format` must be `cB` and `version` 1, as wordfreq checks.
    fn header(&mut self) -> std::result::Result<(), String> {
        let at = self.at();
        let n = rmp::decode::read_map_len(&mut self.rest)
            .map_err(|e| format!("expected the header map at byte {at}: {e}"))?;
        let (mut format, mut version) = (None, None);
        for _ in 0..n {
            let key = self.str("a header key")?;
            let value = self.scalar()?;
            match key {
                "format" => format = Some(value),
                "version" => version = Some(value),
                _ => {}
            }
        }
        match (format, version) {
            (Some(Scalar::Str("cB")), Some(Scalar::Int(1))) => Ok(()),
            (f, v) => Err(format!(
                "header at byte {at} is not {{\"format\": \"cB\", \"version\": 1}} (format {f:?}, version {v:?})"
            )),
        }
    }
}

/// A header value.
#[derive(Debug, PartialEq)]
enum Scalar<'a> {
    Str(&'a str),
    Int(i64),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// msgpack of `[header, bins...]` with a fixmap header and fixstr words.
    fn pack(header: &[u8], bins: &[&[&str]]) -> Vec<u8> {
        let mut v = Vec::new();
        rmp::encode::write_array_len(&mut v, 1 + bins.len() as u32).expect("write");
        v.extend_from_slice(header);
        for b in bins {
            rmp::encode::write_array_len(&mut v, b.len() as u32).expect("write");
            for w in *b {
                rmp::encode::write_str(&mut v, w).expect("write");
            }
        }
        v
    }

    fn good_header() -> Vec<u8> {
        let mut h = Vec::new();
        rmp::encode::write_map_len(&mut h, 2).expect("write");
        rmp::encode::write_str(&mut h, "format").expect("write");
        rmp::encode::write_str(&mut h, "cB").expect("write");
        rmp::encode::write_str(&mut h, "version").expect("write");
        rmp::encode::write_uint(&mut h, 1).expect("write");
        h
    }

    #[test]
    fn ranks_follow_the_bins_and_skip_digit_runs() {
        let bins: &[&[&str]] = &[&[], &["fish"], &["00", "blue", "red"], &[], &["3d", "fish"]];
        let w = WordFreq::from_msgpack(&pack(&good_header(), bins)).expect("parse");
        assert_eq!(w.rank("fish"), Some(1));
        assert_eq!(w.rank("blue"), Some(2));
        assert_eq!(w.rank("red"), Some(3));
        assert_eq!(w.rank("3d"), Some(4));
        assert_eq!(w.rank("00"), None);
        assert_eq!(w.frequency("00"), Some(10f64.powf(-0.02)));
        // The last bin a word is in gives its frequency, as Python's dict.
        assert_eq!(w.frequency("fish"), Some(10f64.powf(-0.04)));
        assert_eq!(w.floor(), 10f64.powf(-0.04) / 2.0);
        assert_eq!(w.len(), 5);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let good = pack(&good_header(), &[&["the", "cat"], &["sat"]]);
        assert!(WordFreq::from_msgpack(&good).is_ok());
        // Every cut of a good file, and every single-byte change of it.
        for cut in 0..good.len() {
            assert!(WordFreq::from_msgpack(&good[..cut]).is_err(), "cut {cut}");
        }
        for i in 0..good.len() {
            for b in [0x00, 0x7f, 0x90, 0xa5, 0xc0, 0xc1, 0xdc, 0xdd, 0xdb, 0xff] {
                let mut bad = good.clone();
                bad[i] = b;
                let _ = WordFreq::from_msgpack(&bad);
            }
        }
        // A huge declared length is refused before any allocation.
        let huge = [0xdd, 0xff, 0xff, 0xff, 0xff, 0x80];
        let err = WordFreq::from_msgpack(&huge).unwrap_err();
        assert!(err.contains("claims 4294967295 items"), "{err}");
        let mut wrong = Vec::new();
        rmp::encode::write_map_len(&mut wrong, 1).expect("write");
        rmp::encode::write_str(&mut wrong, "format").expect("write");
        rmp::encode::write_str(&mut wrong, "dB").expect("write");
        let err = WordFreq::from_msgpack(&pack(&wrong, &[&["a"]])).unwrap_err();
        assert!(err.contains("header"), "{err}");
        // A pseudo-random stream, deterministic.
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..64)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let _ = WordFreq::from_msgpack(&bytes);
        }
    }

    #[test]
    fn a_bad_file_is_named_in_the_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let not_gzip = dir.path().join("large_en.msgpack.gz");
        std::fs::write(&not_gzip, b"not gzip at all").expect("write");
        let err = WordFreq::read(&not_gzip).unwrap_err().to_string();
        assert!(err.contains("large_en.msgpack.gz"), "{err}");
        assert!(err.contains("gzip"), "{err}");

        let garbage = dir.path().join("garbage.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&[0x92, 0x80, 0xc1]).expect("write");
        std::fs::write(&garbage, gz.finish().expect("gzip")).expect("write");
        let err = WordFreq::read(&garbage).unwrap_err().to_string();
        assert!(err.contains("garbage.gz"), "{err}");

        let missing = WordFreq::read(&dir.path().join("absent.gz")).unwrap_err();
        assert!(missing.to_string().contains("absent.gz"), "{missing}");
    }
    /// Python's wordfreq (scripts/test installs it) on the installed file:
    /// missing, the test fails rather than skips.
    #[test]
    fn ranks_and_frequencies_equal_pythons() {
        let script = "import json, wordfreq\n\
            top = wordfreq.top_n_list('en', 10**7, wordlist='large')\n\
            d = wordfreq.get_frequency_dict('en', 'large')\n\
            some = sorted(d)[::301] + ['the', 'ukraine', 'nato', 'putin', '0000', '00s', '3d']\n\
            print(json.dumps({'top': top, 'freq': {w: d[w] for w in some}, 'n': len(d)}))";
        let out = std::process::Command::new("python3")
            .args(["-c", script])
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "Python's wordfreq is needed (scripts/test installs it): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("utf-8");
        let w = WordFreq::large_en().expect("large_en");
        // The Python answer is JSON; this crate reads no JSON, so pick it
        // apart with the few rules json.dumps follows for lists of strings.
        let (top, freq, n) = parse_python(&text);
        assert_eq!(top.len(), 319_938);
        assert_eq!(w.ranked().len(), top.len());
        for (i, word) in top.iter().enumerate() {
            assert_eq!(&*w.ranked()[i], word.as_str(), "rank {}", i + 1);
            assert_eq!(w.rank(word), Some(i as u32 + 1), "{word}");
        }
        assert_eq!(w.len(), n);
        assert!(freq.len() > 1000);
        for (word, f) in &freq {
            assert_eq!(w.frequency(word), Some(*f), "{word}");
        }
        assert_eq!(w.rank("0000"), None);
        // The rarest bin is -799 cB (item 800 of the file).
        assert_eq!(w.floor(), 10f64.powf(-7.99) / 2.0);
    }

    /// `{"top": [...], "freq": {...}, "n": N}` as json.dumps writes it.
    fn parse_python(text: &str) -> (Vec<String>, Vec<(String, f64)>, usize) {
        let mut chars = text.trim().chars().peekable();
        let string = |chars: &mut std::iter::Peekable<std::str::Chars>| -> String {
            let mut s = String::new();
            assert_eq!(chars.next(), Some('"'));
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some('u') => {
                            let hex: String = chars.by_ref().take(4).collect();
                            let mut u = u32::from_str_radix(&hex, 16).expect("hex");
                            if (0xd800..0xdc00).contains(&u) {
                                let _ = (chars.next(), chars.next());
                                let lo: String = chars.by_ref().take(4).collect();
                                let lo = u32::from_str_radix(&lo, 16).expect("hex");
                                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                            }
                            s.push(char::from_u32(u).expect("char"));
                        }
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some('r') => s.push('\r'),
                        Some('b') => s.push('\u{8}'),
                        Some('f') => s.push('\u{c}'),
                        Some(c) => s.push(c),
                        None => panic!("cut string"),
                    },
                    c => s.push(c),
                }
            }
            s
        };
        let skip = |chars: &mut std::iter::Peekable<std::str::Chars>, lit: &str| {
            for want in lit.chars() {
                assert_eq!(chars.next(), Some(want), "expected {lit:?}");
            }
        };
        skip(&mut chars, "{\"top\": [");
        let mut top = Vec::new();
        while chars.peek() == Some(&'"') {
            top.push(string(&mut chars));
            if chars.peek() == Some(&',') {
                skip(&mut chars, ", ");
            }
        }
        skip(&mut chars, "], \"freq\": {");
        let mut freq = Vec::new();
        while chars.peek() == Some(&'"') {
            let k = string(&mut chars);
            skip(&mut chars, ": ");
            let num: String =
                std::iter::from_fn(|| chars.next_if(|c| !matches!(c, ',' | '}'))).collect();
            freq.push((k, num.parse::<f64>().expect("number")));
            if chars.peek() == Some(&',') {
                skip(&mut chars, ", ");
            }
        }
        skip(&mut chars, "}, \"n\": ");
        let n: String = chars.take_while(|c| c.is_ascii_digit()).collect();
        (top, freq, n.parse().expect("n"))
    }
}
