//! Vocabulary profiles, as AntWordProfiler (Anthony) and Nation's Range make
//! them: how much of a text's tokens and types fall in each frequency band of
//! general English, the bands cut from wordfreq's `large_en` ranks (1k = the
//! 1000 most frequent words, ..., 20k, then off-list), with the off-list words
//! themselves, the text's rarest vocabulary.
//!
//! What is counted: the corpus tokens ([`crate::tokenize`]: lowercased runs of
//! letters and digits, an apostrophe kept between letters). A type is a
//! distinct word form (`run` and `runs` are two), since wordfreq ranks forms,
//! not families. Tokens that begin with a digit (`2019`, `20th`, `3d`) are
//! numbers: AntWordProfiler's lists hold no numbers, and wordfreq ranks none
//! that begin with a run of digits, so they would only crowd the off-list.
//! They are counted on their own line and left out of the shares.

use crate::corpus::{Corpus, Doc};
use serde::Serialize;

/// The word list profiles are made against, and its loader (read once per
/// process), for callers that have no other use for the lexicon crate.
pub use podcorpus_lexicon::wordfreq::{shared_large_en, WordFreq};

/// The bands: a name and the largest rank in it, in order; a word ranked
/// past the last (or not ranked) is off-list.
pub const BANDS: [(&str, u32); 7] = [
    ("1k", 1_000),
    ("2k", 2_000),
    ("3k", 3_000),
    ("4k", 4_000),
    ("5k", 5_000),
    ("10k", 10_000),
    ("20k", 20_000),
];

/// The name of the last band: words past 20k or not in the list.
pub const OFF_LIST: &str = "off-list";

/// Where a token falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// A band, by index into [`BANDS`] (`BANDS.len()` = off-list).
    Band(u8),
    /// A number, outside the profile.
    Number,
}

/// One band of a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// `1k` ... `20k`, `off-list`.
    pub band: &'static str,
    /// Tokens in the band.
    pub tokens: u64,
    /// Types (distinct word forms) in the band.
    pub types: u64,
    /// `tokens` over all profiled tokens.
    pub share: f64,
    /// `types` over all profiled types.
    pub type_share: f64,
}

/// Tokens left out of the bands.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Numbers {
    /// Number tokens.
    pub tokens: u64,
    /// Distinct number tokens.
    pub types: u64,
}

/// An off-list word and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OffWord {
    /// The word.
    pub word: String,
    /// Its tokens in the text.
    pub count: u64,
}

/// A vocabulary profile of some documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// Documents profiled.
    pub documents: usize,
    /// Tokens profiled (numbers left out).
    pub tokens: u64,
    /// Types profiled (numbers left out).
    pub types: u64,
    /// The numbers left out.
    pub numbers: Numbers,
    /// Each band, in order, off-list last.
    pub bands: Vec<Band>,
    /// The most frequent off-list words, most frequent first (ties by word).
    pub off_list: Vec<OffWord>,
}

impl Profile {
    /// The band named `name`.
    pub fn band(&self, name: &str) -> Option<&Band> {
        self.bands.iter().find(|b| b.band == name)
    }
}

/// Profiles documents of one corpus against one word list; each vocabulary
/// entry's band is looked up once, however many profiles follow.
pub struct Profiler<'a> {
    corpus: &'a Corpus,
    slots: Vec<Slot>,
}

/// The band a rank falls in (index into [`BANDS`], `BANDS.len()` = off-list).
pub fn band_of(rank: Option<u32>) -> usize {
    rank.and_then(|r| BANDS.iter().position(|&(_, top)| r <= top))
        .unwrap_or(BANDS.len())
}

/// Whether a token counts as a number (begins with a digit).
pub fn is_number(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_numeric)
}

