package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Passwords are hashed with argon2id at OWASP's recommended minimum (19 MiB, 2 passes, one
// lane), kept in the PHC string format so that the parameters travel with each hash and can
// be raised later without invalidating the hashes already stored.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// Password lengths: at least 12 characters (NIST SP 800-63B allows 8; a reviewer's account
// decides customers' cases), at most 256 so that a huge password cannot cost a hash of it.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

var errPasswordFormat = errors.New("console: not an argon2id hash")

var b64 = base64.RawStdEncoding

// CheckPasswordRules returns what is wrong with a new password, or "".
func CheckPasswordRules(pw string) string {
	switch n := utf8.RuneCountInString(pw); {
	case n < MinPasswordLen:
		return fmt.Sprintf("The password must be at least %d characters.", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return fmt.Sprintf("The password must be at most %d bytes.", MaxPasswordLen)
	}
	return ""
}

// HashPassword returns the argon2id hash of pw with a fresh salt.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches hash, comparing in constant time.
func CheckPassword(hash, pw string) (bool, error) {
	p, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	if len(pw) > MaxPasswordLen {
		return false, nil
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

type argonHash struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parseHash reads a PHC string; its parameters are bounded so that a tampered row cannot
// make one check take minutes or gigabytes.
func parseHash(s string) (argonHash, error) {
	var p argonHash
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, errPasswordFormat
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, errPasswordFormat
	}
	if p.memory < 8*1024 || p.memory > 1<<20 || p.time < 1 || p.time > 10 || p.threads < 1 || p.threads > 16 {
		return p, errPasswordFormat
	}
	var err1, err2 error
	p.salt, err1 = b64.DecodeString(parts[4])
	p.key, err2 = b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(p.salt) < 8 || len(p.key) < 16 || len(p.key) > 64 {
		return p, errPasswordFormat
	}
	return p, nil
}

// dummyHash is checked against when no reviewer has the email given, so that an unknown
// email takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("no reviewer has this password") // on failure "" fails the check
	return h
})
