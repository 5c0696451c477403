package server

import (
	"context"
	"net/http"
	"time"
)

// hello is the connectivity probe of the contract.
func (s *Server) hello(http.ResponseWriter, *http.Request) (any, error) {
	return map[string]string{"msg": "Hello world"}, nil
}

// healthz says the process is up and serving; it touches nothing else, so that an
// orchestrator does not restart a healthy process because its database is slow.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says whether the server can do its work: the database answers, and took the last
// write probe (ProbeWrites).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.writesFail.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "readiness check failed", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
