-- Idempotency keys (the PostgreSQL twin of migrations/sqlite/00012): per account, the first
-- request made with a key and, once it finished, its answer, kept so that a retry gets the same.

-- +goose Up
-- state: 'running' while the first request is in flight (owner holds it until lease_until,
-- then a retry may take it over if no work was done); 'done' once its answer is kept;
-- 'lost' when its work committed but its answer could not be kept (a crash, a 5xx, an
-- answer over the size bound): a retry is told so, the work is never done twice.
-- work_at is set by the first write of the work, in the work's own transaction.
-- response_body holds personal data (a profile's document): it is read and written only in
-- internal/store/idempotency.go, where it is sealed.
CREATE TABLE idempotency_keys (
    account_id      TEXT    NOT NULL REFERENCES accounts (id),
    key             TEXT    NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    fingerprint     BYTEA   NOT NULL CHECK (length(fingerprint) = 32),
    state           TEXT    NOT NULL CHECK (state IN ('running', 'done', 'lost')),
    owner           TEXT    NOT NULL,
    lease_until     BIGINT  NOT NULL,
    work_at         BIGINT,
    response_status INTEGER,
    response_header TEXT,
    response_body   BYTEA,
    created_at      BIGINT  NOT NULL,
    expires_at      BIGINT  NOT NULL,
    PRIMARY KEY (account_id, key)
);

CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
