-- Customer profiles. The attributes the platform sent are kept as one JSON document, so
-- that encryption at rest can later wrap that one column; only what the store must search
-- or constrain on is copied out into columns of its own.

-- +goose Up
CREATE TABLE profiles (
    id                TEXT    NOT NULL PRIMARY KEY,
    account_id        TEXT    NOT NULL REFERENCES accounts (id),
    registration_type TEXT    NOT NULL,
    -- The registration id normalised (trimmed, upper-cased, spaces removed): one person,
    -- one profile per account, however the id was typed.
    registration_key  TEXT    NOT NULL CHECK (registration_key <> ''),
    status            TEXT    NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    -- No json_valid() check: once the column is encrypted it will no longer hold JSON,
    -- and SQLite cannot drop a CHECK without rebuilding the table.
    attributes        TEXT    NOT NULL,
    version           INTEGER NOT NULL CHECK (version >= 1),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    -- The source of truth for duplicates: concurrent creates of one person cannot both pass.
    UNIQUE (account_id, registration_type, registration_key)
) STRICT;

-- For listing an account's profiles in creation order, with id as the tie-breaker for
-- keyset pagination.
CREATE INDEX profiles_account_created ON profiles (account_id, created_at, id);

-- +goose Down
DROP TABLE profiles;
