-- Runbook runs: the state of every run and step, written on every transition,
-- and the append-only, hash-chained audit trail of every call.
CREATE TABLE runs (
    id          TEXT PRIMARY KEY,
    release_key TEXT NOT NULL,
    digest      TEXT NOT NULL,
    runbook     TEXT NOT NULL,
    actor       TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    state       TEXT NOT NULL,
    forced      INTEGER NOT NULL DEFAULT 0,
    reason      TEXT,
    exit_code   INTEGER
);

CREATE TABLE run_steps (
    run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_id      TEXT NOT NULL,
    wave         INTEGER NOT NULL,
    position     INTEGER NOT NULL,
    state        TEXT NOT NULL,
    provider_ref TEXT,
    completed    INTEGER,
    started_at   TEXT,
    finished_at  TEXT,
    message      TEXT,
    PRIMARY KEY (run_id, step_id)
);

CREATE TABLE run_audit (
    run_id      TEXT NOT NULL REFERENCES runs(id),
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    step        TEXT,
    kind        TEXT NOT NULL,
    method      TEXT NOT NULL,
    url         TEXT NOT NULL,
    status      INTEGER,
    duration_ms INTEGER NOT NULL,
    note        TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

CREATE TRIGGER run_audit_no_update BEFORE UPDATE ON run_audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER run_audit_no_delete BEFORE DELETE ON run_audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
