package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress shows one self-overwriting status line on a terminal and
// nothing elsewhere, so that piped and logged output stays clean. Updates
// come at most every 100 ms. It is safe for concurrent use.
type progress struct {
	w  io.Writer
	on bool // w is a terminal

	mu    sync.Mutex
	last  time.Time
	shown bool
}

// newProgress returns a progress line on w, shown only when w is a terminal.
func newProgress(w io.Writer) *progress { return &progress{w: w, on: isTerminal(w)} }

// Printf replaces the status line, unless the last update was under
// 100 ms ago.
func (p *progress) Printf(format string, args ...any) { p.print(false, format, args...) }

// Set replaces the status line whenever it was last updated.
func (p *progress) Set(format string, args ...any) { p.print(true, format, args...) }

func (p *progress) print(force bool, format string, args ...any) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !force && p.shown && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	fmt.Fprintf(p.w, "\r\x1b[K"+format, args...)
	p.shown = true
}

// Clear erases the status line, so that ordinary output can follow.
func (p *progress) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

// countingReader reports on a progress line how much of a file of size
// total bytes has been read.
type countingReader struct {
	r     io.Reader
	name  string
	n     int64
	total int64
	p     *progress
}

// Read implements io.Reader.
func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	switch {
	case err == io.EOF:
		c.p.Set("%s: checking, storing and indexing %s…", c.name, byteSize(c.n))
	case c.total > 0:
		c.p.Printf("%s: reading, %d%% of %s", c.name, c.n*100/c.total, byteSize(c.total))
	}
	return n, err
}

// byteSize formats n bytes for people: 512 B, 1.5 kB, 2.3 MB, 1.1 GB.
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1000_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}
