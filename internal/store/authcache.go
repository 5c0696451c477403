package store

import (
	"sync"
	"time"

	"github.com/openkyc/kyc"
)

// DefaultAuthCacheTTL is how long an instance trusts what it read about an API key or a
// public key before it reads the database again: the longest a change made elsewhere (by
// another instance, or by the kyc command) takes to reach it.
const DefaultAuthCacheTTL = time.Second

// maxAuthEntries bounds each of the cache's maps; a full map is emptied and fills again.
// Only keys that authenticated are kept, so a client cannot fill it with made-up keys.
const maxAuthEntries = 4096

// authCache spares every request the query for its API key's account and for its signing
// key, which otherwise cost more CPU than any other part of authentication. An entry is
// trusted for ttl after it was read. Every change this DB makes to accounts, API keys or
// public keys empties the cache when it commits, so that on this instance a revocation
// applies to the very next request; a change made elsewhere applies here within ttl.
//
// A lookup that read the database while a change committed could store what it read after
// the change emptied the cache: each lookup notes the generation before it reads, and its
// entry is kept only if no change happened meanwhile.
type authCache struct {
	ttl  time.Duration
	mu   sync.Mutex
	gen  uint64
	keys map[[32]byte]keyEntry
	pubs map[string]pubEntry
}

type keyEntry struct {
	acct    kyc.Account
	expires *time.Time // the key's expiry, checked at each use
	read    time.Time
}

type pubEntry struct {
	key  kyc.PublicKey
	read time.Time
}

// newAuthCache returns a cache that trusts entries for ttl; nil (no caching) when ttl is
// negative.
func newAuthCache(ttl time.Duration) *authCache {
	if ttl < 0 {
		return nil
	}
	if ttl == 0 {
		ttl = DefaultAuthCacheTTL
	}
	return &authCache{ttl: ttl, keys: map[[32]byte]keyEntry{}, pubs: map[string]pubEntry{}}
}

// generation is the count of changes so far, to pass to the put methods.
func (c *authCache) generation() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// invalidate forgets everything: an account, API key or public key changed.
func (c *authCache) invalidate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.keys)
	clear(c.pubs)
}

// account returns a copy of the account of the API key with hash h, if the key was read
// as active less than ttl ago and has not expired by now.
func (c *authCache) account(h [32]byte, now time.Time) (*kyc.Account, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.keys[h]
	if !ok || time.Since(e.read) >= c.ttl || e.expires != nil && !now.Before(*e.expires) {
		return nil, false
	}
	a := e.acct
	return &a, true
}

// putAccount remembers the account of an active API key read at generation gen.
func (c *authCache) putAccount(gen uint64, h [32]byte, a *kyc.Account, expires *time.Time) {
	if c == nil {
		return
	}
	put(c, gen, c.keys, h, keyEntry{acct: *a, expires: expires, read: time.Now()})
}

// publicKey returns a copy of the public key with the id, if read less than ttl ago.
func (c *authCache) publicKey(id string) (*kyc.PublicKey, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.pubs[id]
	if !ok || time.Since(e.read) >= c.ttl {
		return nil, false
	}
	k := e.key
	return &k, true
}

// putPublicKey remembers a public key read at generation gen.
func (c *authCache) putPublicKey(gen uint64, k *kyc.PublicKey) {
	if c == nil {
		return
	}
	put(c, gen, c.pubs, k.ID, pubEntry{key: *k, read: time.Now()})
}

// put stores v under k in m, one of c's maps (never replaced, only cleared), unless a change
// committed since generation gen, when v was read; a full map is emptied first.
func put[K comparable, V any](c *authCache, gen uint64, m map[K]V, k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(m) >= maxAuthEntries {
		clear(m)
	}
	m[k] = v
}
