package keys

import (
	"sync"
	"time"
)

// Cache keeps unwrapped data keys in memory for a short time, so that a profile read twice
// in a row does not ask the KMS twice. It is bounded in entries and in time, and never
// written anywhere.
type Cache struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	now     func() time.Time
	entries map[string]cached
}

type cached struct {
	key     *DataKey
	expires time.Time
}

// NewCache keeps at most max keys, each for at most ttl.
func NewCache(max int, ttl time.Duration) *Cache {
	return &Cache{ttl: ttl, max: max, now: time.Now, entries: make(map[string]cached, max)}
}

// Get returns the owner's key while it is fresh.
func (c *Cache) Get(owner string) (*DataKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[owner]
	if !ok || !c.now().Before(e.expires) {
		delete(c.entries, owner)
		return nil, false
	}
	return e.key, true
}

// Put keeps the owner's key. When full, expired keys go first, and then (a cache, not a
// store) every other key: the next reads unwrap again.
func (c *Cache) Put(owner string, k *DataKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.entries) >= c.max {
		for o, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, o)
			}
		}
	}
	if len(c.entries) >= c.max {
		clear(c.entries)
	}
	c.entries[owner] = cached{key: k, expires: now.Add(c.ttl)}
}

// Drop forgets the owner's key (its erasure).
func (c *Cache) Drop(owner string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, owner)
}
