package server

import (
	"context"
	"time"
)

// ProbeWrites writes a tiny row every interval until ctx ends, and keeps whether it failed:
// /readyz answers 503 while the database refuses writes (disk full, read-only, I/O errors)
// although it still answers reads, so that a load balancer sends the writes elsewhere; it
// is ready again after the first probe that succeeds.
func (s *Server) ProbeWrites(ctx context.Context, every time.Duration) {
	repeat(ctx, every, s.probeWrite)
}

func (s *Server) probeWrite(ctx context.Context) {
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	err := s.db.ProbeWrite(pctx)
	if ctx.Err() != nil {
		return
	}
	failed := err != nil
	if s.writesFail.Swap(failed) != failed {
		if failed {
			s.log.WarnContext(ctx, "the database refuses writes: not ready", "err", err)
		} else {
			s.log.InfoContext(ctx, "the database takes writes again: ready")
		}
	}
}
