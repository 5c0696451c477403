-- The verification lifecycle (the PostgreSQL twin of migrations/sqlite/00004): a rejected
-- profile's rejection, the history of every status change, and the index that keeps
-- listing by updated_at fast at any depth.

-- +goose Up
-- The rejection a rejected profile carries (JSON: retryable, summary, codes); NULL otherwise.
ALTER TABLE profiles ADD COLUMN rejection TEXT;

-- One row per status change, creation included (from_status NULL). Append-only. seq orders
-- one profile's changes: they are made under the profile's row lock, so in commit order.
CREATE TABLE profile_history (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id   TEXT   NOT NULL REFERENCES profiles (id),
    from_status  TEXT,
    to_status    TEXT   NOT NULL CHECK (to_status IN ('pending', 'verified', 'rejected')),
    actor_type   TEXT   NOT NULL CHECK (actor_type IN ('account', 'reviewer', 'sandbox')),
    actor        TEXT   NOT NULL,
    -- The rejection codes of the change, as a JSON array ("[]" when none).
    reason_codes TEXT   NOT NULL,
    at           BIGINT NOT NULL
);

CREATE INDEX profile_history_profile ON profile_history (profile_id, seq);

-- Keyset pagination by updated_at, both directions, with id as the tie-breaker.
CREATE INDEX profiles_account_updated ON profiles (account_id, updated_at, id);

-- +goose Down
DROP INDEX profiles_account_updated;
DROP TABLE profile_history;
ALTER TABLE profiles DROP COLUMN rejection;
