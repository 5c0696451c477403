package kyc

import "time"

// Account is a platform that calls the API: it owns profiles, API keys, public keys for
// request signing, and its webhook configuration.
type Account struct {
	ID        string    `json:"id"` // "account_" + UUID
	Name      string    `json:"name"`
	Model     Model     `json:"model"` // which profile kinds it creates: cp or cp_plus
	CreatedAt time.Time `json:"createdAt"`

	// SigningEnabled says that every request of the account must be signed with one of its
	// public keys.
	SigningEnabled bool `json:"signingEnabled"`

	// KeyID is the id of the API key a request authenticated with (set when the account is
	// found by its key), for the audit log.
	KeyID string `json:"-"`

	// RateLimit and Burst are the account's own token bucket (RateLimit.LimitFor); nil and 0
	// take the server's defaults.
	RateLimit *Rate `json:"rateLimit,omitempty"`
	Burst     int   `json:"burst,omitempty"`
}

// APIKey describes an API key without its secret, which is shown once at creation and
// stored only as a hash.
type APIKey struct {
	ID        string     `json:"id"` // "apikey_" + UUID
	AccountID string     `json:"accountId"`
	Name      string     `json:"name"`
	Hint      string     `json:"hint"` // the first characters of the secret, to tell keys apart
	CreatedAt time.Time  `json:"createdAt"`
	ExpiresAt *time.Time `json:"expiresAt,omitempty"` // nil: never expires
	RevokedAt *time.Time `json:"revokedAt,omitempty"` // nil: active
}

// Active reports whether the key may authenticate a request at time now.
func (k *APIKey) Active(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}
