package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// burn uses about d of CPU time in this goroutine.
func burn(d time.Duration) {
	start := selfCPU()
	x := 1
	for selfCPU()-start < d {
		for i := range 100000 {
			x = x*31 + i
		}
	}
	_ = x
}

// TestThreadsCPU checks the nanosecond CPU reading of a process against
// CPU time this test spends, and against /proc/PID/stat's clock ticks.
func TestThreadsCPU(t *testing.T) {
	pid := os.Getpid()
	if m, _ := filepath.Glob("/proc/self/task/*/schedstat"); len(m) == 0 {
		// a kernel without schedstat: cpu() falls back to /proc/PID/stat
		if statCPU(pid) <= 0 {
			t.Fatal("neither schedstat nor /proc/PID/stat gives this process's CPU time")
		}
		return
	}
	before, ok := threadsCPU(pid)
	if !ok {
		t.Fatal("threadsCPU: schedstat exists but could not be read")
	}
	burn(50 * time.Millisecond)
	after, ok := threadsCPU(pid)
	if !ok {
		t.Fatal("threadsCPU: could not be read the second time")
	}
	if d := after - before; d < 45*time.Millisecond || d > time.Second {
		t.Errorf("threadsCPU grew by %v over 50ms of CPU time spent", d)
	}
	// /proc/PID/stat counts the same time in ticks of 10 ms.
	if st := statCPU(pid); st < after-100*time.Millisecond || st > after+100*time.Millisecond {
		t.Errorf("statCPU = %v, threadsCPU = %v: more than 100ms apart", st, after)
	}
}

// TestSettleFor checks that settleFor waits out a busy server and counts
// a trickle below idleCPU as idle.
func TestSettleFor(t *testing.T) {
	reads := 0
	var now time.Duration
	cpu := func() time.Duration {
		reads++
		if reads <= 4 {
			now += 20 * time.Millisecond // busy: background work
		} else {
			now += idleCPU / 4 // an idle process's timers
		}
		return now
	}
	start := time.Now()
	got := settleFor(cpu, 300*time.Millisecond)
	// four busy readings (the first sets the start), then idle ones for
	// 300ms: at least 100ms apart each
	if reads < 6 || time.Since(start) < 600*time.Millisecond {
		t.Errorf("settleFor returned after %d readings, %v: it did not wait out the busy ones and then 300ms", reads, time.Since(start))
	}
	if reads > 12 {
		t.Errorf("settleFor took %d readings: the trickle below idleCPU did not count as idle", reads)
	}
	if got != now {
		t.Errorf("settleFor = %v, want the last reading %v", got, now)
	}
}
