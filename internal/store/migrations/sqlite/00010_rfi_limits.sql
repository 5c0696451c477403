-- Requests for information (RFI), transaction limits (update requests and recorded usage),
-- and what the new webhook events need in the outbox.

-- +goose Up
-- One row per RFI. Its questions, with their answers and reviews, are one JSON array: they
-- are only ever read and changed with their RFI, under its profile's lock.
CREATE TABLE rfi_requests (
    id          TEXT    NOT NULL PRIMARY KEY,
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    profile_id  TEXT    NOT NULL REFERENCES profiles (id),
    status      TEXT    NOT NULL CHECK (status IN ('sent', 'received', 'completed', 'expired')),
    -- 1 when raised while the profile was pending: its expiry rejects the profile.
    onboarding  INTEGER NOT NULL CHECK (onboarding IN (0, 1)),
    expiry_days INTEGER NOT NULL,
    questions   TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;

-- At most one outstanding RFI per profile, whoever raises it, on any instance.
CREATE UNIQUE INDEX rfi_requests_outstanding ON rfi_requests (profile_id) WHERE status IN ('sent', 'received');
CREATE INDEX rfi_requests_profile ON rfi_requests (profile_id, created_at);
-- The expiry sweep reads only the RFIs that wait for an answer.
CREATE INDEX rfi_requests_due ON rfi_requests (expires_at) WHERE status = 'sent';

-- Requests to raise a profile's transaction limits; granted is the limit an approval gave,
-- a decimal string in USD.
CREATE TABLE limit_requests (
    id               TEXT    NOT NULL PRIMARY KEY,
    account_id       TEXT    NOT NULL REFERENCES accounts (id),
    profile_id       TEXT    NOT NULL REFERENCES profiles (id),
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    source_of_wealth TEXT    NOT NULL,
    granted          TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX limit_requests_pending ON limit_requests (profile_id) WHERE status = 'pending';
CREATE INDEX limit_requests_profile ON limit_requests (profile_id, created_at);

-- Payments and payouts recorded against a profile's limits, once per caller's reference.
-- amount is in millionths of a USD.
CREATE TABLE limit_usage (
    profile_id TEXT    NOT NULL REFERENCES profiles (id),
    reference  TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('payment', 'payout')),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    at         INTEGER NOT NULL,
    PRIMARY KEY (profile_id, reference)
) STRICT;

CREATE INDEX limit_usage_window ON limit_usage (profile_id, kind, at);

-- The object an event is about (the profile, an RFI, a limits update request), for
-- POST /v1/webhook-events/{event_type}/resend/{triggerable_id}; and when that endpoint last
-- queued the event again.
ALTER TABLE webhook_events ADD COLUMN triggerable_id TEXT;
UPDATE webhook_events SET triggerable_id = profile_id;
ALTER TABLE webhook_events ADD COLUMN resent_at INTEGER;
CREATE INDEX webhook_events_triggerable ON webhook_events (account_id, event, triggerable_id, created_at);

-- The service itself is the actor of a rejection by an expired RFI. SQLite cannot change
-- a CHECK constraint: the table is rebuilt, nothing references it.
CREATE TABLE profile_history_new (
    seq         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    profile_id  TEXT    NOT NULL REFERENCES profiles (id),
    from_status TEXT,
    to_status   TEXT    NOT NULL CHECK (to_status IN ('pending', 'verified', 'rejected')),
    actor_type  TEXT    NOT NULL CHECK (actor_type IN ('account', 'reviewer', 'sandbox', 'system')),
    actor       TEXT    NOT NULL,
    reason_codes TEXT   NOT NULL,
    at          INTEGER NOT NULL
) STRICT;
INSERT INTO profile_history_new SELECT * FROM profile_history;
DROP TABLE profile_history;
ALTER TABLE profile_history_new RENAME TO profile_history;
CREATE INDEX profile_history_profile ON profile_history (profile_id, seq);

-- +goose Down
DELETE FROM profile_history WHERE actor_type = 'system';
CREATE TABLE profile_history_old (
    seq         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    profile_id  TEXT    NOT NULL REFERENCES profiles (id),
    from_status TEXT,
    to_status   TEXT    NOT NULL CHECK (to_status IN ('pending', 'verified', 'rejected')),
    actor_type  TEXT    NOT NULL CHECK (actor_type IN ('account', 'reviewer', 'sandbox')),
    actor       TEXT    NOT NULL,
    reason_codes TEXT   NOT NULL,
    at          INTEGER NOT NULL
) STRICT;
INSERT INTO profile_history_old SELECT * FROM profile_history;
DROP TABLE profile_history;
ALTER TABLE profile_history_old RENAME TO profile_history;
CREATE INDEX profile_history_profile ON profile_history (profile_id, seq);
DROP INDEX webhook_events_triggerable;
ALTER TABLE webhook_events DROP COLUMN resent_at;
ALTER TABLE webhook_events DROP COLUMN triggerable_id;
DROP TABLE limit_usage;
DROP TABLE limit_requests;
DROP TABLE rfi_requests;
