-- Every profile kind of the CP family. An account's integration model (cp or cp_plus)
-- decides which kind a new profile is; the kind is kept with the profile, so that a later
-- change of the account's model never changes how an existing profile is read.

-- +goose Up
ALTER TABLE accounts ADD COLUMN model TEXT NOT NULL DEFAULT 'cp_plus' CHECK (model IN ('cp', 'cp_plus'));
ALTER TABLE profiles ADD COLUMN kind TEXT NOT NULL DEFAULT 'personal_cp_plus'
    CHECK (kind IN ('personal_cp_plus', 'business_cp_plus', 'personal_cp', 'business_cp'));

-- +goose Down
ALTER TABLE profiles DROP COLUMN kind;
ALTER TABLE accounts DROP COLUMN model;
