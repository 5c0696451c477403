-- The verification lifecycle: a rejected profile's rejection, the history of every status
-- change, and the indexes that keep listing by updated_at fast at any depth.

-- +goose Up
-- The rejection a rejected profile carries (JSON: retryable, summary, codes); NULL otherwise.
ALTER TABLE profiles ADD COLUMN rejection TEXT;

-- One row per status change, creation included (from_status NULL). Append-only.
CREATE TABLE profile_history (
    seq         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    profile_id  TEXT    NOT NULL REFERENCES profiles (id),
    from_status TEXT,
    to_status   TEXT    NOT NULL CHECK (to_status IN ('pending', 'verified', 'rejected')),
    actor_type  TEXT    NOT NULL CHECK (actor_type IN ('account', 'reviewer', 'sandbox')),
    actor       TEXT    NOT NULL,
    -- The rejection codes of the change, as a JSON array ("[]" when none).
    reason_codes TEXT   NOT NULL,
    at          INTEGER NOT NULL
) STRICT;

CREATE INDEX profile_history_profile ON profile_history (profile_id, seq);

-- Keyset pagination by updated_at, both directions, with id as the tie-breaker.
CREATE INDEX profiles_account_updated ON profiles (account_id, updated_at, id);

-- +goose Down
DROP INDEX profiles_account_updated;
DROP TABLE profile_history;
ALTER TABLE profiles DROP COLUMN rejection;
