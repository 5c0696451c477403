package kyc

import (
	"crypto/ed25519"
	"time"
)

// MaxPublicKeys is how many public keys an account may hold, as at StraitsX.
const MaxPublicKeys = 5

// PublicKey is an Ed25519 public key an account signs requests with. Its ID is what a
// signed request names in X-PUBLIC-KEY-ID.
type PublicKey struct {
	ID        string            `json:"keyId"` // "pk_" + UUID, opaque to clients
	AccountID string            `json:"accountId"`
	Name      string            `json:"name"`
	Key       ed25519.PublicKey `json:"publicKey"` // base64 of the 32 raw bytes
	Enabled   bool              `json:"enabled"`
	CreatedAt time.Time         `json:"createdAt"`
}
