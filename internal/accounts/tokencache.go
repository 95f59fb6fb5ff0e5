package accounts

import (
	"context"

	"claimmark/internal/annotation"
)

// tokenAt is Store.TokenByHash on a Generationer store: the token of hash
// read at generation gen (read before the call) is used again while the
// generation stays the same, and what is read now is kept at gen. Since a
// Generationer's generation grows with every write to tokens, a revoked
// token is refused on the very next request. A hash with no token is read
// every time.
func (s *Service) tokenAt(ctx context.Context, hash string, gen uint64) (*annotation.Token, error) {
	now := s.now()
	if t, ok := s.tokens.get(hash, gen, now); ok {
		return &t, nil // a copy: the caller's changes do not reach the cache
	}
	t, err := s.Store.TokenByHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	s.tokens.put(hash, gen, now, *t)
	return t, nil
}
