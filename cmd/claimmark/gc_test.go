package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC checks that tuneGC sets the collector's target and limit and
// restores them, and leaves both alone when the environment sets GOGC,
// and the limit when it sets GOMEMLIMIT.
func TestTuneGC(t *testing.T) {
	readGC := func() (int, int64) {
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		return p, debug.SetMemoryLimit(-1)
	}
	p0, l0 := readGC()
	cases := []struct {
		name, gogc, gomemlimit string
		wantPercent           int
		wantLimit             int64
	}{
		{name: "unset", wantPercent: 250, wantLimit: 3 << 30},
		{name: "GOGC set", gogc: "100", wantPercent: p0, wantLimit: l0},
		{name: "GOMEMLIMIT set", gomemlimit: "2GiB", wantPercent: 250, wantLimit: l0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("GOGC", c.gogc)
			t.Setenv("GOMEMLIMIT", c.gomemlimit)
			restore := tuneGC(250, 3<<30)
			p, l := readGC()
			restore()
			if p != c.wantPercent || l != c.wantLimit {
				t.Errorf("after tuneGC: GOGC %d, limit %d; want %d, %d", p, l, c.wantPercent, c.wantLimit)
			}
			if p, l := readGC(); p != p0 || l != l0 {
				t.Errorf("after restore: GOGC %d, limit %d; want %d, %d", p, l, p0, l0)
			}
		})
	}
	restore := tuneGC(serveGCPercent, 0)
	p, l := readGC()
	restore()
	if p != serveGCPercent || l != l0 {
		t.Errorf("serve's setting: GOGC %d, limit %d; want %d, %d (no limit)", p, l, serveGCPercent, l0)
	}
}
