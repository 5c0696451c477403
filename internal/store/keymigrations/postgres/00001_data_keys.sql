-- The key store: a database apart from the data (a file beside it), so that a backup of
-- the data alone holds no key that opens it. Each row is one data key, wrapped by a
-- key-encryption key; deleting a row makes every copy of its owner's sealed values, in
-- every backup, unreadable.

-- +goose Up
CREATE TABLE data_keys (
    -- A profile id, or "lookup" for the key of the keyed hashes.
    owner      TEXT    NOT NULL PRIMARY KEY,
    -- The id of the KEK that wrapped it (keys.KEK.ID): what a rotation has left to do.
    kek        TEXT    NOT NULL,
    wrapped    BYTEA   NOT NULL,
    created_at BIGINT  NOT NULL
);

CREATE INDEX data_keys_kek ON data_keys (kek, owner);

-- +goose Down
DROP TABLE data_keys;
