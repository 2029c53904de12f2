-- Flotilla workspace, schema 1.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE teams (
    key      TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    contacts TEXT,
    position INTEGER NOT NULL
);

CREATE TABLE endpoints (
    name     TEXT PRIMARY KEY,
    spec     TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE releases (
    id                INTEGER PRIMARY KEY,
    key               TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    status            TEXT NOT NULL,
    start             TEXT NOT NULL,
    feature_freeze    TEXT,
    code_freeze       TEXT,
    release_date      TEXT NOT NULL,
    strategy          TEXT,
    rollback_triggers TEXT NOT NULL DEFAULT '[]',
    deploy_schedule   TEXT,
    archived          INTEGER NOT NULL DEFAULT 0,
    position          INTEGER NOT NULL
);

CREATE TABLE components (
    id            INTEGER PRIMARY KEY,
    release_id    INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    title         TEXT NOT NULL,
    team          TEXT NOT NULL REFERENCES teams(key),
    status        TEXT NOT NULL,
    duration_days INTEGER NOT NULL CHECK (duration_days >= 1),
    start         TEXT,
    eta           TEXT,
    done_on       TEXT,
    labels        TEXT NOT NULL DEFAULT '[]',
    deploy        TEXT,
    position      INTEGER NOT NULL,
    UNIQUE (release_id, key)
);

CREATE TABLE status_updates (
    id           INTEGER PRIMARY KEY,
    component_id INTEGER NOT NULL REFERENCES components(id) ON DELETE CASCADE,
    date         TEXT NOT NULL,
    text         TEXT NOT NULL,
    position     INTEGER NOT NULL
);
CREATE INDEX status_updates_component ON status_updates(component_id);

CREATE TABLE dependencies (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    from_id     INTEGER NOT NULL REFERENCES components(id) ON DELETE CASCADE,
    to_id       INTEGER NOT NULL REFERENCES components(id) ON DELETE CASCADE,
    needed_by   TEXT,
    buffer_days INTEGER,
    lag_days    INTEGER,
    position    INTEGER NOT NULL,
    UNIQUE (from_id, to_id)
);
CREATE INDEX dependencies_release ON dependencies(release_id);
CREATE INDEX dependencies_to ON dependencies(to_id);

CREATE TABLE milestones (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    name        TEXT NOT NULL,
    phase       TEXT,
    components  TEXT NOT NULL,
    due         TEXT NOT NULL,
    environment TEXT,
    owners      TEXT NOT NULL DEFAULT '[]',
    position    INTEGER NOT NULL,
    UNIQUE (release_id, key)
);

CREATE TABLE scenarios (
    id           INTEGER PRIMARY KEY,
    milestone_id INTEGER NOT NULL REFERENCES milestones(id) ON DELETE CASCADE,
    text         TEXT NOT NULL,
    done         INTEGER NOT NULL,
    position     INTEGER NOT NULL
);
CREATE INDEX scenarios_milestone ON scenarios(milestone_id);

CREATE TABLE checklist_items (
    id         INTEGER PRIMARY KEY,
    release_id INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    owner      TEXT,
    due        TEXT,
    done       INTEGER NOT NULL,
    gate       INTEGER NOT NULL,
    position   INTEGER NOT NULL
);
CREATE INDEX checklist_items_release ON checklist_items(release_id);

-- The change history: one row per changed field, grouped by batch (one edit).
CREATE TABLE changes (
    id          INTEGER PRIMARY KEY,
    batch       INTEGER NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    release_key TEXT,
    entity      TEXT NOT NULL,
    entity_key  TEXT NOT NULL,
    field       TEXT,
    old_value   TEXT,
    new_value   TEXT
);
CREATE INDEX changes_entity ON changes(entity, entity_key);
CREATE INDEX changes_batch ON changes(batch);
