-- Communication plans and the outbox.
-- `releases.comms` is the release's communication plan (plan JSON), NULL when
-- it has none. `outbox` holds every message a run drafted, queued in the same
-- transaction as the run's record of the event it reports; `id` is the order
-- of sending (per channel), `key` the idempotency key (a second queueing of
-- the same message is ignored). `target` is the channel as the runbook had
-- it: secret references only, never a value. `state`: pending | sending |
-- sent | failed; `sending` rows carry the claim's time, so that a sender that
-- died is taken over after a lease.
ALTER TABLE releases ADD COLUMN comms TEXT;

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    run_id      TEXT,
    release_key TEXT NOT NULL,
    event       TEXT NOT NULL,
    audience    TEXT NOT NULL,
    channel     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    target      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending',
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TEXT NOT NULL,
    claimed_at  TEXT,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_at);
