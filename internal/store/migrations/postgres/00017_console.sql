-- The review console's principals: reviewers (people, not API keys) and their server-side
-- sessions (the PostgreSQL twin of migrations/sqlite/00017). Only hashes of the enrolment
-- link's token and of session ids are kept, so a copy of the database opens no session.

-- +goose Up
CREATE TABLE reviewers (
    id             TEXT    NOT NULL PRIMARY KEY,
    name           TEXT    NOT NULL,
    email          TEXT    NOT NULL UNIQUE,
    role           TEXT    NOT NULL CHECK (role IN ('reviewer', 'admin')),
    status         TEXT    NOT NULL CHECK (status IN ('invited', 'active', 'disabled')),
    -- argon2id in the PHC string format; empty until enrolment.
    password_hash  TEXT    NOT NULL DEFAULT '',
    -- The TOTP secret (base32), shown once on the enrolment page; totp_enabled is 0 for a
    -- sandbox reviewer who enrolled without a second factor.
    totp_secret    TEXT    NOT NULL,
    totp_enabled   INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
    -- The last TOTP time step accepted: a code is good once.
    totp_last_step BIGINT  NOT NULL DEFAULT 0,
    -- SHA-256 of the one-time enrolment token; NULL once used.
    enrol_hash     TEXT    UNIQUE,
    enrol_expires_at BIGINT,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   BIGINT  NOT NULL DEFAULT 0,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);

CREATE TABLE reviewer_sessions (
    -- SHA-256 of the session cookie's value.
    id_hash      TEXT    NOT NULL PRIMARY KEY,
    reviewer_id  TEXT    NOT NULL REFERENCES reviewers (id),
    csrf         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_seen_at BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);

CREATE INDEX reviewer_sessions_reviewer ON reviewer_sessions (reviewer_id);

-- The review queue reads the pending profiles of every account, oldest first.
CREATE INDEX profiles_pending ON profiles (created_at, id) WHERE status = 'pending';

-- +goose Down
DROP INDEX profiles_pending;
DROP TABLE reviewer_sessions;
DROP TABLE reviewers;
