-- Accounts are the platforms that call the API; API keys authenticate them.
-- Times are unix microseconds, UTC. Tables are STRICT so that a value of the wrong type
-- is refused instead of being stored as whatever SQLite's type affinity makes of it.

-- +goose Up
CREATE TABLE accounts (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE CHECK (name <> ''),
    created_at INTEGER NOT NULL
) STRICT;

-- hash is the SHA-256 of the secret, never the secret itself; its unique index is what
-- authentication looks keys up by.
CREATE TABLE api_keys (
    id         TEXT    NOT NULL PRIMARY KEY,
    account_id TEXT    NOT NULL REFERENCES accounts (id),
    name       TEXT    NOT NULL,
    hint       TEXT    NOT NULL,
    hash       BLOB    NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER
) STRICT;

CREATE INDEX api_keys_account ON api_keys (account_id, created_at, id);

-- +goose Down
DROP TABLE api_keys;
DROP TABLE accounts;
