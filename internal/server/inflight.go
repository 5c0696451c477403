package server

import (
	"net/http"

	"github.com/openkyc/kyc"
)

// DefaultMaxInflight is how many API requests a server serves at once when Config says
// nothing: enough to keep the database busy, few enough that a burst beyond the server's
// capacity is refused at once rather than queued until every client times out.
const DefaultMaxInflight = 256

// bounded caps the requests being served at once: one beyond the cap is answered at once
// with 503 STXE-9100 and Retry-After, having cost nothing but its headers. Health checks
// are not counted (an overloaded server is alive and may be ready again in a moment), nor
// is the admin listener, which is another server.
func (s *Server) bounded(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.inflight <- struct{}{}:
		default:
			s.metrics.Overloaded.Inc()
			s.writeError(w, r, kyc.ErrUnavailable.New())
			return
		}
		s.metrics.InFlight.Inc()
		defer func() { <-s.inflight; s.metrics.InFlight.Dec() }()
		next.ServeHTTP(w, r)
	})
}
