package accounts

import (
	"sync"
	"time"
)

// maxCached bounds the entries a genCache keeps; past it the cache starts
// over.
const maxCached = 10000

// maxCachedAge is how long a genCache entry is used at most, even while
// the generation stays the same. A generation shared through PostgreSQL
// can go back (a failover to a replica that lost the last commits, a
// restored table) and then climb to a number an entry was kept under:
// past this age such an entry is read again.
const maxCachedAge = time.Minute

// genCache keeps what Service read from its store (a user's record and
// memberships, an API token), each with the accounts generation read
// before reading it (see Generationer): an entry is used again only at
// the same generation, and for at most maxCachedAge. It is safe for
// concurrent use; the zero value is empty.
type genCache[V any] struct {
	mu sync.Mutex
	m  map[string]genEntry[V]
}

// genEntry is a value as read at generation gen, at time read.
type genEntry[V any] struct {
	gen  uint64
	read time.Time
	v    V
}

// get returns what was read of key at generation gen, if it was read less
// than maxCachedAge before now.
func (c *genCache[V]) get(key string, gen uint64, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || e.gen != gen || now.Sub(e.read) >= maxCachedAge {
		var zero V
		return zero, false
	}
	return e.v, true
}

// put keeps v, read at generation gen at time now, for key, unless a read
// at a later generation, made less than maxCachedAge before now, is kept.
func (c *genCache[V]) put(key string, gen uint64, now time.Time, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[key]; ok && old.gen > gen && now.Sub(old.read) < maxCachedAge {
		return
	}
	if c.m == nil || len(c.m) >= maxCached {
		c.m = make(map[string]genEntry[V])
	}
	c.m[key] = genEntry[V]{gen: gen, read: now, v: v}
}
