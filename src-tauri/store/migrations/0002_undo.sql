-- Undo and redo: every edit keeps its forward and inverse form.
ALTER TABLE changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'edit';

CREATE TABLE edit_log (
    batch       INTEGER PRIMARY KEY,
    release_key TEXT NOT NULL,
    edit        TEXT NOT NULL,
    inverse     TEXT NOT NULL,
    summary     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('done', 'undone', 'dropped'))
);
CREATE INDEX edit_log_release ON edit_log(release_key, state);
