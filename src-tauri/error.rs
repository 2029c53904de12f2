//! The one error type that crosses module borders, the CLI's exit codes and the UI.
//!
//! Every error can be shown as `{ "code", "message", "path", "detail" }`
//! ([`ErrorPayload`], generated into TypeScript): the UI matches on `code`, a
//! closed [`Code`] enum, and reads structured facts from `detail`, never from
//! the text of `message`.

use schemars::JsonSchema;
use serde::Serialize;
use std::fmt;

/// Declares [`Code`]: every machine-readable error code, in one closed list.
macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $text:literal,)*) => {
        /// A stable, machine-readable error code, serialised by its snake_case name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Code {
            $($(#[$doc])* $name,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The code as it is written in JSON and on the command line.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $text,)*
                }
            }
        }
    };
}

codes! {
    // Input that is malformed.
    /// The file is not JSON (or ends early).
    Syntax = "syntax",
    /// A field the format does not have.
    UnknownField = "unknown_field",
    /// A field the format requires is missing.
    MissingField = "missing_field",
    /// A value of the wrong kind or shape.
    BadValue = "bad_value",
    /// A number outside its allowed range.
    OutOfRange = "out_of_range",
    BadDate = "bad_date",
    BadTime = "bad_time",
    BadKey = "bad_key",
    BadUrl = "bad_url",
    /// An http URL that is neither loopback nor marked `allow_http`.
    InsecureUrl = "insecure_url",
    /// A secret written as a value instead of a reference.
    BadSecret = "bad_secret",
    BadSecretName = "bad_secret_name",
    EmptySecret = "empty_secret",
    BadReference = "bad_reference",
    BadVersion = "bad_version",
    BadFormat = "bad_format",
    BadField = "bad_field",
    BadEdit = "bad_edit",
    BadPath = "bad_path",
    BadRunbook = "bad_runbook",
    BadPacket = "bad_packet",
    /// A file's text encoding is not UTF-8.
    Encoding = "encoding",
    MissingValue = "missing_value",
    // Input that contradicts itself or the workspace.
    DuplicateKey = "duplicate_key",
    UnknownReference = "unknown_reference",
    /// Dependencies that form a loop; the detail names its keys.
    Cycle = "cycle",
    /// A thing still referred to by others.
    InUse = "in_use",
    NotOwned = "not_owned",
    MissingRelease = "missing_release",
    WrongRelease = "wrong_release",
    ReleaseRequired = "release_required",
    NoRelease = "no_release",
    NotLinked = "not_linked",
    NotSynced = "not_synced",
    NotARepository = "not_a_repository",
    // Runbooks and runs.
    DigestMismatch = "digest_mismatch",
    /// The runbook's release changed since it was compiled.
    RunbookChanged = "runbook_changed",
    RunInProgress = "run_in_progress",
    RunFinished = "run_finished",
    /// A secret's environment variable or keyring entry is missing or unreachable.
    SecretUnavailable = "secret_unavailable",
    /// Pre-flight checklist items are not done.
    PreflightOpen = "preflight_open",
    InsecureEndpoint = "insecure_endpoint",
    /// A metric trigger's query that the Prometheus server refuses or cannot answer.
    MetricQuery = "metric_query",
    /// A step that its service would refuse (Argo CD auto-sync against a
    /// revision or a rollback).
    ServiceRefuses = "service_refuses",
    // The other variants of [`Error`].
    NotFound = "not_found",
    Exists = "exists",
    Io = "io",
    /// The workspace database refused to open, or is unavailable.
    Workspace = "workspace",
    /// The run journal or the runtime a run needs could not work.
    Run = "run",
    /// A window-side failure: a file chooser, a dialog, a background task.
    Desktop = "desktop",
    Database = "database",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

/// Structured facts about a problem, for the UI to show without reading the
/// message's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Detail {
    /// The keys of a dependency cycle, in order, the first repeated at the end
    /// (`a, b, c, a`).
    Cycle { keys: Vec<String> },
}

/// One fault in an input, located by its JSON path (`releases[0].dependencies[3].to`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Problem {
    pub code: Code,
    pub path: String,
    pub message: String,
    /// Structured facts, where the code has any (left out when there are none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<Detail>,
}

impl Problem {
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            code,
            path: path.into(),
            message: message.into(),
            detail: None,
        }
    }

    pub fn with_detail(mut self, detail: Detail) -> Problem {
        self.detail = Some(detail);
        self
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
    /// The workspace database refused to open (migrations differ, newer than
    /// the app) or is unavailable after an earlier failure.
    #[error("{0}")]
    Workspace(String),
    /// A run could not keep its journal or start its runtime.
    #[error("{0}")]
    Run(String),
    /// A secret could not be read or stored.
    #[error(transparent)]
    Secret(#[from] crate::exec::secret::SecretError),
    /// The window could not do what was asked (a file chooser, a dialog, a
    /// background task).
    #[error("{0}")]
    Desktop(String),
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
    pub fn invalid(code: Code, path: impl Into<String>, message: impl Into<String>) -> Error {
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
            Error::Secret(e) => e.is_bad_input(),
            Error::Workspace(_) | Error::Run(_) | Error::Desktop(_) | Error::Db(_) => false,
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
    pub fn code(&self) -> Code {
        match self {
            Error::Invalid(p) => p.first().map(|p| p.code).unwrap_or(Code::BadValue),
            Error::NotFound { .. } => Code::NotFound,
            Error::Exists { .. } => Code::Exists,
            Error::Io { .. } => Code::Io,
            Error::Workspace(_) => Code::Workspace,
            Error::Run(_) => Code::Run,
            Error::Secret(e) => e.code(),
            Error::Desktop(_) => Code::Desktop,
            Error::Db(_) => Code::Database,
        }
    }

    /// The structured form the UI receives: the first problem's code, message, path.
    pub fn payload(&self) -> ErrorPayload {
        match self {
            Error::Invalid(p) if !p.is_empty() => ErrorPayload {
                code: p[0].code,
                message: p[0].message.clone(),
                path: p[0].path.clone(),
                detail: p[0].detail.clone(),
                problems: p.clone(),
            },
            other => ErrorPayload {
                code: other.code(),
                message: other.to_string(),
                path: String::new(),
                detail: None,
                problems: Vec::new(),
            },
        }
    }
}

/// What a desktop command rejects with: the first problem's code, message,
/// path and detail, plus every problem when there are several.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ErrorPayload {
    pub code: Code,
    pub message: String,
    /// Where in the input the fault is (`releases[0].dependencies[3]`), or "".
    pub path: String,
    pub detail: Option<Detail>,
    pub problems: Vec<Problem>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
