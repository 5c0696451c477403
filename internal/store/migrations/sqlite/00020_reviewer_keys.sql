-- Reviewers' emails and names sealed like customers' (README: Protecting personal data): the
-- email and the name are stored sealed under the service's data key, and the keyed hash of
-- the normalised email (email_key) carries the uniqueness and every lookup.

-- +goose Up
-- The keyed hash of the normalised email; until the conversion (kyc keys encrypt, or serve in
-- the background) reaches a reviewer from before, the normalised email itself, as the email
-- column held it. The old UNIQUE of email stays: over sealed values (random nonces) it never
-- refuses anything.
ALTER TABLE reviewers ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
UPDATE reviewers SET email_key = email;
CREATE UNIQUE INDEX reviewers_email_lookup ON reviewers (email_key);

-- Every reviewer so far is in clear: a database marked sealed only is no longer, until the
-- conversion has sealed them (serve runs it on a database not marked).
DELETE FROM sealed_only WHERE EXISTS (SELECT 1 FROM reviewers);

-- +goose Down
DROP INDEX reviewers_email_lookup;
ALTER TABLE reviewers DROP COLUMN email_key;
