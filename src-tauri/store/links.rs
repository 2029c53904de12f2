//! Links between a release and a plan file on disk, with the version of the
//! file last synced (the base of the next three-way merge).

use super::{now, Store};
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension};
use std::path::PathBuf;

/// A release's linked plan file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Link {
    pub release: String,
    pub path: PathBuf,
    /// The file's canonical text as last synced; `None` before the first
    /// save or clean sync.
    pub base: Option<String>,
    pub synced_at: Option<String>,
}

impl Store {
    /// Links `release` (which must exist) to the file at `path`, replacing any
    /// earlier link, with `base` as the last synced version.
    pub fn set_link(&mut self, release: &str, path: &str, base: Option<&str>) -> Result<()> {
        self.require_release(release)?;
        self.conn.execute(
            "INSERT INTO links (release_key, path, base, synced_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(release_key) DO UPDATE SET path = excluded.path, base = excluded.base,
                                                    synced_at = excluded.synced_at",
            params![release, path, base, base.map(|_| now())],
        )?;
        Ok(())
    }

    /// The link of `release`, if it has one.
    pub fn link(&self, release: &str) -> Result<Option<Link>> {
        Ok(self
            .conn
            .query_row(
                "SELECT release_key, path, base, synced_at FROM links WHERE release_key = ?1",
                [release],
                |r| {
                    Ok(Link {
                        release: r.get(0)?,
                        path: PathBuf::from(r.get::<_, String>(1)?),
                        base: r.get(2)?,
                        synced_at: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Every link, by release key.
    pub fn links(&self) -> Result<Vec<Link>> {
        let mut st = self
            .conn
            .prepare("SELECT release_key, path, base, synced_at FROM links ORDER BY release_key")?;
        let rows = st.query_map([], |r| {
            Ok(Link {
                release: r.get(0)?,
                path: PathBuf::from(r.get::<_, String>(1)?),
                base: r.get(2)?,
                synced_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records `base` as the version of the linked file last synced.
    pub fn set_link_base(&mut self, release: &str, base: &str) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE links SET base = ?2, synced_at = ?3 WHERE release_key = ?1",
            params![release, base, now()],
        )?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "link of release",
                key: release.to_string(),
            });
        }
        Ok(())
    }

    fn require_release(&self, release: &str) -> Result<()> {
        let found = self
            .conn
            .query_row("SELECT 1 FROM releases WHERE key = ?1", [release], |_| {
                Ok(())
            })
            .optional()?;
        found.ok_or_else(|| Error::NotFound {
            what: "release",
            key: release.to_string(),
        })
    }
}
