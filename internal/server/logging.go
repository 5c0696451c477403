package server

import (
	"log/slog"
	"net/http"
	"time"
)

// logRequests writes one line per request and records it in the metrics. It names the
// route pattern, never the raw path (which carries profile ids), and never a header or body:
// those hold keys and personal data.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		info, took := infoFrom(r.Context()), time.Since(start)
		s.metrics.ObserveRequest(metricRoute(info.route), sw.status(), took)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("route", info.route),
			slog.Int("status", sw.status()),
			slog.Duration("duration", took),
			slog.String("account_id", info.accountID),
			slog.String("request_id", info.id),
		)
	})
}

// metricRoute is the route pattern, which names the method too: a raw path carries profile
// ids and a method can be any token, either of which would make a series per request. What
// no route matched is "unmatched".
func metricRoute(pattern string) string {
	if pattern == "" || pattern == "/" {
		return "unmatched"
	}
	return pattern
}

// statusWriter remembers the status a handler sent.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// written reports whether the response has started, after which no error can be sent.
func (w *statusWriter) written() bool { return w.code != 0 }

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
