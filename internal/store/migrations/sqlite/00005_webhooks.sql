-- Webhooks: each account's callback URLs and signing secret, and the outbox of events with
-- every delivery attempt.

-- +goose Up
-- One row per account that configured a URL or made a secret.
CREATE TABLE webhooks (
    account_id TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (id),
    id         TEXT    NOT NULL UNIQUE,
    -- The callback URL of each event name, as a JSON object ("{}" when none).
    urls       TEXT    NOT NULL,
    -- The HMAC-SHA256 key, hex. Kept in the clear: a receiver checks an HMAC with the same
    -- key, so a hash of it could not sign. NULL until the first rotation.
    secret     TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- The outbox. A row is written in the transaction of the status change it reports, with
-- its body frozen; the worker delivers it later, at least once.
CREATE TABLE webhook_events (
    id              TEXT    NOT NULL PRIMARY KEY,
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    profile_id      TEXT    NOT NULL REFERENCES profiles (id),
    event           TEXT    NOT NULL,
    -- 1, 2, 3… per profile, in the order of the profile's changes (made under its lock).
    sequence        INTEGER NOT NULL,
    body            TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- attempts when it was last (re)queued: the budget of attempts counts from here.
    budget_from     INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- A worker's claim: until lease_until no other worker takes the event.
    lease_owner     TEXT,
    lease_until     INTEGER,
    created_at      INTEGER NOT NULL,
    UNIQUE (profile_id, sequence)
) STRICT;

CREATE INDEX webhook_events_due ON webhook_events (state, next_attempt_at);
CREATE INDEX webhook_events_account ON webhook_events (account_id, created_at, id);

-- One row per delivery attempt.
CREATE TABLE webhook_attempts (
    event_id    TEXT    NOT NULL REFERENCES webhook_events (id),
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT,
    latency_us  INTEGER NOT NULL,
    PRIMARY KEY (event_id, attempt)
) STRICT;

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_events;
DROP TABLE webhooks;
