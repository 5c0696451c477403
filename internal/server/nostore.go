package server

import "net/http"

// noStore marks every answer Cache-Control: no-store, errors and health checks included:
// profiles carry personal data, and no shared or browser cache may keep any of it. It runs
// first, so that what any middleware or handler answers carries it.
func noStore(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
