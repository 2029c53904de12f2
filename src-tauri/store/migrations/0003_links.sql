-- Linked plan files: a release kept in step with a plan file on disk.
-- `base` is the file's canonical text as last synced (the common ancestor of
-- the next three-way merge); NULL until the first save or clean sync.
-- No foreign key: importing a release replaces its row, and the link stays.
CREATE TABLE links (
    release_key TEXT PRIMARY KEY,
    path        TEXT NOT NULL,
    base        TEXT,
    synced_at   TEXT
);
