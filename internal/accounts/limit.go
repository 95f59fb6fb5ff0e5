package accounts

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Sign-in limits: a burst of attempts, then a steady trickle, per account
// (username key) and per remote address. An address gets a larger burst
// since several people may share one (an office behind NAT).
const (
	accountBurst    = 5
	accountInterval = 10 * time.Second
	addrBurst       = 20
	addrInterval    = 2 * time.Second
	// maxLimited bounds each map of limiters; past it, idle limiters
	// (full again) are dropped first, then arbitrary ones.
	maxLimited = 10000
)

// Limiter slows down password guessing: each sign-in attempt takes a
// token from the bucket of its account and from that of its remote
// address (golang.org/x/time/rate). It is safe for concurrent use. Memory
// is bounded: at most maxLimited accounts and as many addresses are
// tracked.
type Limiter struct {
	mu       sync.Mutex
	accounts keyed // guarded by mu
	addrs    keyed // guarded by mu
}

// keyed holds one rate.Limiter per key, with its limits.
type keyed struct {
	every time.Duration
	burst int
	max   int
	m     map[string]*rate.Limiter
}

// NewLimiter returns a Limiter with the package's limits: 5 attempts then
// one per 10 s per account, 20 then one per 2 s per address.
func NewLimiter() *Limiter {
	return &Limiter{
		accounts: keyed{every: accountInterval, burst: accountBurst, max: maxLimited, m: map[string]*rate.Limiter{}},
		addrs:    keyed{every: addrInterval, burst: addrBurst, max: maxLimited, m: map[string]*rate.Limiter{}},
	}
}

// get returns the limiter of key, making one (and making room) if needed.
func (k *keyed) get(key string, now time.Time) *rate.Limiter {
	if l, ok := k.m[key]; ok {
		return l
	}
	if len(k.m) >= k.max {
		k.evict(now)
	}
	l := rate.NewLimiter(rate.Every(k.every), k.burst)
	k.m[key] = l
	return l
}

// evict drops the limiters that are full again (forgetting them changes
// nothing) and, if that frees less than a tenth of the map, the fullest
// of the others until it does: a key that is being guessed at (its bucket
// near empty) is the last to be forgotten.
func (k *keyed) evict(now time.Time) {
	type entry struct {
		key    string
		tokens float64
	}
	rest := make([]entry, 0, len(k.m))
	for key, l := range k.m {
		if t := l.TokensAt(now); t >= float64(k.burst) {
			delete(k.m, key)
		} else {
			rest = append(rest, entry{key, t})
		}
	}
	if len(k.m) < k.max-k.max/10 {
		return
	}
	slices.SortFunc(rest, func(a, b entry) int { return cmp.Compare(b.tokens, a.tokens) })
	for _, e := range rest {
		if len(k.m) < k.max-k.max/10 {
			break
		}
		delete(k.m, e.key)
	}
}

// Allow takes one attempt for account (a username key; "" for none) from
// address addr at now. When either bucket is empty it takes nothing and
// returns false and how long to wait before the next attempt can pass.
func (l *Limiter) Allow(account, addr string, now time.Time) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var rs []*rate.Reservation
	for _, b := range []struct {
		k   *keyed
		key string
	}{{&l.accounts, account}, {&l.addrs, addr}} {
		if b.key == "" {
			continue
		}
		r := b.k.get(b.key, now).ReserveN(now, 1)
		rs = append(rs, r)
		wait = max(wait, r.DelayFrom(now))
	}
	if wait == 0 {
		return true, 0
	}
	for _, r := range rs {
		r.CancelAt(now)
	}
	return false, wait
}

// Forget resets the account's bucket, after a successful sign-in: the
// person who knows the password is not slowed by the guesses before.
func (l *Limiter) Forget(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.accounts.m, account)
}
