package kyc

import "strings"

// The request header of draft-ietf-httpapi-idempotency-key-header, and the response header
// that marks an answer replayed for it.
const (
	IdempotencyKeyHeader     = "Idempotency-Key"
	IdempotentReplayedHeader = "Idempotent-Replayed"
)

// ParseIdempotencyKey reads the Idempotency-Key header's field lines as the draft defines
// it: an Item Structured Field (RFC 8941) whose value is a String of 1 to MaxIdempotencyKey
// characters. The draft defines no parameters, and none are taken; several field lines
// make a list, not an Item. Anything else is ErrIdempotencyKeyInvalid.
func ParseIdempotencyKey(lines []string) (string, error) {
	bad := ErrIdempotencyKeyInvalid.New()
	if len(lines) != 1 {
		return "", bad
	}
	v := strings.Trim(lines[0], " ") // RFC 8941 §4.2: surrounding spaces are discarded
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", bad
	}
	var key strings.Builder
	for i := 1; i < len(v)-1; i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v)-1 && (v[i+1] == '"' || v[i+1] == '\\'):
			i++
			c = v[i]
		case c == '\\', c == '"', c < 0x20, c > 0x7e:
			return "", bad
		}
		key.WriteByte(c)
	}
	if key.Len() < 1 || key.Len() > MaxIdempotencyKey {
		return "", bad
	}
	return key.String(), nil
}

// FormatIdempotencyKey is the header value that carries key, or ErrIdempotencyKeyInvalid
// for a key no header can carry (empty, too long, not printable ASCII).
func FormatIdempotencyKey(key string) (string, error) {
	v := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(key) + `"`
	if _, err := ParseIdempotencyKey([]string{v}); err != nil {
		return "", err
	}
	return v, nil
}
