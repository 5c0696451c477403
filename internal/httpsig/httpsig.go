// Package httpsig is StraitsX's HTTP request signing scheme: the canonical string, Ed25519
// signatures over it in strict base64, and the formats of the headers that carry them. The
// server, the Go client and `kyc sign` all use this one implementation, so that what one
// signs the other verifies byte for byte.
//
// The canonical string is METHOD \n PATH \n QUERY \n TIMESTAMP \n NONCE \n BODY, built from
// the request exactly as sent: the path with its percent-encoding kept, the raw query split
// on "&" and sorted bytewise without decoding, the raw body bytes.
package httpsig

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The headers of a signed request, besides the API key.
const (
	HeaderKeyID     = "X-PUBLIC-KEY-ID"
	HeaderTimestamp = "X-TIMESTAMP"
	HeaderNonce     = "X-NONCE"
	HeaderSignature = "X-SIGNATURE"
)

// Headers lists the four signing headers, in the order `kyc sign` prints them.
var Headers = []string{HeaderKeyID, HeaderTimestamp, HeaderNonce, HeaderSignature}

// Message is everything a signature covers.
type Message struct {
	Method    string // as sent, e.g. "POST"
	Path      string // the escaped path as sent, without "?" and query
	Query     string // the raw query as sent, without "?"; sorted by Canonical
	Timestamp string // the X-TIMESTAMP header's value
	Nonce     string // the X-NONCE header's value
	Body      []byte // the raw body bytes; empty when there is none
}

// SplitTarget splits a request target "PATH[?QUERY]" into its path and raw query.
func SplitTarget(target string) (path, query string) {
	path, query, _ = strings.Cut(target, "?")
	return path, query
}

// Canonical returns the string that is signed.
func (m Message) Canonical() []byte {
	var b bytes.Buffer
	for _, part := range []string{m.Method, m.Path, SortQuery(m.Query), m.Timestamp, m.Nonce} {
		b.WriteString(part)
		b.WriteByte('\n')
	}
	b.Write(m.Body)
	return b.Bytes()
}

// SortQuery sorts the "&"-separated pieces of a raw query bytewise, without decoding them:
// "b=2&a%5B1%5D=1" becomes "a%5B1%5D=1&b=2". Duplicate and empty pieces are kept, so that
// both ends sort the same pieces whatever the sender put in.
func SortQuery(raw string) string {
	if raw == "" {
		return ""
	}
	pieces := strings.Split(raw, "&")
	slices.Sort(pieces) // Go compares strings bytewise
	return strings.Join(pieces, "&")
}

// Sign returns the base64 signature of m with key.
func Sign(key ed25519.PrivateKey, m Message) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(key, m.Canonical()))
}

// ErrBadSignature is returned by Verify for a signature that is malformed or does not verify.
var ErrBadSignature = errors.New("httpsig: invalid signature")

// Verify checks that sig is the signature of m by pub. The signature must be strict
// standard base64 (padding required, no line breaks, no stray bits) of exactly 64 bytes:
// a lenient decoder would let one signature be written several ways. Go's decoder skips
// line breaks even in strict mode, so the length is checked first: 64 bytes are exactly 88
// characters.
func Verify(pub ed25519.PublicKey, m Message, sig string) error {
	if len(sig) != base64.StdEncoding.EncodedLen(ed25519.SignatureSize) || len(pub) != ed25519.PublicKeySize {
		return ErrBadSignature
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(sig)
	if err != nil || len(raw) != ed25519.SignatureSize {
		return ErrBadSignature
	}
	if !ed25519.Verify(pub, m.Canonical(), raw) {
		return ErrBadSignature
	}
	return nil
}

// nonceFormat is the published rule /\A[0-9a-f]{8}-…-[0-9a-f]{12}\z/i: any UUID shape, any
// version, either case.
// NoncePattern is the published nonce format, a UUID of any version in either case. It is
// valid ECMA-262 as well as RE2: the OpenAPI document holds it as X-NONCE's pattern, and a
// test keeps the two equal.
const NoncePattern = `^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`

var nonceFormat = regexp.MustCompile(NoncePattern)

// ValidNonce reports whether s has the published nonce format.
func ValidNonce(s string) bool { return nonceFormat.MatchString(s) }

// ParseTimestamp reads an X-TIMESTAMP value: Unix seconds as decimal digits only, no sign,
// no fraction, no white space (milliseconds, 13 digits, are refused as out of range).
func ParseTimestamp(s string) (int64, bool) {
	if s == "" || len(s) > 12 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
