package main

import (
	"os"
	"runtime/debug"
)

// The garbage collector's target (GOGC) is raised for the commands that
// allocate most, each trading memory for CPU. When the environment sets
// GOGC, the collector is left as it says; otherwise GOMEMLIMIT, when set,
// wins over a command's memory limit.

// serveGCPercent is the collector's target while the server runs. A save
// allocates about 100 KB, mostly short-lived (bleve's analysis and
// segments, bbolt's pages, the request), while the server keeps 30–50 MB
// of live heap (caches, bleve's in-memory segments, bbolt's nodes): at
// the default 100 the collector marked that heap every 40 MB or so and
// took about a tenth of a save's CPU. At 200, claimbench's saves
// (16 clients, 100,000 annotations, 15 rounds each, alternated with the
// default) cost 0.50 CPU-ms against 0.56. The heap may grow to three
// times what is live instead of two: after claimbench's searches and
// bursts of saves the server's RSS was 40–110 MB higher at 10,000
// annotations and 10–70 MB at 100,000 and 300,000. GOGC=100 restores
// the default.
const serveGCPercent = 200

// importGCPercent is the garbage collector's target while a local import
// or a reindex runs. An import decodes, stores and indexes a file's
// annotations in one go, allocating mostly short-lived values: at the
// default 100 the collector took 10–20 % of the import's CPU. Importing
// a 20,000-annotation file took 5.1 CPU-s at a peak RSS of 280 MB with
// GOGC 100, 4.7 s at 430 MB with 200 and 4.6 s at 570 MB with 400 (one
// run each, load 5). A one-off batch command can afford the memory.
const importGCPercent = 400

// importMemoryLimit bounds what the relaxed target of an import may cost:
// past this heap the collector runs as often as it must (the runtime's
// soft limit), so a large file does not take five times its live memory.
const importMemoryLimit = 1 << 30

// tuneGC sets the collector's target to percent and, when limit > 0 and
// the environment does not set GOMEMLIMIT, a soft memory limit of limit
// bytes. When the environment sets GOGC it changes nothing. It returns the
// function that restores what it changed.
func tuneGC(percent int, limit int64) (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(percent)
	oldLimit := int64(-1) // -1 reads the limit without changing it
	if limit > 0 && os.Getenv("GOMEMLIMIT") == "" {
		oldLimit = debug.SetMemoryLimit(limit)
	}
	return func() {
		debug.SetGCPercent(old)
		if oldLimit >= 0 {
			debug.SetMemoryLimit(oldLimit)
		}
	}
}
