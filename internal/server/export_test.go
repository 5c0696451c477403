package server

// Exported for the tests of package server_test, which play the part of another instance
// holding an Idempotency-Key.
var (
	Fingerprint      = fingerprint
	IdempotencyLease = idempotencyLease
)
