//! `flotilla git-setup`: installs the semantic merge as a git merge driver in a
//! repository: a `.gitattributes` line (shared, committed) and the driver in the
//! repository's own git config (per clone).

use crate::error::{Code, Error, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The merge driver's name in `.gitattributes` and `git config`.
pub const DRIVER: &str = "flotilla";
/// The files the driver merges unless another pattern is given.
pub const DEFAULT_PATTERN: &str = "*.flotilla.json";

/// What `git_setup` wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GitSetup {
    /// The repository's top folder.
    pub root: PathBuf,
    /// The `.gitattributes` line, and whether it was added (false: already there).
    pub attributes_line: String,
    pub attributes_added: bool,
    /// The value of `merge.flotilla.driver`.
    pub driver: String,
}

/// `PATTERN merge=flotilla`, the `.gitattributes` line.
pub fn attributes_line(pattern: &str) -> String {
    format!("{pattern} merge={DRIVER}")
}

/// `'/path/to/flotilla' merge %O %A %B -o %A`: git runs it with the common
/// ancestor, ours (also where the result goes) and theirs.
pub fn driver_command(exe: &Path) -> String {
    format!(
        "{} merge %O %A %B -o %A",
        shell_quote(&exe.display().to_string())
    )
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Writes both lines into the repository holding `dir`, idempotently: the
/// attributes line is appended to `.gitattributes` at the top folder unless it
/// is there already; `merge.flotilla.name` and `merge.flotilla.driver` are set
/// in the repository's config, the driver pointing at `exe`.
pub fn git_setup(dir: &Path, pattern: &str, exe: &Path) -> Result<GitSetup> {
    if pattern.trim().is_empty() || pattern.contains(char::is_whitespace) {
        return Err(Error::invalid(
            Code::BadValue,
            "pattern",
            format!("\"{pattern}\" is not a file pattern (no spaces)"),
        ));
    }
    let top = git(dir, &["rev-parse", "--show-toplevel"]).map_err(|m| {
        Error::invalid(
            Code::NotARepository,
            "repo",
            format!("{} is not in a git work tree: {m}", dir.display()),
        )
    })?;
    let root = PathBuf::from(top.trim());
    let line = attributes_line(pattern);
    let file = root.join(".gitattributes");
    let existing = match std::fs::read_to_string(&file) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(&file, e, false)),
    };
    let added = !existing.lines().any(|l| l.trim() == line);
    if added {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&line);
        text.push('\n');
        std::fs::write(&file, text).map_err(|e| Error::io(&file, e, false))?;
    }
    let driver = driver_command(exe);
    let name_key = format!("merge.{DRIVER}.name");
    let driver_key = format!("merge.{DRIVER}.driver");
    for (key, value) in [
        (name_key.as_str(), "Flotilla semantic plan merge"),
        (driver_key.as_str(), driver.as_str()),
    ] {
        git(&root, &["config", key, value]).map_err(|m| Error::Io {
            path: root.display().to_string(),
            message: format!("git config {key}: {m}"),
            input: false,
        })?;
    }
    Ok(GitSetup {
        root,
        attributes_line: line,
        attributes_added: added,
        driver,
    })
}

/// Runs git in `dir`; its standard output, or its complaint.
fn git(dir: &Path, args: &[&str]) -> std::result::Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_quotes_the_binary_path() {
        assert_eq!(
            driver_command(Path::new("/opt/it's here/flotilla")),
            "'/opt/it'\\''s here/flotilla' merge %O %A %B -o %A"
        );
        assert_eq!(attributes_line("*.plan.json"), "*.plan.json merge=flotilla");
    }
}
