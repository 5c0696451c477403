package server

import (
	"net/http"

	"github.com/openkyc/kyc"
)

// unmatched answers what no route matches with an error body in the documented shape
// instead of net/http's plain text: 405 when the path exists under another method, 404
// otherwise.
func (s *Server) unmatched(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if allowed := allowedMethods(mux, r); allowed != "" {
			w.Header().Set("Allow", allowed)
			s.writeError(w, r, kyc.ErrMethodNotAllowed.New())
			return
		}
		s.writeError(w, r, kyc.ErrRouteNotFound.New())
	})
}

// allowedMethods asks the mux which other methods would match this path.
func allowedMethods(mux *http.ServeMux, r *http.Request) string {
	allowed := ""
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
			if allowed != "" {
				allowed += ", "
			}
			allowed += m
		}
	}
	return allowed
}
