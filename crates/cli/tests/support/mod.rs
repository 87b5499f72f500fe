//! What the CLI tests share: the bundled samples, the binary on a given
//! database (with the user's environment kept out), and `--json` output.
// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The repo's `samples/` folder.
pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

/// `podcorpus --db DB`, without the user's PODCORPUS_* settings.
pub fn podcorpus(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("podcorpus").expect("binary");
    cmd.arg("--db")
        .arg(db)
        .env_remove("PODCORPUS_DB")
        .env_remove("PODCORPUS_MODEL")
        .env_remove("PODCORPUS_BASE_URL");
    cmd
}

/// Runs the command with `--json`, expects success, parses stdout.
pub fn json(cmd: &mut Command) -> Value {
    let out = cmd.arg("--json").output().expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}
