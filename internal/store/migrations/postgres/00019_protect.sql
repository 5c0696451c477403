-- Closing the gaps of encryption at rest and of the audit log: counts in audit records (key
-- rotation and conversion say how many keys and values they handled), the profile a kept
-- idempotent answer is about (erasure drops it), and the mark of a database whose every
-- personal value is sealed (a value in clear is then refused, not read).

-- +goose Up
-- JSON object of counts ({"rewrapped":1200}); NULL for records that count nothing. Covered by
-- the record's hash when present (internal/audit).
ALTER TABLE audit_log ADD COLUMN counts TEXT;

-- The profile the kept answer is about ('' or NULL: none, or an answer kept before this
-- column): its answer is sealed under that profile's data key and dropped when it is erased.
ALTER TABLE idempotency_keys ADD COLUMN profile_id TEXT;
CREATE INDEX idempotency_keys_profile ON idempotency_keys (profile_id) WHERE profile_id IS NOT NULL;

-- One row once no personal value is left in clear (a new database at its first start with a
-- key, an older one once kyc keys encrypt finished): from then on a clear value in a sealed
-- column is refused as tampering instead of being read.
CREATE TABLE sealed_only (
    id    INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    since BIGINT  NOT NULL
);

-- +goose Down
DROP TABLE sealed_only;
DROP INDEX idempotency_keys_profile;
ALTER TABLE idempotency_keys DROP COLUMN profile_id;
ALTER TABLE audit_log DROP COLUMN counts;
