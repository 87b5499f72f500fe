//! The grown query language (wildcards, regexes, lemmas, proximity) over the
//! real samples in the repo: every concordance total equals a brute-force
//! count made here without the index, the tokenizer or the pattern code —
//! a char loop over each episode's stored text and hand-written tests (a
//! prefix, the regex crate's full match, the lemma forms read straight from
//! lemminflect's gzip table) — and search finds the episodes it says.

use podcorpus_ingest::{discover, ImportOptions};
use podcorpus_search::{index_dir, kwic, search, Filter, KwicOptions, SearchIndex};
use podcorpus_store::query::TranscriptFilter;
use podcorpus_store::Store;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

struct Corpus {
    _dir: tempfile::TempDir,
    index: SearchIndex,
    /// Each episode's best transcript as brute-force tokens, as written.
    episodes: BTreeMap<(String, i64), Vec<String>>,
}

/// Tokens as an independent char loop cuts them: runs of letters and
/// digits, keeping an apostrophe between a letter or digit and a letter
/// when the search tokenizer does (`don't`), whichever it is today.
fn brute_tokens(text: &str, apostrophes: bool) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < chars.len() && chars[i].is_alphanumeric() {
                i += 1;
            }
            let quote = i < chars.len() && (chars[i] == '\'' || chars[i] == '\u{2019}');
            if apostrophes && quote && chars.get(i + 1).is_some_and(|c| c.is_alphabetic()) {
                i += 1;
                continue;
            }
            break;
        }
        out.push(chars[start..i].iter().collect());
    }
    out
}

fn lower(t: &str) -> String {
    t.to_lowercase().replace('\u{2019}', "'")
}

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("c.db");
    let store = Store::open(&db).expect("open");
    let options = ImportOptions::default();
    let paths = [
        repo("samples/lexicap"),
        repo("samples/lex-fridman-notes.txt"),
        repo("crates/search/tests/fixtures/ytdlp"),
    ];
    let (jobs, _) = discover(&paths, &options).expect("discover");
    let report = podcorpus_ingest::import(&store, &jobs, &options, &|_| {}).expect("import");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let (index, _) = SearchIndex::open_current(&store, &index_dir(&db)).expect("index");
    let apostrophes = podcorpus_search::tokens::token_ranges("don't").count() == 1;
    let mut episodes = BTreeMap::new();
    for t in store
        .transcripts(&TranscriptFilter::default())
        .expect("list")
    {
        let text: Vec<String> = store
            .segments(t.id)
            .expect("segments")
            .into_iter()
            .map(|s| s.text)
            .collect();
        let toks = brute_tokens(&text.join(" "), apostrophes);
        let old = episodes.insert((t.collection, t.number), toks);
        assert!(old.is_none(), "one best transcript per episode");
    }
    assert!(episodes.len() > 3);
    Corpus {
        _dir: dir,
        index,
        episodes,
    }
}

