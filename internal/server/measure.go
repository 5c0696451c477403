package server

import (
	"net/http"
	"time"
)

// measure counts each request and times it, by route pattern, which names the method too: a
// raw path carries profile ids and a method can be any token, either of which would make a
// series per request. What no route matched is "unmatched".
func (s *Server) measure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := infoFrom(r.Context()).route
		if route == "" || route == "/" {
			route = "unmatched"
		}
		s.metrics.ObserveRequest(route, sw.status(), time.Since(start))
	})
}
