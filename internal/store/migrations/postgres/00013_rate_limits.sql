-- Each account's own rate limit, a token bucket: rate_limit_count requests every
-- rate_limit_period seconds (1, 60 or 3600), and rate_limit_burst at once. NULL takes the
-- server's default (kyc serve --rate-limit, --rate-burst).

-- +goose Up
ALTER TABLE accounts ADD COLUMN rate_limit_count INTEGER CHECK (rate_limit_count BETWEEN 1 AND 1000000);
ALTER TABLE accounts ADD COLUMN rate_limit_period INTEGER CHECK (rate_limit_period IN (1, 60, 3600));
ALTER TABLE accounts ADD COLUMN rate_limit_burst INTEGER CHECK (rate_limit_burst BETWEEN 1 AND 1000000);

-- +goose Down
ALTER TABLE accounts DROP COLUMN rate_limit_burst;
ALTER TABLE accounts DROP COLUMN rate_limit_period;
ALTER TABLE accounts DROP COLUMN rate_limit_count;
