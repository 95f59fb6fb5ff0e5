package main

import (
	"context"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTuneGC checks that tuneGC sets the collector's target and limit and
// restores them, and leaves both alone when the environment sets GOGC,
// and the limit when it sets GOMEMLIMIT.
func TestTuneGC(t *testing.T) {
	// The subtests read the environment.
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	p0, l0 := readGC()
	cases := []struct {
		name, gogc, gomemlimit string
		percent                int
		limit                  int64
		wantPercent            int
		wantLimit              int64
	}{
		{name: "unset", percent: 250, limit: 3 << 30, wantPercent: 250, wantLimit: 3 << 30},
		{name: "GOGC set", gogc: "100", percent: 250, limit: 3 << 30, wantPercent: p0, wantLimit: l0},
		{name: "GOMEMLIMIT set", gomemlimit: "2GiB", percent: 250, limit: 3 << 30, wantPercent: 250, wantLimit: l0},
		{name: "serve's setting, no limit", percent: serveGCPercent, wantPercent: serveGCPercent, wantLimit: l0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("GOGC", c.gogc)
			t.Setenv("GOMEMLIMIT", c.gomemlimit)
			restore := tuneGC(c.percent, c.limit)
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
}

// readGC returns the collector's target and soft memory limit.
func readGC() (percent int, limit int64) {
	percent = debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

// TestServeTunesGC checks that the serve command runs with the collector
// at serveGCPercent, and puts the default back when it returns.
func TestServeTunesGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	p0, _ := readGC()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := newWatchWriter("claimmark listening on")
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-data", t.TempDir(), "-root", repoRoot}, strings.NewReader(""), stderr, stderr)
	}()
	select {
	case <-stderr.seen:
	case err := <-done:
		t.Fatalf("serve returned before listening: %v\n%s", err, stderr.String())
	case <-time.After(time.Minute):
		t.Fatalf("serve is not listening after a minute:\n%s", stderr.String())
	}
	p, _ := readGC()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	}
	if p != serveGCPercent {
		t.Errorf("while serving, GOGC is %d; want %d", p, serveGCPercent)
	}
	if p, _ := readGC(); p != p0 {
		t.Errorf("after serve, GOGC is %d; want %d back", p, p0)
	}
}

// watchWriter is a syncBuffer that closes seen once it holds want.
type watchWriter struct {
	syncBuffer
	want string
	seen chan struct{}
	once sync.Once
}

func newWatchWriter(want string) *watchWriter {
	return &watchWriter{want: want, seen: make(chan struct{})}
}

func (w *watchWriter) Write(p []byte) (int, error) {
	n, err := w.syncBuffer.Write(p)
	if strings.Contains(w.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}
