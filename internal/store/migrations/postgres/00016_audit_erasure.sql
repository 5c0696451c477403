-- The audit log (a hash chain: internal/audit) and the end of a business relationship:
-- closing, legal holds and erasure (the PostgreSQL twin of migrations/sqlite/00016).

-- +goose Up
-- One row per audited action. seq is given by the writer under the head's lock (below), 1,
-- 2, 3… without gaps; prev_hash and hash are hex SHA-256 (internal/audit). No personal data:
-- ids, action names and error codes only.
CREATE TABLE audit_log (
    seq        BIGINT NOT NULL PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_type TEXT    NOT NULL,
    actor      TEXT    NOT NULL,
    api_key_id TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    -- The first target that is a profile, for the filter by profile ('' when none).
    profile_id TEXT    NOT NULL,
    -- Every target id, as a JSON array.
    targets    TEXT    NOT NULL,
    request_id TEXT    NOT NULL,
    outcome    TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL
);

-- An account reads the records of its own actions (GET /v1/audit-events).
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_actor_profile ON audit_log (actor, profile_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- The chain's head: the last record's seq and hash, in one row that every append locks and
-- updates, so that appends from every instance queue there and the chain stays one chain.
CREATE TABLE audit_head (
    id   SMALLINT NOT NULL PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The end of the relationship (POST …/close), a legal hold that forbids erasure while it is
-- set, and the erasure itself: the attributes are cleared, the row stays as a tombstone.
ALTER TABLE profiles ADD COLUMN closed_at BIGINT;
ALTER TABLE profiles ADD COLUMN held_at BIGINT;
ALTER TABLE profiles ADD COLUMN hold_reason TEXT;
ALTER TABLE profiles ADD COLUMN erased_at BIGINT;
-- JSON: {"forced":bool,"reason":"…","by":"…"}; NULL until erased.
ALTER TABLE profiles ADD COLUMN erasure TEXT;

-- Erasure clears the bodies of the profile's webhook events; those not yet delivered are
-- dropped: failed, with the time of dropping here and an attempt saying why.
ALTER TABLE webhook_events ADD COLUMN dropped_at BIGINT;

-- +goose Down
ALTER TABLE webhook_events DROP COLUMN dropped_at;
ALTER TABLE profiles DROP COLUMN erasure;
ALTER TABLE profiles DROP COLUMN erased_at;
ALTER TABLE profiles DROP COLUMN hold_reason;
ALTER TABLE profiles DROP COLUMN held_at;
ALTER TABLE profiles DROP COLUMN closed_at;
DROP TABLE audit_head;
DROP TABLE audit_log;
