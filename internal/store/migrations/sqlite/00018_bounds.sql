-- Nonces are kept until their own X-TIMESTAMP has left the signature window: expires_at is
-- the first instant (unix microseconds) the timestamp can no longer be accepted, and never
-- sooner than the published 600 s after the nonce was seen. The purge deletes by it, so a
-- request signed a whole window ahead of the clock cannot be replayed after a purge. Nonces
-- from before this migration, whose timestamps are unknown, are kept a day.
--
-- write_probe is the one row /readyz writes every few seconds, to find out that the
-- database no longer takes writes (disk full, read-only) before the requests do.

-- +goose Up
ALTER TABLE nonces ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;
UPDATE nonces SET expires_at = seen_at + 86400000000;
CREATE INDEX nonces_expires ON nonces (expires_at);
CREATE TABLE write_probe (
    id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    written_at INTEGER  NOT NULL
);

-- +goose Down
DROP TABLE write_probe;
DROP INDEX nonces_expires;
ALTER TABLE nonces DROP COLUMN expires_at;
