-- Sanctions lists (the PostgreSQL twin of migrations/sqlite/00008): every imported snapshot
-- of every source, kept (versioned); the active snapshot of a source is its highest version.

-- +goose Up
CREATE TABLE list_snapshots (
    id           TEXT    NOT NULL PRIMARY KEY,
    source       TEXT    NOT NULL CHECK (source IN ('ofac', 'un', 'custom')),
    -- 1, 2, 3… per source, in the order of import.
    version      BIGINT  NOT NULL,
    -- The publication time the file states (the UN's dateGenerated); NULL when it states none.
    published_at BIGINT,
    -- Hex SHA-256 of the bytes imported (OFAC: sdn, alt, add, comments, in that order).
    sha256       TEXT    NOT NULL,
    entries      BIGINT  NOT NULL,
    aliases      BIGINT  NOT NULL,
    imported_at  BIGINT  NOT NULL,
    -- The entries, as gzip-compressed JSON (screening.Entry): a snapshot is written and read
    -- whole, never queried entry by entry, and compressed it is a few hundred KB.
    content      BYTEA   NOT NULL,
    UNIQUE (source, version)
);

-- +goose Down
DROP TABLE list_snapshots;
