-- Encryption at rest: personal data is sealed under per-profile data keys kept in a key
-- store apart (see store/vault.go); what the store looks values up by are keyed hashes.
-- registration_key now holds the keyed hash of the normalised registration id (rows from
-- before encryption keep the clear id until the conversion, kyc keys encrypt, hashes it),
-- and email_key that of the lower-cased email, for filter[email].

-- +goose Up
ALTER TABLE profiles ADD COLUMN email_key TEXT;
CREATE INDEX profiles_account_email ON profiles (account_id, email_key);

-- +goose Down
DROP INDEX profiles_account_email;
ALTER TABLE profiles DROP COLUMN email_key;
