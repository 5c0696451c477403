package server

import (
	"context"
	"time"
)

// ExpireRFIs expires the RFIs whose time to answer has passed: at once, so that what fell
// due while no server ran is expired at start, then every interval until ctx ends.
func (s *Server) ExpireRFIs(ctx context.Context, every time.Duration) {
	repeat(ctx, every, s.expireRFIs)
}

func (s *Server) expireRFIs(ctx context.Context) {
	n, err := s.db.ExpireRFIs(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.WarnContext(ctx, "rfi expiry failed", "err", err)
	}
	if n > 0 {
		s.log.InfoContext(ctx, "rfis expired", "count", n)
	}
}
