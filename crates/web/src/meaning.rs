//! Search by meaning for the web reader: the stored passage vectors and the
//! embedding model, loaded on the first search that asks for them (a reader
//! who only browses never pays the ~100 MB and the second it takes).

use podcorpus_semantic::{Embedder, SemanticError, VectorIndex};
use podcorpus_store::Store;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

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
/// run `podcorpus embed` and try again without restarting the server.
pub struct Meaning {
    model_dir: Option<PathBuf>,
    loaded: Mutex<Option<Arc<Loaded>>>,
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
        if let Some(l) = slot.as_ref() {
            return Ok(l.clone());
        }
        let vectors = VectorIndex::load(store)?;
        if vectors.is_empty() {
            return Err(SemanticError::Usage(
                "search by meaning needs passage embeddings: run `podcorpus embed`, then search again"
                    .into(),
            ));
        }
        let dir = podcorpus_semantic::model::locate(self.model_dir.as_deref())?;
        let embedder = Embedder::load(&dir)?;
        let loaded = Arc::new(Loaded { vectors, embedder });
        *slot = Some(loaded.clone());
        Ok(loaded)
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
