//! The one error type that crosses module borders, the CLI's exit codes and the UI.
//!
//! Every error can be shown as `{ "code", "message", "path" }`: the UI matches on
//! `code`, never on the text.

use serde::Serialize;
use std::fmt;

/// One fault in an input, located by its JSON path (`releases[0].dependencies[3].to`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Problem {
    pub code: &'static str,
    pub path: String,
    pub message: String,
}

impl Problem {
    pub fn new(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            code,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// What any core function can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is wrong; nothing was changed. Exit code 2.
    #[error("{}", list(.0))]
    Invalid(Vec<Problem>),
    /// A named thing does not exist. Exit code 2.
    #[error("{what} \"{key}\" not found")]
    NotFound { what: &'static str, key: String },
    /// A thing exists already and the call did not say to replace it. Exit code 2.
    #[error("{what} \"{key}\" already exists{hint}")]
    Exists {
        what: &'static str,
        key: String,
        hint: &'static str,
    },
    /// A file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        path: String,
        message: String,
        /// True when the file was an input the user named (missing plan file): exit 2.
        input: bool,
    },
    /// The workspace database refused to open (migrations differ, newer than the app).
    #[error("{0}")]
    Workspace(String),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    pub fn invalid(
        code: &'static str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Error {
        Error::Invalid(vec![Problem::new(code, path, message)])
    }

    pub fn io(path: &std::path::Path, e: std::io::Error, input: bool) -> Error {
        Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
            input,
        }
    }

    /// Is this the user's input at fault (exit code 2)?
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::Invalid(_) | Error::NotFound { .. } | Error::Exists { .. } => true,
            Error::Io { input, .. } => *input,
            Error::Workspace(_) | Error::Db(_) => false,
        }
    }

    /// The exit code of spec/cli.md: 2 bad input, 1 anything else.
    pub fn exit_code(&self) -> i32 {
        if self.is_bad_input() {
            2
        } else {
            1
        }
    }

    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid(p) => p.first().map(|p| p.code).unwrap_or("invalid"),
            Error::NotFound { .. } => "not_found",
            Error::Exists { .. } => "exists",
            Error::Io { .. } => "io",
            Error::Workspace(_) => "workspace",
            Error::Db(_) => "database",
        }
    }

    /// The structured form the UI receives: the first problem's code, message, path.
    pub fn payload(&self) -> ErrorPayload {
        match self {
            Error::Invalid(p) if !p.is_empty() => ErrorPayload {
                code: p[0].code.to_string(),
                message: p[0].message.clone(),
                path: p[0].path.clone(),
                problems: p.clone(),
            },
            other => ErrorPayload {
                code: other.code().to_string(),
                message: other.to_string(),
                path: String::new(),
                problems: Vec::new(),
            },
        }
    }
}

/// `{ code, message, path }`, plus every problem when there are several.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
    pub path: String,
    pub problems: Vec<Problem>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
