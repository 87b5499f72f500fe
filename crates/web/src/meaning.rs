//! Search by meaning for the web reader: the stored passage vectors and the
//! embedding model, loaded on the first search that asks for them (a reader
//! who only browses never pays the ~100 MB and the second it takes).

use crate::state::{digest, CHECK_EVERY};
use podcorpus_semantic::{Embedder, SemanticError, VectorIndex};
use podcorpus_store::Store;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// How a search ranks passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Keyword search (BM25), the query language of `podcorpus search`.
    #[default]
    Words,
    /// Nearest passages in meaning (`search --semantic`).
    Meaning,
    /// Both, fused by reciprocal rank (`search --hybrid`).
    Both,
}

impl Mode {
    /// Every mode with its label, in form order.
    pub const ALL: [(Mode, &'static str); 3] = [
        (Mode::Words, "by words"),
        (Mode::Meaning, "by meaning"),
        (Mode::Both, "both"),
    ];

    /// The mode's form value.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Words => "words",
            Mode::Meaning => "meaning",
            Mode::Both => "both",
        }
    }

    /// The mode of a form value (empty or absent: words).
    pub fn parse(value: Option<&str>) -> Result<Mode, String> {
        match value.map(str::trim).unwrap_or("") {
            "" | "words" => Ok(Mode::Words),
            "meaning" => Ok(Mode::Meaning),
            "both" => Ok(Mode::Both),
            other => Err(format!("mode {other:?} is not words, meaning or both")),
        }
    }
}

/// What a search by meaning needs, once loaded.
pub struct Loaded {
    /// Every embedded passage.
    pub vectors: VectorIndex,
    /// The model, to embed queries.
    pub embedder: Embedder,
}

/// The vectors and model, loaded on first use. A failed load (no model, no
/// embeddings yet) is not remembered: the reader can install the model or
/// run `podcorpus embed` and try again without restarting the server. At
/// most once a second the server checks whether `embed` has changed the
/// stored passages since, and loads the vectors again if so.
pub struct Meaning {
    model_dir: Option<PathBuf>,
    loaded: Mutex<Option<Current>>,
}

/// What is loaded, and which embedded transcripts it reflects.
struct Current {
    loaded: Arc<Loaded>,
    embedded: u64,
    checked: Instant,
}

/// A digest of which transcripts are embedded, and how (their fingerprints).
fn embedded_digest(store: &Store) -> Result<u64, SemanticError> {
    Ok(digest(store.embedded_fingerprints(
        podcorpus_semantic::model::MODEL_NAME,
    )?))
}

impl Meaning {
    /// Nothing loaded yet; the model will be looked for in `model_dir`, else
    /// where `podcorpus embed` looks ([`podcorpus_semantic::model::locate`]).
    pub fn new(model_dir: Option<PathBuf>) -> Meaning {
        Meaning {
            model_dir,
            loaded: Mutex::new(None),
        }
    }

    /// The loaded vectors and model, loading them if needed (blocking: call
    /// it on a blocking thread).
    pub fn get(&self, store: &Store) -> Result<Arc<Loaded>, SemanticError> {
        // Holding the lock while loading makes concurrent first searches
        // wait for one load instead of each reading 100 MB of vectors.
        let mut slot = self
            .loaded
            .lock()
            .map_err(|_| SemanticError::Usage("an earlier load of the model failed".into()))?;
        let embedded = match slot.as_mut() {
            Some(c) if c.checked.elapsed() < CHECK_EVERY => return Ok(c.loaded.clone()),
            Some(c) => {
                let now = embedded_digest(store)?;
                c.checked = Instant::now();
                if now == c.embedded {
                    return Ok(c.loaded.clone());
                }
                now
            }
            None => embedded_digest(store)?,
        };
        let vectors = VectorIndex::load(store)?;
        if vectors.is_empty() {
            return Err(SemanticError::Usage(
                "search by meaning needs passage embeddings: run `podcorpus embed`, then search again"
                    .into(),
            ));
        }
        // The model is loaded once; new vectors reuse it.
        let embedder = match slot.take() {
            Some(c) => match Arc::try_unwrap(c.loaded) {
                Ok(l) => l.embedder,
                Err(_) => self.load_model()?,
            },
            None => self.load_model()?,
        };
        let loaded = Arc::new(Loaded { vectors, embedder });
        *slot = Some(Current {
            loaded: loaded.clone(),
            embedded,
            checked: Instant::now(),
        });
        Ok(loaded)
    }

    fn load_model(&self) -> Result<Embedder, SemanticError> {
        let dir = podcorpus_semantic::model::locate(self.model_dir.as_deref())?;
        Embedder::load(&dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_and_unknown_ones_are_named() {
        assert_eq!(Mode::parse(None), Ok(Mode::Words));
        assert_eq!(Mode::parse(Some("")), Ok(Mode::Words));
        assert_eq!(Mode::parse(Some("meaning")), Ok(Mode::Meaning));
        assert_eq!(Mode::parse(Some("both")), Ok(Mode::Both));
        for (m, _) in Mode::ALL {
            assert_eq!(Mode::parse(Some(m.name())), Ok(m));
        }
        let e = Mode::parse(Some("vibes")).unwrap_err();
        assert!(e.contains("\"vibes\"") && e.contains("meaning"), "{e}");
    }

    #[test]
    fn an_empty_corpus_says_to_run_embed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("c.db")).unwrap();
        let e = Meaning::new(None).get(&store).err().unwrap().to_string();
        assert!(e.contains("podcorpus embed"), "{e}");
    }
}
