package server

import (
	"net/http"

	"github.com/google/uuid"
)

const requestIDHeader = "X-Request-Id"

// requestID echoes the caller's X-Request-Id when it is a sane token, so that a platform can
// follow one request through its logs and ours, and makes one up otherwise.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(requestIDHeader)
		if !validRequestID(id) {
			id = uuid.NewString()
		}
		w.Header().Set(requestIDHeader, id)
		info := &requestInfo{id: id}
		next.ServeHTTP(w, r.WithContext(withInfo(r.Context(), info)))
	})
}

// validRequestID accepts up to 128 characters of [A-Za-z0-9._:-]: enough for UUIDs and
// trace ids, and nothing that could forge a log line or a header.
func validRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '_' || c == ':' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}
