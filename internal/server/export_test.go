package server

// Patterns are the route table's patterns ("POST /v1/kyc/customer_profiles"), for the
// tests outside the package.
func (s *Server) Patterns() []string {
	var out []string
	for _, rt := range s.routeTable() {
		out = append(out, rt.pattern)
	}
	return out
}

// Exported for the tests of package server_test, which play the part of another instance
// holding an Idempotency-Key.
var (
	Fingerprint      = fingerprint
	IdempotencyLease = idempotencyLease
)
