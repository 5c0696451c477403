-- Screening in the profile lifecycle (the PostgreSQL twin of migrations/sqlite/00014): each profile's latest screening result, reviewers'
-- resolutions of hits, the background re-screening's progress, the risk rating on the
-- profile, and history entries that are not status changes (alerts, resolutions, ratings).

-- +goose Up
-- The profile's risk rating (JSON: level, score, factors, rulesVersion); NULL until rated.
ALTER TABLE profiles ADD COLUMN risk TEXT;

-- What a history entry records: a status change ('status'), a screening alert, a hit's
-- resolution or a new risk rating; detail holds the alert, resolution or rating as JSON
-- (ids, list references and scores: no names).
ALTER TABLE profile_history ADD COLUMN event TEXT NOT NULL DEFAULT 'status';
ALTER TABLE profile_history ADD COLUMN detail TEXT;

-- The latest screening of each profile, written in the transaction that changed the data
-- or re-screened it.
CREATE TABLE screenings (
    profile_id        TEXT    NOT NULL PRIMARY KEY REFERENCES profiles (id),
    screened_at       BIGINT  NOT NULL,
    algorithm_version TEXT    NOT NULL,
    threshold         DOUBLE PRECISION NOT NULL,
    -- The snapshots screened against (JSON array of kyc.ListSnapshot): public data.
    lists             TEXT    NOT NULL,
    -- The SHA-256 of the sorted fingerprints of the hits: equal sets of matches, equal keys.
    matches           TEXT    NOT NULL,
    -- Hits without a resolution, and hits confirmed as true matches.
    unresolved        BIGINT  NOT NULL,
    confirmed         BIGINT  NOT NULL,
    -- The subjects screened and the hits (names, dates of birth: personal data). Read and
    -- written only by store/screening.go, so that it can be sealed there.
    details           BYTEA   NOT NULL
);

-- A reviewer's resolution of a hit, keyed by the hit's fingerprint (the subject's screened
-- data and the list entry): it holds on later screenings while neither changes.
CREATE TABLE screening_resolutions (
    profile_id  TEXT    NOT NULL REFERENCES profiles (id),
    fingerprint TEXT    NOT NULL,
    hit_id      TEXT    NOT NULL,
    resolution  TEXT    NOT NULL CHECK (resolution IN ('false_positive', 'true_match')),
    reason      TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    at          BIGINT  NOT NULL,
    PRIMARY KEY (profile_id, fingerprint)
);

-- The background re-screening of every profile after the lists or the risk rules changed:
-- one row per target (the snapshots, algorithm and rules version screened for), after_id
-- (its cursor) the last profile id done, so that a run interrupted by a crash resumes where it stopped.
CREATE TABLE rescreen_runs (
    target      TEXT    NOT NULL PRIMARY KEY,
    started_at  BIGINT  NOT NULL,
    after_id    TEXT    NOT NULL,
    total       BIGINT  NOT NULL,
    screened    BIGINT  NOT NULL,
    alerts      BIGINT  NOT NULL,
    finished_at BIGINT
);

-- +goose Down
DROP TABLE rescreen_runs;
DROP TABLE screening_resolutions;
DROP TABLE screenings;
ALTER TABLE profile_history DROP COLUMN detail;
ALTER TABLE profile_history DROP COLUMN event;
ALTER TABLE profiles DROP COLUMN risk;