impl Corpus {
    /// Occurrences per episode of tokens passing `test`.
    fn count(&self, test: impl Fn(&str) -> bool) -> BTreeMap<(String, i64), usize> {
        self.episodes
            .iter()
            .map(|(k, toks)| (k.clone(), toks.iter().filter(|t| test(t)).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Distinct spans holding `a` and `b` (lowercase) with at most `n` tokens between.
    fn near(&self, a: &str, b: &str, n: usize) -> BTreeMap<(String, i64), usize> {
        let mut out = BTreeMap::new();
        for (k, toks) in &self.episodes {
            let low: Vec<String> = toks.iter().map(|t| lower(t)).collect();
            let mut spans = BTreeSet::new();
            for i in 0..low.len() {
                for j in i + 1..low.len().min(i + n + 2) {
                    if (low[i] == a && low[j] == b) || (low[i] == b && low[j] == a) {
                        spans.insert((i, j));
                    }
                }
            }
            if !spans.is_empty() {
                out.insert(k.clone(), spans.len());
            }
        }
        out
    }

    /// The concordance's counts per episode.
    fn kwic(&self, q: &str, case: bool) -> (usize, BTreeMap<(String, i64), usize>) {
        let opts = KwicOptions {
            window: 5,
            case,
            ..KwicOptions::default()
        };
        let c = kwic(&self.index, q, &opts).unwrap_or_else(|e| panic!("{q}: {e}"));
        let per: BTreeMap<(String, i64), usize> = c
            .per_episode
            .iter()
            .map(|e| ((e.collection.clone(), e.number), e.count))
            .collect();
        assert_eq!(c.lines.len(), c.total);
        (c.total, per)
    }

    /// The episodes search finds.
    fn search_episodes(&self, q: &str) -> BTreeSet<(String, i64)> {
        search(&self.index, q, &Filter::default(), 100_000)
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .into_iter()
            .map(|h| (h.collection, h.number))
            .collect()
    }

    fn check(&self, q: &str, case: bool, want: BTreeMap<(String, i64), usize>) {
        let (total, per) = self.kwic(q, case);
        assert!(!want.is_empty(), "{q}: the brute force finds nothing");
        assert_eq!(total, want.values().sum::<usize>(), "{q}");
        assert_eq!(per, want, "{q}");
        if !case {
            let eps: BTreeSet<(String, i64)> = want.keys().cloned().collect();
            assert_eq!(self.search_episodes(q), eps, "search {q}");
        }
    }
}

/// The forms of `lemma` read straight from lemminflect's table.
fn lemma_forms(lemma: &str) -> Option<HashSet<String>> {
    let path = match std::env::var_os("PODCORPUS_LEMMAS") {
        Some(p) => PathBuf::from(p),
        None => {
            let out = std::process::Command::new("python3")
                .args(["-c", "import importlib.util as u; print(list(u.find_spec('lemminflect').submodule_search_locations)[0])"])
                .output()
                .ok()?;
            PathBuf::from(String::from_utf8(out.stdout).ok()?.trim())
                .join("resources/lemma_lu.csv.gz")
        }
    };
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).ok()?)
        .read_to_string(&mut text)
        .ok()?;
    let mut forms = HashSet::from([lemma.to_string()]);
    for line in text.lines() {
        let cols: Vec<&str> = line.splitn(3, ',').collect();
        if cols.len() == 3 && cols[2].split('/').any(|l| l.to_lowercase() == lemma) {
            forms.insert(cols[0].to_lowercase());
        }
    }
    Some(forms)
}

#[test]
fn wildcards_count_what_a_prefix_or_a_letter_test_counts() {
    let c = corpus();
    c.check(
        "conscious*",
        false,
        c.count(|t| lower(t).starts_with("conscious")),
    );
    // Cased: as written.
    c.check("Ukrain*", true, c.count(|t| t.starts_with("Ukrain")));
    assert_eq!(
        c.kwic("ukrain*", true).0,
        c.count(|t| t.starts_with("ukrain")).values().sum::<usize>()
    );
    let wom_n = |t: &str| {
        let ch: Vec<char> = lower(t).chars().collect();
        ch.len() == 5 && ch[..3] == ['w', 'o', 'm'] && ch[4] == 'n'
    };
    // Not in these samples (the notes' "woman" is in a summary): zero both ways.
    let none = c.count(wom_n).values().sum::<usize>();
    assert_eq!(c.kwic("wom?n", false).0, none);
    let p_t_n = |t: &str| {
        let ch: Vec<char> = lower(t).chars().collect();
        ch.len() == 5 && ch[0] == 'p' && ch[2] == 't' && ch[4] == 'n'
    };
    c.check("p?t?n", false, c.count(p_t_n));
    // Two wildcards in one word, and a phrase with one.
    c.check(
        "h*m?n",
        false,
        c.count(|t| {
            let l: Vec<char> = lower(t).chars().collect();
            l.len() >= 4 && l[0] == 'h' && l[l.len() - 1] == 'n' && l[l.len() - 3] == 'm'
        }),
    );
}

#[test]
fn regexes_count_what_a_full_match_counts() {
    let c = corpus();
    for re in ["(cat|dog)s?", "ukrain.*", "[0-9]+", "(?:war|wars|nuclear)"] {
        let full = regex::Regex::new(&format!("^(?:{re})$")).unwrap();
        c.check(
            &format!("/{re}/"),
            false,
            c.count(|t| full.is_match(&lower(t))),
        );
    }
    // A bad regex says where.
    let err = kwic(&c.index, "/(cat|dog/", &KwicOptions::default()).unwrap_err();
    match err {
        podcorpus_search::SearchError::Syntax(e) => assert_eq!(e.column, 2, "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn lemmas_count_every_form_in_the_table() {
    let Some(forms) = lemma_forms("run") else {
        eprintln!("lemminflect is not installed; skipping");
        return;
    };
    assert!(forms.contains("ran") && forms.contains("running"));
    let c = corpus();
    c.check("lemma:run", false, c.count(|t| forms.contains(&lower(t))));
    let be = lemma_forms("be").expect("be");
    c.check("lemma:be", false, c.count(|t| be.contains(&lower(t))));
}

#[test]
fn proximity_counts_pairs_in_either_order_and_shows_both() {
    let c = corpus();
    for (a, b, n) in [
        ("russia", "ukraine", 10),
        ("war", "china", 10),
        ("war", "china", 3),
    ] {
        let q = format!("\"{a} {b}\"~{n}");
        c.check(&q, false, c.near(a, b, n));
        let lines = kwic(&c.index, &q, &KwicOptions::default()).unwrap().lines;
        for l in &lines {
            let words: Vec<String> = brute_tokens(&l.keyword, true)
                .iter()
                .map(|t| lower(t))
                .collect();
            assert!(
                words.first().is_some_and(|w| w == a || w == b)
                    && words.last().is_some_and(|w| w == a || w == b)
                    && words.contains(&a.to_string())
                    && words.contains(&b.to_string()),
                "{q}: {:?}",
                l.keyword
            );
            assert!(words.len() <= n + 2, "{q}: {:?}", l.keyword);
        }
    }
    // Wider windows find at least as much.
    assert!(
        c.near("war", "china", 10).values().sum::<usize>()
            > c.near("war", "china", 3).values().sum::<usize>()
    );
}

#[test]
fn search_combines_the_new_terms_with_booleans() {
    let c = corpus();
    let full = regex::Regex::new("^(?:ukrain.*)$").unwrap();
    let both: BTreeSet<(String, i64)> = c
        .episodes
        .iter()
        .filter(|(_, t)| {
            t.iter().any(|w| lower(w).starts_with("conscious"))
                && t.iter().any(|w| full.is_match(&lower(w)))
        })
        .map(|(k, _)| k.clone())
        .collect();
    // Per passage, not per episode: a subset of the episodes with both.
    let got = c.search_episodes("conscious* AND /ukrain.*/");
    assert!(got.is_subset(&both), "{got:?} {both:?}");
    let either = c.search_episodes("conscious* OR /ukrain.*/");
    let want: BTreeSet<(String, i64)> = c
        .count(|w| lower(w).starts_with("conscious") || full.is_match(&lower(w)))
        .into_keys()
        .collect();
    assert_eq!(either, want);
    // Highlights cover what matched.
    let hits = search(&c.index, "conscious*", &Filter::default(), 5).unwrap();
    assert!(!hits.is_empty());
    for h in &hits {
        let marked = h.marked("[", "]");
        assert!(marked.to_lowercase().contains("[conscious"), "{marked}");
    }
}
