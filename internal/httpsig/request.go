package httpsig

import (
	"crypto/ed25519"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// Signer signs requests with one private key, named by the key id the server knows its
// public half by.
type Signer struct {
	KeyID string
	Key   ed25519.PrivateKey
}

// Headers returns the four signing headers for m.
func (s Signer) Headers(m Message) http.Header {
	h := http.Header{}
	h.Set(HeaderKeyID, s.KeyID)
	h.Set(HeaderTimestamp, m.Timestamp)
	h.Set(HeaderNonce, m.Nonce)
	h.Set(HeaderSignature, Sign(s.Key, m))
	return h
}

// NewNonce returns a fresh random nonce (a version 4 UUID, 122 random bits).
func NewNonce() string { return uuid.NewString() }

// FromRequest builds the message of a request a server received, whose body has been read
// into body. The path is the request target exactly as it came over the wire, so that a
// path the client percent-encoded in its own way still verifies; r.URL.EscapedPath would
// re-encode a path whose escaping Go does not consider canonical.
func FromRequest(r *http.Request, body []byte) Message {
	path, query := SplitTarget(r.RequestURI)
	if !strings.HasPrefix(path, "/") { // absolute-form or asterisk-form targets
		path, query = r.URL.EscapedPath(), r.URL.RawQuery
	}
	return Message{
		Method: r.Method, Path: path, Query: query,
		Timestamp: r.Header.Get(HeaderTimestamp), Nonce: r.Header.Get(HeaderNonce),
		Body: body,
	}
}

// ForRequest builds the message a client signs for req, from what the Go HTTP client will
// put on the wire: req.URL.RequestURI() is the request target it sends.
func ForRequest(req *http.Request, timestamp, nonce string, body []byte) Message {
	path, query := SplitTarget(req.URL.RequestURI())
	return Message{Method: req.Method, Path: path, Query: query, Timestamp: timestamp, Nonce: nonce, Body: body}
}
