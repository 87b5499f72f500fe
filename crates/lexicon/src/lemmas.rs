//! lemminflect's English lemma table (`resources/lemma_lu.csv.gz`, plus its
//! small `lemma_overrides.csv`), read from the installed PyPI package, for
//! `lemma:run` in queries: every word form whose lemma is `run`.
//!
//! The table is read once per process (behind a `OnceLock`) and nothing is
//! cached on disk: it is 80 000 lines and loads in tens of milliseconds.

use crate::locate::{package_file, PackageFile};
use crate::LexiconError;
use flate2::read::GzDecoder;
use rustc_hash::FxHashMap;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

/// Where the lemma table comes from.
pub const LEMMA_TABLE: PackageFile = PackageFile {
    package: "lemminflect",
    version: "0.2.3",
    module: "lemminflect",
    file: "resources/lemma_lu.csv.gz",
    env: "PODCORPUS_LEMMAS",
    no_deps: true,
};

/// The overrides beside the table (same folder), read when present.
const OVERRIDES: &str = "lemma_overrides.csv";

/// Word forms by lemma.
#[derive(Debug, Default)]
pub struct Lemmas {
    /// (form, lemma) as written in the table, each pair once.
    pairs: Vec<(String, String)>,
    /// Lowercased lemma → indexes into `pairs`.
    by_lemma: FxHashMap<String, Vec<u32>>,
}

impl Lemmas {
    /// Builds the table from `word,category,lemma[/lemma2...]` lines; lines
    /// starting with `#` and blank lines are skipped. `origin` names the
    /// text in errors.
    pub fn from_csv(text: &str, origin: &Path) -> crate::Result<Lemmas> {
        let mut out = Lemmas::default();
        out.add_csv(text, origin)?;
        Ok(out)
    }

    fn add_csv(&mut self, text: &str, origin: &Path) -> crate::Result<()> {
        let mut seen: rustc_hash::FxHashSet<(String, String)> =
            self.pairs.iter().cloned().collect();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.splitn(3, ',');
            let (Some(word), Some(_category), Some(lemmas)) =
                (cols.next(), cols.next(), cols.next())
            else {
                return Err(LexiconError::Bad {
                    path: origin.to_path_buf(),
                    message: format!(
                        "line {}: expected `word,category,lemma`, got {line:?}",
                        n + 1
                    ),
                });
            };
            for lemma in lemmas.split('/').filter(|l| !l.is_empty()) {
                let pair = (word.to_string(), lemma.to_string());
                if seen.insert(pair.clone()) {
                    let at = self.pairs.len() as u32;
                    self.by_lemma
                        .entry(lemma.to_lowercase())
                        .or_default()
                        .push(at);
                    self.pairs.push(pair);
                }
            }
        }
        Ok(())
    }

    /// Reads the gzip table at `path` and, when there, the overrides beside it.
    pub fn read(path: &Path) -> crate::Result<Lemmas> {
        let bad = |message: String| LexiconError::Bad {
            path: path.to_path_buf(),
            message,
        };
        let file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
        let mut text = String::new();
        GzDecoder::new(file)
            .read_to_string(&mut text)
            .map_err(|e| bad(format!("not a gzip CSV text: {e}")))?;
        let mut out = Lemmas::from_csv(&text, path)?;
        if let Some(dir) = path.parent() {
            let over = dir.join(OVERRIDES);
            // Optional: an env-named table need not have overrides beside it.
            if let Ok(text) = std::fs::read_to_string(&over) {
                out.add_csv(&text, &over)?;
            }
        }
        Ok(out)
    }

    /// The word forms of `lemma`: `lemma` itself and every word any of whose
    /// lemmas (in any category) is `lemma`, sorted, each once. Without
    /// `case`, all lowercased and compared ignoring case; with it, as
    /// written in the table, whose lemma is written exactly as `lemma`.
    pub fn forms(&self, lemma: &str, case: bool) -> Vec<String> {
        let key = lemma.to_lowercase();
        let mut out: Vec<String> = vec![if case { lemma.to_string() } else { key.clone() }];
        for &i in self.by_lemma.get(&key).map_or(&[][..], |v| v.as_slice()) {
            let (word, l) = &self.pairs[i as usize];
            if case {
                if l == lemma {
                    out.push(word.clone());
                }
            } else {
                out.push(word.to_lowercase());
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Number of (form, lemma) pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// The installed table, read on first use and kept for the process. An
/// error (the package missing) says how to install it, and is given again
/// to every caller rather than retried: the answer would be the same.
pub fn lemmas() -> crate::Result<&'static Lemmas> {
    static TABLE: OnceLock<Result<Lemmas, String>> = OnceLock::new();
    let got = TABLE.get_or_init(|| {
        package_file(&LEMMA_TABLE)
            .and_then(|p| Lemmas::read(&p))
            .map_err(|e| e.to_string())
    });
    got.as_ref()
        .map_err(|m| LexiconError::Missing(format!("lemma:X needs lemminflect's lemma table: {m}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_a_lemma_in_any_category() {
        let t = Lemmas::from_csv(
            "# comment\nran,verb,run\nrunning,noun,running\nrunning,verb,run\nruns,noun,run\n\
             runs,verb,run\nAarons,noun,Aaron\n'd,aux,will/have\n",
            Path::new("x.csv"),
        )
        .expect("table");
        assert_eq!(t.forms("run", false), ["ran", "run", "running", "runs"]);
        assert_eq!(t.forms("RUN", false), ["ran", "run", "running", "runs"]);
        assert_eq!(t.forms("have", false), ["'d", "have"]);
        assert_eq!(t.forms("aaron", false), ["aaron", "aarons"]);
        assert_eq!(t.forms("Aaron", true), ["Aaron", "Aarons"]);
        assert_eq!(t.forms("aaron", true), ["aaron"]);
        // Not a lemma: only itself.
        assert_eq!(t.forms("ran", false), ["ran"]);
        assert!(Lemmas::from_csv("just one column\n", Path::new("x.csv")).is_err());
    }

    /// The installed table (scripts/test installs lemminflect).
    #[test]
    fn reads_the_installed_table() {
        let Ok(t) = lemmas() else {
            eprintln!("lemminflect is not installed; skipping");
            return;
        };
        assert!(t.len() > 70_000, "{}", t.len());
        assert_eq!(t.forms("run", false), ["ran", "run", "running", "runs"]);
        let be = t.forms("be", false);
        for w in ["am", "is", "are", "was", "were", "been", "being"] {
            assert!(be.contains(&w.to_string()), "{be:?}");
        }
    }
}
