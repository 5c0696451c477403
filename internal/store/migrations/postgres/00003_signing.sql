-- Request signing (the PostgreSQL twin of migrations/sqlite/00003): each account's Ed25519
-- public keys, its signing switch, and the nonces of the signed requests it has made.

-- +goose Up
-- NULL: signing is off. A time rather than a flag, so that one can tell since when.
ALTER TABLE accounts ADD COLUMN signing_enabled_at BIGINT;

-- key holds the 32 raw bytes of the Ed25519 public key. enabled stays an INTEGER 0/1 as in
-- SQLite, so that the store's SQL (enabled = 1) is the same text on both databases.
CREATE TABLE public_keys (
    id         TEXT     NOT NULL PRIMARY KEY,
    account_id TEXT     NOT NULL REFERENCES accounts (id),
    name       TEXT     NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    key        BYTEA    NOT NULL CHECK (length(key) = 32),
    enabled    SMALLINT NOT NULL CHECK (enabled IN (0, 1)),
    created_at BIGINT   NOT NULL,
    UNIQUE (account_id, key)
);

CREATE INDEX public_keys_account ON public_keys (account_id, created_at, id);

-- The UNIQUE constraint is what makes replay detection atomic across instances: of two
-- requests with the same nonce, exactly one INSERT succeeds. Nonces are stored lower-cased.
CREATE TABLE nonces (
    account_id TEXT   NOT NULL REFERENCES accounts (id),
    nonce      TEXT   NOT NULL,
    seen_at    BIGINT NOT NULL,
    UNIQUE (account_id, nonce)
);

CREATE INDEX nonces_seen ON nonces (seen_at);

-- +goose Down
DROP TABLE nonces;
DROP TABLE public_keys;
ALTER TABLE accounts DROP COLUMN signing_enabled_at;
