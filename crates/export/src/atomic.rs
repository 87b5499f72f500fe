//! Files that appear whole or not at all: written under a temporary name in
//! the destination's own folder (so the final rename never crosses file
//! systems) and renamed into place only when complete. Dropping an
//! uncommitted file removes the temporary, so a failed export leaves nothing.

use crate::{ExportError, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; see the module doc.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    out: Option<BufWriter<File>>,
    written: u64,
}

impl AtomicFile {
    /// Starts writing `dest` (through a hidden temporary beside it).
    pub fn create(dest: &Path) -> Result<AtomicFile> {
        let name = dest
            .file_name()
            .ok_or_else(|| ExportError::Usage(format!("{} is not a file name", dest.display())))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".tmp-{}", std::process::id()));
        let tmp = dest.with_file_name(tmp_name);
        let file = File::create(&tmp).map_err(|e| ExportError::io("create", dest, e))?;
        Ok(AtomicFile {
            tmp,
            dest: dest.to_path_buf(),
            out: Some(BufWriter::with_capacity(1 << 16, file)),
            written: 0,
        })
    }

    /// Where the file will appear.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Flushes, syncs and renames the file into place; returns its final path.
    pub fn commit(self) -> Result<PathBuf> {
        let dest = self.dest.clone();
        self.commit_as(&dest)
    }

    /// Like [`AtomicFile::commit`], under another name in the same folder
    /// (for shards whose count is known only at the end).
    pub fn commit_as(mut self, dest: &Path) -> Result<PathBuf> {
        let Some(out) = self.out.take() else {
            return Err(ExportError::Usage("file already committed".into()));
        };
        let file = out
            .into_inner()
            .map_err(|e| ExportError::io("write", &self.dest, e.into_error()))?;
        file.sync_all()
            .map_err(|e| ExportError::io("write", &self.dest, e))?;
        std::fs::rename(&self.tmp, dest)
            .map_err(|e| ExportError::io("rename into place", dest, e))?;
        Ok(dest.to_path_buf())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.out.as_mut() {
            Some(out) => {
                let n = out.write(buf)?;
                self.written += n as u64;
                Ok(n)
            }
            None => Err(std::io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.out.as_mut() {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            // Not committed: the export failed; leave no half file behind.
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes a whole small file atomically.
pub fn write_file(dest: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let mut f = AtomicFile::create(dest)?;
    f.write_all(bytes)
        .map_err(|e| ExportError::io("write", dest, e))?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uncommitted_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out.txt");
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert!(!dest.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"whole").unwrap();
        assert_eq!(f.written(), 5);
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "whole");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn unwritable_folder_names_the_path() {
        let err = AtomicFile::create(Path::new("/nonexistent-dir/x/out.txt")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("/nonexistent-dir/x/out.txt"), "{msg}");
        assert!(msg.contains("writable"), "{msg}");
    }
}
