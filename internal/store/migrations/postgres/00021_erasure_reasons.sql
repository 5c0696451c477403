-- The reason of an erasure recorded before reasons were sealed is sealed by the conversion
-- too (kyc keys encrypt, or serve in the background), and refused in clear once the database
-- is sealed only, like every other sealed value.

-- +goose Up
-- A database marked sealed only may hold such reasons: it is no longer marked until the
-- conversion has sealed them (serve runs it on a database not marked). An erasure's record is
-- written by encoding/json, without spaces: "reason":"enc1:… when sealed.
DELETE FROM sealed_only WHERE EXISTS (
    SELECT 1 FROM profiles
    WHERE erasure LIKE '%"reason":"%' AND erasure NOT LIKE '%"reason":"enc1:%'
);

-- +goose Down
SELECT 1;
