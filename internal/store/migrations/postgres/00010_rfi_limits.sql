-- Requests for information (RFI), transaction limits (update requests and recorded usage),
-- and what the new webhook events need in the outbox (the PostgreSQL twin of
-- migrations/sqlite/00010).

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
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);

-- At most one outstanding RFI per profile, whoever raises it, on any instance.
CREATE UNIQUE INDEX rfi_requests_outstanding ON rfi_requests (profile_id) WHERE status IN ('sent', 'received');
CREATE INDEX rfi_requests_profile ON rfi_requests (profile_id, created_at);
-- The expiry sweep reads only the RFIs that wait for an answer.
CREATE INDEX rfi_requests_due ON rfi_requests (expires_at) WHERE status = 'sent';

-- Requests to raise a profile's transaction limits; granted is the limit an approval gave,
-- a decimal string in USD.
CREATE TABLE limit_requests (
    id               TEXT   NOT NULL PRIMARY KEY,
    account_id       TEXT   NOT NULL REFERENCES accounts (id),
    profile_id       TEXT   NOT NULL REFERENCES profiles (id),
    status           TEXT   NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    source_of_wealth TEXT   NOT NULL,
    granted          TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

CREATE UNIQUE INDEX limit_requests_pending ON limit_requests (profile_id) WHERE status = 'pending';
CREATE INDEX limit_requests_profile ON limit_requests (profile_id, created_at);

-- Payments and payouts recorded against a profile's limits, once per caller's reference.
-- amount is in millionths of a USD.
CREATE TABLE limit_usage (
    profile_id TEXT   NOT NULL REFERENCES profiles (id),
    reference  TEXT   NOT NULL,
    kind       TEXT   NOT NULL CHECK (kind IN ('payment', 'payout')),
    amount     BIGINT NOT NULL CHECK (amount > 0),
    at         BIGINT NOT NULL,
    PRIMARY KEY (profile_id, reference)
);

CREATE INDEX limit_usage_window ON limit_usage (profile_id, kind, at);

-- The object an event is about (the profile, an RFI, a limits update request), for
-- POST /v1/webhook-events/{event_type}/resend/{triggerable_id}; and when that endpoint last
-- queued the event again.
ALTER TABLE webhook_events ADD COLUMN triggerable_id TEXT;
UPDATE webhook_events SET triggerable_id = profile_id;
ALTER TABLE webhook_events ADD COLUMN resent_at BIGINT;
CREATE INDEX webhook_events_triggerable ON webhook_events (account_id, event, triggerable_id, created_at);

-- The service itself is the actor of a rejection by an expired RFI.
ALTER TABLE profile_history DROP CONSTRAINT profile_history_actor_type_check;
ALTER TABLE profile_history ADD CONSTRAINT profile_history_actor_type_check
    CHECK (actor_type IN ('account', 'reviewer', 'sandbox', 'system'));

-- +goose Down
DELETE FROM profile_history WHERE actor_type = 'system';
ALTER TABLE profile_history DROP CONSTRAINT profile_history_actor_type_check;
ALTER TABLE profile_history ADD CONSTRAINT profile_history_actor_type_check
    CHECK (actor_type IN ('account', 'reviewer', 'sandbox'));
DROP INDEX webhook_events_triggerable;
ALTER TABLE webhook_events DROP COLUMN resent_at;
ALTER TABLE webhook_events DROP COLUMN triggerable_id;
DROP TABLE limit_usage;
DROP TABLE limit_requests;
DROP TABLE rfi_requests;
