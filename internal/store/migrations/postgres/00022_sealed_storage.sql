-- A sealed attributes document is base64 of ciphertext: about 1.9 KB for a full profile,
-- which with the row's other columns passes PostgreSQL's TOAST threshold (about 2 KB).
-- PostgreSQL then tried to compress it (ciphertext does not compress) and moved it out to
-- the TOAST table: more rows and index entries to write for every create, and another
-- lookup for every read. Rows up to 4 KB now stay in the table's pages as they are; a
-- larger document still goes out of line, uncompressed.

-- +goose Up
ALTER TABLE profiles ALTER COLUMN attributes SET STORAGE EXTERNAL;
ALTER TABLE profiles SET (toast_tuple_target = 4080);

-- +goose Down
ALTER TABLE profiles RESET (toast_tuple_target);
ALTER TABLE profiles ALTER COLUMN attributes SET STORAGE EXTENDED;
