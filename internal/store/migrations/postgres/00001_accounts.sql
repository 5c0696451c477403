-- Accounts are the platforms that call the API; API keys authenticate them.
-- The PostgreSQL twin of migrations/sqlite/00001: same version, same tables, same SQL in the
-- code. Times are unix microseconds, UTC, in BIGINT, as in SQLite, so that one query text
-- serves both databases.

-- +goose Up
CREATE TABLE accounts (
    id         TEXT   NOT NULL PRIMARY KEY,
    name       TEXT   NOT NULL UNIQUE CHECK (name <> ''),
    created_at BIGINT NOT NULL
);

-- hash is the SHA-256 of the secret, never the secret itself; its unique index is what
-- authentication looks keys up by.
CREATE TABLE api_keys (
    id         TEXT   NOT NULL PRIMARY KEY,
    account_id TEXT   NOT NULL REFERENCES accounts (id),
    name       TEXT   NOT NULL,
    hint       TEXT   NOT NULL,
    hash       BYTEA  NOT NULL UNIQUE CHECK (length(hash) = 32),
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT
);

CREATE INDEX api_keys_account ON api_keys (account_id, created_at, id);

-- +goose Down
DROP TABLE api_keys;
DROP TABLE accounts;
