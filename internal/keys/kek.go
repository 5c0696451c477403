// Package keys is the cryptography of encryption at rest: the key-encryption key (KEK)
// named by a URL through gocloud.dev/secrets, the per-owner data keys it wraps, the
// sealing of one column value under a data key, the keyed hashes that let the store look
// values up without keeping them, and a small cache of unwrapped data keys. It keeps no
// data: the store keeps the wrapped keys in a key store of their own (see store/keystore.go).
package keys

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gocloud.dev/secrets"
	"gocloud.dev/secrets/localsecrets"
)

// KeyFileScheme names a KEK kept in a local file: keyfile:///abs/path or keyfile:path. The
// file holds a base64key:// URL; a missing file is created with a fresh random key when
// the caller allows it (sandbox), atomically, so that processes starting at once agree.
const KeyFileScheme = "keyfile"

// KEK is a key-encryption key: it wraps and unwraps data keys, and never leaves its
// key-management service (or its file, for local keys).
type KEK struct {
	// ID names the KEK in every key it wrapped, so that a rotation knows what is left to
	// re-wrap: a hash of its URL, or of the key itself for a local key. It reveals neither.
	ID     string
	keeper *secrets.Keeper
}

// OpenKEK opens the KEK named by rawURL: a gocloud.dev/secrets URL (base64key://,
// hashivault://, awskms://, gcpkms://, azurekeyvault://) or keyfile:PATH. create allows a
// missing key file to be made. The URL never appears in an error: a base64key:// URL is the
// key itself.
func OpenKEK(ctx context.Context, rawURL string, create bool) (*KEK, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("keys: the key-encryption key is not a URL")
	}
	if u.Scheme == KeyFileScheme {
		path := u.Opaque
		if path == "" {
			path = u.Path
		}
		if rawURL, err = readKeyFile(path, create); err != nil {
			return nil, err
		}
		u, err = url.Parse(rawURL)
		if err != nil {
			return nil, fmt.Errorf("keys: key file %s does not hold a base64key:// URL", path)
		}
	}
	if u.Scheme == localsecrets.Scheme && u.Host == "" {
		// gocloud would make up a random key, different at every start.
		return nil, errors.New("keys: base64key:// needs the key (kyc keys new makes one)")
	}
	keeper, err := secrets.OpenKeeper(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("keys: open the key-encryption key (%s): %w", u.Scheme, err)
	}
	return &KEK{ID: kekID(u), keeper: keeper}, nil
}

func kekID(u *url.URL) string {
	h := sha256.Sum256([]byte("kyc kek id\x00" + u.String()))
	return hex.EncodeToString(h[:8])
}

// NewLocalURL returns a base64key:// URL with a fresh random key.
func NewLocalURL() (string, error) {
	k, err := localsecrets.NewRandomKey()
	if err != nil {
		return "", err
	}
	return localsecrets.Scheme + "://" + base64.URLEncoding.EncodeToString(k[:]), nil
}

// Close releases the KEK's connection to its service.
func (k *KEK) Close() error { return k.keeper.Close() }

// wrap encrypts a data key under the KEK.
func (k *KEK) wrap(ctx context.Context, key []byte) ([]byte, error) {
	w, err := k.keeper.Encrypt(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("keys: wrap: %w", err)
	}
	return w, nil
}

func (k *KEK) unwrap(ctx context.Context, wrapped []byte) ([]byte, error) {
	key, err := k.keeper.Decrypt(ctx, wrapped)
	if err != nil {
		return nil, fmt.Errorf("keys: unwrap: %w", err)
	}
	if len(key) != keySize {
		return nil, errors.New("keys: unwrapped key has the wrong size")
	}
	return key, nil
}

// readKeyFile returns the URL a key file holds, creating the file first when it is missing
// and create allows it.
func readKeyFile(path string, create bool) (string, error) {
	if path == "" {
		return "", errors.New("keys: keyfile: needs a path")
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		if err := createKeyFile(path); err != nil {
			return "", err
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return "", fmt.Errorf("keys: key file: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line), nil
}

// createKeyFile writes a fresh key to a temporary file beside path and links it to path.
// A link, unlike a rename, never replaces a file: of processes starting at once, one key
// file wins and every process reads that one.
func createKeyFile(path string) error {
	key, err := NewLocalURL()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kek-*")
	if err != nil {
		return fmt.Errorf("keys: create key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	fmt.Fprintf(w, "%s\n", key)
	if err := errors.Join(w.Flush(), tmp.Chmod(0o600), tmp.Sync(), tmp.Close()); err != nil {
		return fmt.Errorf("keys: create key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("keys: create key file: %w", err)
	}
	return nil
}

// NewDataKey returns a fresh random data key.
func NewDataKey() ([]byte, error) {
	k := make([]byte, keySize)
	_, err := rand.Read(k)
	return k, err
}