impl<'a> Profiler<'a> {
    /// Looks up every word of `corpus` in `list`.
    pub fn new(corpus: &'a Corpus, list: &WordFreq) -> Profiler<'a> {
        let slots = (0..corpus.vocab.len() as u32)
            .map(|id| {
                let w = corpus.vocab.word(id);
                if is_number(w) {
                    Slot::Number
                } else {
                    Slot::Band(band_of(list.rank(w)) as u8)
                }
            })
            .collect();
        Profiler { corpus, slots }
    }

    /// The profile of `docs` together, with the `limit` most frequent
    /// off-list words.
    pub fn profile(&self, docs: &[&Doc], limit: usize) -> Profile {
        let mut counts = vec![0u64; self.slots.len()];
        for d in docs {
            for &t in &d.tokens {
                if let Some(c) = counts.get_mut(t as usize) {
                    *c += 1;
                }
            }
        }
        let n = BANDS.len() + 1;
        let (mut tokens, mut types) = (vec![0u64; n], vec![0u64; n]);
        let mut numbers = Numbers::default();
        let mut off = Vec::new();
        for (id, &c) in counts.iter().enumerate().filter(|&(_, &c)| c > 0) {
            match self.slots[id] {
                Slot::Number => {
                    numbers.tokens += c;
                    numbers.types += 1;
                }
                Slot::Band(b) => {
                    tokens[b as usize] += c;
                    types[b as usize] += 1;
                    if b as usize == BANDS.len() {
                        off.push((id as u32, c));
                    }
                }
            }
        }
        let (all_tokens, all_types): (u64, u64) = (tokens.iter().sum(), types.iter().sum());
        let ratio = |x: u64, of: u64| if of == 0 { 0.0 } else { x as f64 / of as f64 };
        let bands = (0..n)
            .map(|b| Band {
                band: BANDS.get(b).map_or(OFF_LIST, |&(name, _)| name),
                tokens: tokens[b],
                types: types[b],
                share: ratio(tokens[b], all_tokens),
                type_share: ratio(types[b], all_types),
            })
            .collect();
        let vocab = &self.corpus.vocab;
        off.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| vocab.word(a.0).cmp(vocab.word(b.0)))
        });
        let off_list = off
            .into_iter()
            .take(limit)
            .map(|(id, count)| OffWord {
                word: vocab.word(id).to_string(),
                count,
            })
            .collect();
        Profile {
            documents: docs.len(),
            tokens: all_tokens,
            types: all_types,
            numbers,
            bands,
            off_list,
        }
    }
}

/// Groups of documents by guest, in name order: each guest's episodes
/// together (an episode with two guests is in both groups).
pub fn by_guest(corpus: &Corpus) -> Vec<(String, Vec<&Doc>)> {
    let mut groups: std::collections::BTreeMap<String, Vec<&Doc>> = Default::default();
    for d in &corpus.docs {
        for g in &d.guests {
            groups.entry(g.clone()).or_default().push(d);
        }
    }
    groups.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_edges() {
        assert_eq!(band_of(Some(1)), 0);
        assert_eq!(band_of(Some(1000)), 0);
        assert_eq!(band_of(Some(1001)), 1);
        assert_eq!(band_of(Some(5000)), 4);
        assert_eq!(band_of(Some(5001)), 5);
        assert_eq!(band_of(Some(10_000)), 5);
        assert_eq!(band_of(Some(20_000)), 6);
        assert_eq!(band_of(Some(20_001)), 7);
        assert_eq!(band_of(None), 7);
        assert!(is_number("2019") && is_number("3d") && !is_number("mp3"));
    }

    /// A list where word k of `words` has rank k + 1 (one bin per word).
    fn list(words: &[&str]) -> WordFreq {
        let mut v = Vec::new();
        rmp_pack(&mut v, words);
        WordFreq::from_msgpack(&v).expect("list")
    }

    fn rmp_pack(v: &mut Vec<u8>, words: &[&str]) {
        // [ {"format": "cB", "version": 1}, [w0], [w1], ... ] by hand: fixarray
        // and fixstr markers (short words, few bins).
        v.push(0xdc);
        v.extend_from_slice(&(1 + words.len() as u16).to_be_bytes());
        v.push(0x82);
        for s in ["format", "cB", "version"] {
            v.push(0xa0 | s.len() as u8);
            v.extend_from_slice(s.as_bytes());
        }
        v.push(0x01);
        for w in words {
            v.push(0x91);
            v.push(0xa0 | w.len() as u8);
            v.extend_from_slice(w.as_bytes());
        }
    }

    #[test]
    fn shares_count_tokens_and_types_numbers_apart() {
        let mut words: Vec<String> = (0..1500).map(|i| format!("w{i}")).collect();
        words[0] = "the".into();
        words[1200] = "cat".into();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let l = list(&refs);
        let mut c = Corpus::default();
        c.begin(Doc::default());
        c.segment(None, None, "the the the cat zyx zyx 2019 3d", 0);
        let p = Profiler::new(&c, &l).profile(&[&c.docs[0]], 10);
        assert_eq!((p.tokens, p.types), (6, 3));
        assert_eq!(
            p.numbers,
            Numbers {
                tokens: 2,
                types: 2
            }
        );
        let k1 = p.band("1k").expect("1k");
        assert_eq!((k1.tokens, k1.types), (3, 1));
        assert_eq!(k1.share, 0.5);
        assert_eq!(p.band("2k").map(|b| b.tokens), Some(1));
        let off = p.band(OFF_LIST).expect("off");
        assert_eq!((off.tokens, off.types, off.type_share), (2, 1, 1.0 / 3.0));
        assert_eq!(
            p.off_list,
            [OffWord {
                word: "zyx".into(),
                count: 2
            }]
        );
        assert_eq!(p.bands.len(), 8);
    }
}
