package server

import (
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/openkyc/kyc"
)

// recoverPanics turns a panic in a handler into a 500 XFE3 for the caller and a log line
// with the stack for us. It logs the panic's value only when it is an error raised by the
// runtime or our code (nil dereference, index out of range): an arbitrary value could carry
// request data into the log.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v) // the server's own signal to abort the response
			}
			s.log.ErrorContext(r.Context(), "panic", "request_id", infoFrom(r.Context()).id,
				"route", infoFrom(r.Context()).route, "panic", panicSummary(v), "stack", string(debug.Stack()))
			if sw, ok := w.(*statusWriter); ok && sw.written() {
				return // too late for an error body; the connection is closed by net/http
			}
			e := kyc.ErrInternal.New()
			writeJSON(w, e.Status, e)
		}()
		next.ServeHTTP(w, r)
	})
}

func panicSummary(v any) string {
	if err, ok := v.(error); ok {
		return err.Error()
	}
	return fmt.Sprintf("panic of type %T", v)
}
