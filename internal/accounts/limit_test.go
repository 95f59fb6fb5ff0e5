package accounts

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	type attempt struct {
		account, addr string
		at            time.Duration // after t0
		ok            bool
		wait          time.Duration // when refused
	}
	// five from one address on one account pass, the sixth waits 10 s
	burst := func(account, addr string, n int) []attempt {
		var out []attempt
		for range n {
			out = append(out, attempt{account, addr, 0, true, 0})
		}
		return out
	}
	tests := []struct {
		name     string
		attempts []attempt
	}{
		{"account burst then one per 10 s", append(burst("ann", "1.2.3.4", 5),
			attempt{"ann", "1.2.3.4", 0, false, 10 * time.Second},
			attempt{"ann", "5.6.7.8", 0, false, 10 * time.Second}, // another address does not help
			attempt{"bob", "1.2.3.4", 0, true, 0},                 // another account is not slowed
			attempt{"ann", "1.2.3.4", 9 * time.Second, false, time.Second},
			attempt{"ann", "1.2.3.4", 10 * time.Second, true, 0},
			attempt{"ann", "1.2.3.4", 10 * time.Second, false, 10 * time.Second},
		)},
		{"address burst of 20 over many accounts, then one per 2 s", func() []attempt {
			var out []attempt
			for i := range 20 {
				out = append(out, attempt{fmt.Sprint("user", i), "9.9.9.9", 0, true, 0})
			}
			return append(out,
				attempt{"user99", "9.9.9.9", 0, false, 2 * time.Second},
				attempt{"user99", "8.8.8.8", 0, true, 0},
				attempt{"user98", "9.9.9.9", 2 * time.Second, true, 0})
		}()},
		{"a refusal by one bucket takes nothing from the other", append(burst("carl", "7.7.7.7", 5),
			attempt{"carl", "7.7.7.7", 0, false, 10 * time.Second},
			attempt{"carl", "7.7.7.7", 0, false, 10 * time.Second},
			// 5 taken from the address so far, not 7: 15 more pass
		)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLimiter()
			for i, a := range tt.attempts {
				ok, wait := l.Allow(a.account, a.addr, t0.Add(a.at))
				if ok != a.ok || wait.Round(time.Millisecond) != a.wait {
					t.Fatalf("attempt %d (%s from %s at +%s) = %v, wait %s; want %v, wait %s",
						i, a.account, a.addr, a.at, ok, wait, a.ok, a.wait)
				}
			}
		})
	}
	t.Run("address tokens left after refusals", func(t *testing.T) {
		l := NewLimiter()
		for range 7 {
			l.Allow("carl", "7.7.7.7", t0)
		}
		for i := range 15 {
			if ok, _ := l.Allow(fmt.Sprint("x", i), "7.7.7.7", t0); !ok {
				t.Fatalf("attempt %d from the address refused: refused attempts took address tokens", i)
			}
		}
		if ok, _ := l.Allow("y", "7.7.7.7", t0); ok {
			t.Fatal("the 21st passing attempt from one address went through")
		}
	})
	t.Run("Forget lifts the account's limit", func(t *testing.T) {
		l := NewLimiter()
		for range 5 {
			l.Allow("dan", "", t0)
		}
		l.Forget("dan")
		if ok, _ := l.Allow("dan", "", t0); !ok {
			t.Fatal("refused after Forget")
		}
	})
}

func TestLimiterBounded(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter()
	for i := range 3 * maxLimited {
		l.Allow(fmt.Sprint("u", i), fmt.Sprint("a", i), t0)
	}
	if n, m := len(l.accounts.m), len(l.addrs.m); n > maxLimited || m > maxLimited {
		t.Fatalf("%d accounts and %d addresses tracked; the bound is %d", n, m, maxLimited)
	}
	// a limiter that is full again is dropped before a busy one
	l = NewLimiter()
	for range 5 {
		l.Allow("busy", "", t0)
	}
	for i := range maxLimited {
		l.Allow(fmt.Sprint("idle", i), "", t0.Add(-time.Hour))
	}
	if ok, _ := l.Allow("busy", "", t0); ok {
		t.Fatal("the busy account's limiter was evicted before idle ones")
	}
}
