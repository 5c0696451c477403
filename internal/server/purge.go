package server

import (
	"context"
	"time"
)

// PurgeNonces forgets, every interval until ctx ends, the nonces whose timestamps have left
// the window (see nonceExpiry), so that the table holds only the nonces that could still be
// replayed.
func (s *Server) PurgeNonces(ctx context.Context, every time.Duration) {
	repeat(ctx, every, s.purgeNonces)
}

// repeat runs fn at once and then every interval until ctx ends: a background job of
// kyc serve, whose first run catches up on what fell due while no server ran.
func repeat(ctx context.Context, every time.Duration, fn func(context.Context)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		fn(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) purgeNonces(ctx context.Context) {
	n, err := s.db.PurgeNonces(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.WarnContext(ctx, "nonce purge failed", "err", err)
		return
	}
	if n > 0 {
		s.log.DebugContext(ctx, "nonces purged", "count", n)
	}
}

// PurgeIdempotencyKeys forgets, every interval until ctx ends, the idempotency keys past
// their TTL, with the answers kept for them.
func (s *Server) PurgeIdempotencyKeys(ctx context.Context, every time.Duration) {
	repeat(ctx, every, s.purgeIdempotencyKeys)
}

func (s *Server) purgeIdempotencyKeys(ctx context.Context) {
	n, err := s.db.PurgeIdempotencyKeys(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.WarnContext(ctx, "idempotency key purge failed", "err", err)
		return
	}
	if n > 0 {
		s.log.DebugContext(ctx, "idempotency keys purged", "count", n)
	}
}
