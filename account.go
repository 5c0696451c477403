package kyc

import "time"

// Account is a platform that calls the API: it owns profiles, API keys and, later, public
// keys for request signing.
type Account struct {
	ID        string // "account_" + UUID
	Name      string
	CreatedAt time.Time
}

// APIKey describes an API key without its secret, which is shown once at creation and
// stored only as a hash.
type APIKey struct {
	ID        string // "apikey_" + UUID
	AccountID string
	Name      string
	Hint      string // the first characters of the secret, to tell keys apart in listings
	CreatedAt time.Time
	ExpiresAt *time.Time // nil: never expires
	RevokedAt *time.Time // nil: active
}

// Active reports whether the key may authenticate a request at time now.
func (k *APIKey) Active(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}
