-- Request signing: each account's Ed25519 public keys, its signing switch, and the nonces
-- of the signed requests it has made.

-- +goose Up
-- NULL: signing is off. A time rather than a flag, so that one can tell since when.
ALTER TABLE accounts ADD COLUMN signing_enabled_at INTEGER;

-- key holds the 32 raw bytes of the Ed25519 public key. A key is deleted for real: a
-- request naming a deleted key gets the same 404 as one naming a key that never was.
CREATE TABLE public_keys (
    id         TEXT    NOT NULL PRIMARY KEY,
    account_id TEXT    NOT NULL REFERENCES accounts (id),
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    key        BLOB    NOT NULL CHECK (length(key) = 32),
    enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, key)
) STRICT;

CREATE INDEX public_keys_account ON public_keys (account_id, created_at, id);

-- The UNIQUE constraint is what makes replay detection atomic: of two requests with the
-- same nonce, exactly one INSERT succeeds. Nonces are stored lower-cased.
CREATE TABLE nonces (
    account_id TEXT    NOT NULL REFERENCES accounts (id),
    nonce      TEXT    NOT NULL,
    seen_at    INTEGER NOT NULL,
    UNIQUE (account_id, nonce)
) STRICT;

CREATE INDEX nonces_seen ON nonces (seen_at);

-- +goose Down
DROP TABLE nonces;
DROP TABLE public_keys;
ALTER TABLE accounts DROP COLUMN signing_enabled_at;
