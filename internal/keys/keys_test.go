package keys

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func newKey(t *testing.T) *DataKey {
	t.Helper()
	raw, err := NewDataKey()
	if err != nil {
		t.Fatal(err)
	}
	k, err := NewDataKeyFrom(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpensOnlyWhereItWasSealed(t *testing.T) {
	k, other := newKey(t), newKey(t)
	sealed := k.Seal("customer_profile_1", "profiles.attributes", []byte(`{"firstName":"Zebedee"}`))
	if !IsSealed(sealed) {
		t.Fatalf("got %q, want the %s prefix", sealed, SealedPrefix)
	}
	got, err := k.Open("customer_profile_1", "profiles.attributes", sealed)
	if err != nil || string(got) != `{"firstName":"Zebedee"}` {
		t.Fatalf("Open = %q, %v", got, err)
	}
	for _, tc := range []struct {
		name          string
		key           *DataKey
		owner, column string
		value         string
	}{
		{"another row", k, "customer_profile_2", "profiles.attributes", sealed},
		{"another column", k, "customer_profile_1", "profiles.rejection", sealed},
		{"another key", other, "customer_profile_1", "profiles.attributes", sealed},
		{"altered", k, "customer_profile_1", "profiles.attributes", sealed[:len(sealed)-2] + "AA"},
		{"clear", k, "customer_profile_1", "profiles.attributes", `{"firstName":"Zebedee"}`},
	} {
		if _, err := tc.key.Open(tc.owner, tc.column, tc.value); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: got %v, want ErrOpen", tc.name, err)
		}
	}
}

func TestHasherDomainsAndKeys(t *testing.T) {
	raw, _ := NewDataKey()
	h, _ := NewHasher(raw)
	raw2, _ := NewDataKey()
	h2, _ := NewHasher(raw2)
	a := h.Sum("registration", "S1234567A")
	if a != h.Sum("registration", "S1234567A") {
		t.Error("the same value hashes differently")
	}
	if a == h.Sum("email", "S1234567A") || a == h2.Sum("registration", "S1234567A") {
		t.Error("another domain or key gives the same hash")
	}
}

// TestKeyFileCreatedOnceByConcurrentStarters: processes that start at once against a
// missing key file all end up with the one key that was written.
func TestKeyFileCreatedOnceByConcurrentStarters(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kyc.kek")
	ids := make([]string, 8)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			k, err := OpenKEK(ctx, "keyfile://"+path, true)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = k.ID
		})
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("starters got different keys: %v", ids)
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
	}
	if _, err := OpenKEK(ctx, "keyfile://"+filepath.Join(t.TempDir(), "missing"), false); err == nil {
		t.Error("a missing key file was created without leave")
	}
}

func TestRingUnwrapsWithPreviousKEK(t *testing.T) {
	ctx := context.Background()
	old, newer := openLocal(t), openLocal(t)
	raw, _ := NewDataKey()
	id, wrapped, err := NewRing(old).Wrap(ctx, raw)
	if err != nil || id != old.ID {
		t.Fatalf("Wrap = %q, %v", id, err)
	}
	if _, err := NewRing(newer).Unwrap(ctx, id, wrapped); err == nil {
		t.Error("a KEK that did not wrap the key unwrapped it")
	}
	got, err := NewRing(newer, old).Unwrap(ctx, "unknown id", wrapped)
	if err != nil || string(got) != string(raw) {
		t.Errorf("Unwrap with the previous KEK = %v", err)
	}
}

func openLocal(t *testing.T) *KEK {
	t.Helper()
	u, err := NewLocalURL()
	if err != nil {
		t.Fatal(err)
	}
	k, err := OpenKEK(context.Background(), u, false)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestCacheExpiresAndStaysBounded(t *testing.T) {
	c := NewCache(2, time.Minute)
	now := time.Unix(0, 0)
	c.now = func() time.Time { return now }
	k := newKey(t)
	c.Put("a", k)
	if _, ok := c.Get("a"); !ok {
		t.Fatal("a fresh key is not cached")
	}
	now = now.Add(time.Minute)
	if _, ok := c.Get("a"); ok {
		t.Error("an expired key is returned")
	}
	c.Put("a", k)
	c.Put("b", k)
	c.Put("c", k)
	if len(c.entries) > 2 {
		t.Errorf("cache holds %d keys, bound 2", len(c.entries))
	}
	c.Drop("c")
	if _, ok := c.Get("c"); ok {
		t.Error("a dropped key is returned")
	}
}
