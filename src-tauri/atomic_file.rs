//! Writing a file so that a reader sees the old content or the new, never
//! half of either: a temporary file beside it, written and synced, then a
//! rename over the old one. Exports, the CLI's `-o`, linked plan files and
//! the desktop's drawings all write through here.
//!
//! Owns: that one write. Must not touch: what is written.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically; a failure leaves the old file (or
/// none) in place, and no temporary file behind.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e, false)
    })
}

/// [`write_atomic`] of a text.
pub fn write_file_atomic(path: &Path, text: &str) -> Result<()> {
    write_atomic(path, text.as_bytes())
}
