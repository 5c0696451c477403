package server

import (
	"context"
	"net/http"
)

// requestInfo gathers what the log line of a request reports. The outermost middleware puts
// it in the context; inner layers fill it in, because they cannot change the request the
// outer layers hold.
type requestInfo struct {
	id        string
	route     string
	accountID string
}

type infoKey struct{}

func withInfo(ctx context.Context, info *requestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// infoFrom never returns nil, so that handlers run outside the middleware (in tests) work.
func infoFrom(ctx context.Context) *requestInfo {
	if info, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return info
	}
	return &requestInfo{}
}

// recordRoute notes the matched route pattern for the log line.
func recordRoute(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		infoFrom(r.Context()).route = r.Pattern
		h.ServeHTTP(w, r)
	})
}
