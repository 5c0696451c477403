package client

import (
	"context"
	"fmt"
	"net/http"

	"github.com/openkyc/kyc"
	"github.com/openkyc/kyc/internal/httpsig"
)

type idempotencyKey struct{}

// WithIdempotencyKey returns a context whose POST, PUT and PATCH calls send key as their
// Idempotency-Key header, so that sending the same call again with it (after a timeout, say)
// gets the first call's answer instead of doing it twice. Use a fresh key for every new
// request (NewIdempotencyKey) and the same one for its retries; this server keeps a key for
// 24 hours by default. A key must be 1 to 255 printable ASCII characters; the call fails
// before sending otherwise. Other methods never send it. StraitsX's own API has no
// Idempotency-Key (COMPATIBILITY.md).
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, key)
}

// NewIdempotencyKey returns a fresh random key (a UUID).
func NewIdempotencyKey() string { return httpsig.NewNonce() }

// setIdempotencyKey puts the context's key, if any, on a request that changes something.
func setIdempotencyKey(req *http.Request) error {
	key, ok := req.Context().Value(idempotencyKey{}).(string)
	if !ok || (req.Method != http.MethodPost && req.Method != http.MethodPut && req.Method != http.MethodPatch) {
		return nil
	}
	v, err := kyc.FormatIdempotencyKey(key)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	req.Header.Set(kyc.IdempotencyKeyHeader, v)
	return nil
}
