-- PostgreSQL's storage of sealed attributes (see its 00022); SQLite has no TOAST table.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
