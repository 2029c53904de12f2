//! The edit log: applying an edit with its inverse recorded, undo and redo
//! per release, and the change history (who changed what, when).

use super::edit::{Change, Edit, UndoStep};
use super::edit_write::{to_json, write_edit};
use super::Store;
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Applies one edit in one transaction and records it (it can be undone).
    /// A value of the wrong type, a dangling reference or a cycle is refused
    /// and nothing changes.
    pub fn apply(&mut self, edit: &Edit) -> Result<()> {
        let tx = self.conn.transaction()?;
        let (inverse, summary) = write_edit(&tx, &self.actor, edit, "edit")?;
        let batch: i64 = tx.query_row("SELECT MAX(batch) FROM changes", [], |r| r.get(0))?;
        tx.execute(
            "UPDATE edit_log SET state = 'dropped' WHERE release_key = ?1 AND state = 'undone'",
            [edit.release()],
        )?;
        tx.execute(
            "INSERT INTO edit_log (batch, release_key, edit, inverse, summary, state)
             VALUES (?1, ?2, ?3, ?4, ?5, 'done')",
            params![
                batch,
                edit.release(),
                to_json(edit),
                to_json(&inverse),
                summary
            ],
        )?;
        tx.commit()?;
        tracing::debug!(release = edit.release(), batch, %summary, "edit committed");
        Ok(())
    }

    /// Reverts the newest edit of `release` that is not undone yet.
    pub fn undo(&mut self, release: &str) -> Result<Option<UndoStep>> {
        self.step(release, true)
    }

    /// Re-applies the edit undone last, if nothing was edited since.
    pub fn redo(&mut self, release: &str) -> Result<Option<UndoStep>> {
        self.step(release, false)
    }

    pub fn can_undo(&self, release: &str) -> Result<bool> {
        self.log_exists(release, "done")
    }

    pub fn can_redo(&self, release: &str) -> Result<bool> {
        self.log_exists(release, "undone")
    }

    fn log_exists(&self, release: &str, state: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM edit_log WHERE release_key = ?1 AND state = ?2 LIMIT 1",
                [release, state],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn step(&mut self, release: &str, undo: bool) -> Result<Option<UndoStep>> {
        let sql = if undo {
            "SELECT batch, edit, inverse, summary FROM edit_log
             WHERE release_key = ?1 AND state = 'done' ORDER BY batch DESC LIMIT 1"
        } else {
            "SELECT batch, edit, inverse, summary FROM edit_log
             WHERE release_key = ?1 AND state = 'undone' ORDER BY batch ASC LIMIT 1"
        };
        let row: Option<(i64, String, String, String)> = self
            .conn
            .query_row(sql, [release], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((batch, forward, inverse, summary)) = row else {
            return Ok(None);
        };
        let edit: Edit = serde_json::from_str(if undo { &inverse } else { &forward })
            .map_err(|e| Error::Workspace(format!("edit log entry {batch} is unreadable: {e}")))?;
        let tx = self.conn.transaction()?;
        write_edit(&tx, &self.actor, &edit, if undo { "undo" } else { "redo" }).map_err(
            |e| match e {
                Error::Invalid(p) => Error::Invalid(
                    p.into_iter()
                        .map(|mut p| {
                            p.message = format!(
                                "cannot {} \"{summary}\": {}",
                                if undo { "undo" } else { "redo" },
                                p.message
                            );
                            p
                        })
                        .collect(),
                ),
                other => other,
            },
        )?;
        tx.execute(
            "UPDATE edit_log SET state = ?2 WHERE batch = ?1",
            params![batch, if undo { "undone" } else { "done" }],
        )?;
        tx.commit()?;
        tracing::debug!(release, batch, undo, "undo step committed");
        Ok(Some(UndoStep {
            release: release.to_string(),
            summary,
            can_undo: self.can_undo(release)?,
            can_redo: self.can_redo(release)?,
        }))
    }

    /// The change history, newest first; narrowed to a release (the
    /// workspace's own changes for [`super::WORKSPACE`]), and to one
    /// entity key (a component's key, `from->to` for a dependency) when given.
    pub fn history(
        &self,
        release: Option<&str>,
        key: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Change>> {
        let mut st = self.conn.prepare(
            "SELECT id, batch, at, actor, kind, release_key, entity, entity_key, field, old_value, new_value
             FROM changes
             WHERE (?1 IS NULL OR release_key = ?1 OR (?1 = '' AND release_key IS NULL)) AND (?2 IS NULL OR entity_key = ?2)
             ORDER BY id DESC LIMIT ?3",
        )?;
        let rows = st.query_map(params![release, key, limit as i64], |r| {
            Ok(Change {
                id: r.get(0)?,
                batch: r.get(1)?,
                at: r.get(2)?,
                actor: r.get(3)?,
                kind: r.get(4)?,
                release: r.get(5)?,
                entity: r.get(6)?,
                key: r.get(7)?,
                field: r.get(8)?,
                old: r.get(9)?,
                new: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
