package keys

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// keySize is the size of a data key and of the lookup key: AES-256, HMAC-SHA256.
const keySize = 32

// SealedPrefix starts every sealed value, and names the format: AES-256-GCM, a random
// 96-bit nonce, then the ciphertext and its tag, in unpadded base64url. A later format
// gets a prefix of its own; a value without one is clear text (a database not yet
// converted), which no JSON document or JSON array can be mistaken for.
const SealedPrefix = "enc1:"

// HashPrefix starts every keyed hash. Normalised registration ids are upper-case, so a
// clear registration key never starts with it.
const HashPrefix = "h1:"

// ErrOpen is a sealed value that does not open: another key, another row or column, or
// altered bytes. It says nothing more, on purpose.
var ErrOpen = errors.New("keys: sealed value does not open with this key")

// DataKey seals and opens the values of one owner (a profile and what belongs to it).
type DataKey struct{ aead cipher.AEAD }

// NewDataKeyFrom makes a DataKey of 32 raw bytes.
func NewDataKeyFrom(raw []byte) (*DataKey, error) {
	if len(raw) != keySize {
		return nil, errors.New("keys: a data key has 32 bytes")
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &DataKey{aead: aead}, nil
}

// associated binds a value to its owner and column: a sealed value copied into another
// row or column does not open there.
func associated(owner, column string) []byte { return []byte(owner + "\x00" + column) }

// Seal encrypts plain, the value of column in owner's row.
func (k *DataKey) Seal(owner, column string, plain []byte) string {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("keys: no randomness: " + err.Error()) // crypto/rand never fails on supported systems
	}
	out := k.aead.Seal(nonce, nonce, plain, associated(owner, column))
	return SealedPrefix + base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a value made by Seal for the same owner and column.
func (k *DataKey) Open(owner, column, sealed string) ([]byte, error) {
	body, ok := strings.CutPrefix(sealed, SealedPrefix)
	if !ok {
		return nil, ErrOpen
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) < k.aead.NonceSize() {
		return nil, ErrOpen
	}
	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, raw[:n], raw[n:], associated(owner, column))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// IsSealed reports whether a stored value is sealed rather than clear.
func IsSealed(v string) bool { return strings.HasPrefix(v, SealedPrefix) }

// Hasher makes keyed hashes (HMAC-SHA256) of normalised values, so that the store can
// find and constrain on a value it does not keep. Its key is of its own, not a data key:
// a hash must outlive the erasure of its profile (a returning customer is recognised).
type Hasher struct{ key []byte }

// NewHasher makes a Hasher of a 32-byte key.
func NewHasher(key []byte) (*Hasher, error) {
	if len(key) != keySize {
		return nil, errors.New("keys: a lookup key has 32 bytes")
	}
	return &Hasher{key: key}, nil
}

// Sum returns the keyed hash of value in a domain ("registration", "email"): the same
// value in two domains gives unrelated hashes.
func (h *Hasher) Sum(domain, value string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(domain + "\x00" + value))
	return HashPrefix + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Ring is the KEKs a process knows: the current one, which wraps every new key, and the
// previous ones, which it only unwraps with, while a rotation re-wraps their keys.
type Ring struct {
	Current  *KEK
	previous []*KEK
}

// NewRing makes a ring of the current KEK and those still accepted for reading.
func NewRing(current *KEK, previous ...*KEK) *Ring {
	return &Ring{Current: current, previous: previous}
}

// Wrap wraps key under the current KEK, and returns that KEK's id with it.
func (r *Ring) Wrap(ctx context.Context, key []byte) (kekID string, wrapped []byte, err error) {
	wrapped, err = r.Current.wrap(ctx, key)
	return r.Current.ID, wrapped, err
}

// Unwrap unwraps a key wrapped by the KEK kekID, or, when the ring has no KEK of that id
// (its URL was spelt differently), by whichever of its KEKs opens it.
func (r *Ring) Unwrap(ctx context.Context, kekID string, wrapped []byte) ([]byte, error) {
	all := append([]*KEK{r.Current}, r.previous...)
	for _, k := range all {
		if k.ID == kekID {
			return k.unwrap(ctx, wrapped)
		}
	}
	var errs []error
	for _, k := range all {
		key, err := k.unwrap(ctx, wrapped)
		if err == nil {
			return key, nil
		}
		errs = append(errs, err)
	}
	return nil, errors.Join(errors.New("keys: no key-encryption key given opens this data key"), errors.Join(errs...))
}

// Close closes every KEK of the ring.
func (r *Ring) Close() error {
	err := r.Current.Close()
	for _, k := range r.previous {
		err = errors.Join(err, k.Close())
	}
	return err
}
