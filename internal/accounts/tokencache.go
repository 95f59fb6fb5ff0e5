package accounts

import (
	"context"
	"sync"

	"claimmark/internal/annotation"
)

// maxCachedTokens bounds the tokens a Service keeps; past it the cache
// starts over.
const maxCachedTokens = 10000

// tokenCache holds what Authenticate read of each API token, by the hash
// of its secret, with the accounts generation read before reading it. It
// is safe for concurrent use.
type tokenCache struct {
	mu sync.Mutex
	m  map[string]cachedToken
}

// cachedToken is a token as read at generation gen.
type cachedToken struct {
	gen uint64
	tok annotation.Token
}

// get returns a copy of the token of hash as read at generation gen.
func (c *tokenCache) get(hash string, gen uint64) (*annotation.Token, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || e.gen != gen {
		return nil, false
	}
	t := e.tok
	return &t, true
}

// put keeps a copy of t for hash, unless a read at a later generation is
// kept.
func (c *tokenCache) put(hash string, gen uint64, t *annotation.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[hash]; ok && old.gen > gen {
		return
	}
	if c.m == nil || len(c.m) >= maxCachedTokens {
		c.m = make(map[string]cachedToken)
	}
	c.m[hash] = cachedToken{gen: gen, tok: *t}
}

// tokenAt is Store.TokenByHash on a Generationer store: the token of hash
// read at generation gen (read before the call) is used again while the
// generation stays the same, and what is read now is kept at gen. Since a
// Generationer's generation grows with every write to tokens, a revoked
// token is refused on the very next request. A hash with no token is read
// every time.
func (s *Service) tokenAt(ctx context.Context, hash string, gen uint64) (*annotation.Token, error) {
	if t, ok := s.tokens.get(hash, gen); ok {
		return t, nil
	}
	t, err := s.Store.TokenByHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	s.tokens.put(hash, gen, t)
	return t, nil
}
