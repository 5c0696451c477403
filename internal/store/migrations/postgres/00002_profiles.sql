-- Customer profiles (the PostgreSQL twin of migrations/sqlite/00002). The attributes the
-- platform sent are kept as one JSON document in TEXT, not JSONB: the column is to be
-- encrypted at rest later, and JSONB would reorder keys and drop duplicates.

-- +goose Up
CREATE TABLE profiles (
    id                TEXT    NOT NULL PRIMARY KEY,
    account_id        TEXT    NOT NULL REFERENCES accounts (id),
    registration_type TEXT    NOT NULL,
    -- The registration id normalised (trimmed, upper-cased, spaces removed): one person,
    -- one profile per account, however the id was typed.
    registration_key  TEXT    NOT NULL CHECK (registration_key <> ''),
    status            TEXT    NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    attributes        TEXT    NOT NULL,
    version           INTEGER NOT NULL CHECK (version >= 1),
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    -- The source of truth for duplicates, across every instance: of two concurrent creates
    -- of one person, the second waits for the first to commit and then fails.
    UNIQUE (account_id, registration_type, registration_key)
);

-- For listing an account's profiles in creation order, with id as the tie-breaker for
-- keyset pagination.
CREATE INDEX profiles_account_created ON profiles (account_id, created_at, id);

-- +goose Down
DROP TABLE profiles;
