//! The workspace: a SQLite file holding every team, endpoint and release, and the
//! history of every change.
//!
//! Owns: the schema and its migrations, all reads and writes, the change history.
//! Must not touch: scheduling, HTTP, the UI. Every write is one transaction.

mod edit;
mod edit_apply;
mod edit_log;
mod edit_workspace;
mod edit_write;
mod import;
mod links;
mod outbox;
mod read;
mod run_state;
mod runs;

pub use edit::{
    Change, ChecklistField, ComponentField, DependencyField, Edit, ReleaseField, UndoStep,
    WORKSPACE,
};
pub use import::ImportReport;
pub use links::Link;
pub use outbox::{OutboxMessage, Outcome, Queued};
pub use read::ReleaseSummary;
pub use run_state::{OutboxState, RunState, StepState};
pub use runs::{
    audit_hash, verify_chain, AuditCheck, AuditEntry, AuditRecord, RunRecord, RunWrite, StepRecord,
    AUDIT_GENESIS,
};

use crate::error::{Code, Error, Result};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The migrations this build ships, in order: (version, name, SQL).
const MIGRATIONS: &[(u32, &str, &str)] = &[
    (1, "init", include_str!("migrations/0001_init.sql")),
    (2, "undo", include_str!("migrations/0002_undo.sql")),
    (3, "links", include_str!("migrations/0003_links.sql")),
    (4, "runs", include_str!("migrations/0004_runs.sql")),
    (5, "comms", include_str!("migrations/0005_comms.sql")),
    (6, "notes", include_str!("migrations/0006_notes.sql")),
];

/// The schema version this build writes: the number of shipped migrations.
pub fn shipped_schema_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// An open workspace database.
pub struct Store {
    conn: Connection,
    actor: String,
}

impl Store {
    /// Opens (creating if needed) the workspace at `path` and brings its schema
    /// up to date. Refuses a database whose applied migrations differ from the
    /// shipped ones, or that is newer than this build.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e, false))?;
        }
        let conn = Connection::open(path)?;
        Store::init(conn, &path.display().to_string())
    }

    /// A private in-memory workspace (tests, `--plan` work).
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, ":memory:")
    }

    fn init(conn: Connection, name: &str) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let not_db = |e: rusqlite::Error| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                Error::Workspace(format!(
                    "{name} is not a Flotilla workspace (not a SQLite database)"
                ))
            }
            e => Error::Db(e),
        };
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(not_db)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            actor: String::new(),
        };
        store.migrate(name)?;
        store.actor = store.default_actor()?;
        Ok(store)
    }

    fn migrate(&mut self, name: &str) -> Result<()> {
        self.conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                checksum   TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )",
        )?;
        let applied: Vec<(u32, String, String)> = {
            let mut st = self.conn.prepare(
                "SELECT version, name, checksum FROM schema_migrations ORDER BY version",
            )?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let shipped = MIGRATIONS.len() as u32;
        for (i, (version, mname, checksum)) in applied.iter().enumerate() {
            if *version > shipped {
                return Err(Error::Workspace(format!(
                    "{name} was written by a newer Flotilla (schema {}, this build knows {shipped}): update Flotilla to open it",
                    applied.last().map(|a| a.0).unwrap_or(*version)
                )));
            }
            let Some(&(sv, sname, sql)) = (*version as usize)
                .checked_sub(1)
                .and_then(|i| MIGRATIONS.get(i))
            else {
                return Err(Error::Workspace(format!(
                    "{name}: applied migration {version} \"{mname}\" is not one this build ships (1 to {shipped}); refusing to open a workspace of unknown shape"
                )));
            };
            if *version != i as u32 + 1 || *mname != sname || *checksum != sql_checksum(sql) {
                return Err(Error::Workspace(format!(
                    "{name}: applied migration {version} \"{mname}\" differs from the one this build ships ({sv} \"{sname}\"); refusing to open a workspace of unknown shape"
                )));
            }
        }
        for &(version, mname, sql) in &MIGRATIONS[applied.len()..] {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![version, mname, sql_checksum(sql), now()],
            )?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The schema version of this workspace.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )?)
    }

    /// Who edits are recorded as: `FLOTILLA_ACTOR`, else the name set in the app,
    /// else the OS user name.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    fn default_actor(&self) -> Result<String> {
        if let Ok(a) = std::env::var("FLOTILLA_ACTOR") {
            if !a.trim().is_empty() {
                return Ok(a);
            }
        }
        if let Some(a) = self.setting("actor")? {
            return Ok(a);
        }
        Ok(os_user())
    }

    /// Sets, and remembers, the name edits are recorded under.
    pub fn set_actor(&mut self, name: &str) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid(Code::BadValue, "actor", "the name is empty"));
        }
        self.set_setting("actor", name)?;
        self.actor = name.to_string();
        Ok(())
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

/// `flotilla.db` in the OS's per-user data folder (`~/.local/share/flotilla` on
/// Linux, `~/Library/Application Support/flotilla` on macOS, `%APPDATA%\flotilla` on Windows).
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("flotilla")
        .join("flotilla.db")
}

fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .or_else(|| {
            dirs::home_dir().and_then(|h| h.file_name().map(|n| n.to_string_lossy().to_string()))
        })
        .unwrap_or_else(|| "unknown".to_string())
}

fn sql_checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// Now, as recorded in the history: RFC 3339 UTC with milliseconds.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
