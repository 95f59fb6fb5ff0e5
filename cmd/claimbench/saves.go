package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"claimmark/internal/annotation"
)

// saveRound is one measurement of each contender on the same annotations.
type saveRound struct {
	ours, floor         float64 // server CPU-ms per save
	oursRate, floorRate float64 // saves per second
	raw                 float64 // CPU-ms per annotation of raw bleve indexing with claimmark's mapping and documents
	naive               float64 // the same with the naive mapping (naive.go), for comparison with earlier runs
}

// saveBench measures the CPU per save of claimmark (srv) against the bare
// durable-save floor and raw bleve indexing, in rounds that take turns:
// each round PUTs the same new annotations from clients concurrent
// clients to claimmark and then to the floor server, and indexes them
// into a raw bleve index in a process of its own (rawproc.go). A
// server's CPU is counted until it is idle again (scorch merges in the
// background after a batch); claimmark's until it has used none for
// quiet, which must be longer
// than the pauses of its background work (index.Options.PersistWait), so
// that what it does after a pause is counted in the round that caused it.
// Each round starts once claimmark is idle by that measure, so that no
// round counts what earlier requests left to do in the background (the
// first round follows the PUTs of the write row, whose last index batch,
// persist and list changes were counted in it before).
func saveBench(srv *serverProc, work string, arts []*annotation.Article, titles map[string]string, puts, clients, rounds int, quiet time.Duration) ([]saveRound, error) {
	floor, err := startFloor(filepath.Join(work, "floor"))
	if err != nil {
		return nil, fmt.Errorf("floor server: %w", err)
	}
	defer floor.stop()
	var out []saveRound
	for r := range rounds {
		anns := newAnnotations(arts, puts, uint64(100+r))
		var sr saveRound
		logf("saves, round %d of %d: %d PUTs from %d clients to claimmark, the floor, and raw bleve", r+1, rounds, len(anns), clients)
		cpu0 := settleFor(srv.cpu, quiet)
		sr.oursRate, _, err = putBench(srv, anns, clients)
		if err != nil {
			return out, fmt.Errorf("claimmark: %w", err)
		}
		sr.ours = cpuMS(settleFor(srv.cpu, quiet)-cpu0, len(anns))

		cpu0 = floor.cpu()
		sr.floorRate, _, err = putBench(floor, anns, clients)
		if err != nil {
			return out, fmt.Errorf("floor: %w", err)
		}
		sr.floor = cpuMS(settle(floor.cpu)-cpu0, len(anns))

		d, err := rawIndexProc(filepath.Join(work, fmt.Sprintf("raw-%d.bleve", r)), false, anns, titles)
		if err != nil {
			return out, fmt.Errorf("raw bleve: %w", err)
		}
		sr.raw = cpuMS(d, len(anns))
		d, err = rawIndexProc(filepath.Join(work, fmt.Sprintf("naive-%d.bleve", r)), true, anns, titles)
		if err != nil {
			return out, fmt.Errorf("raw bleve, naive mapping: %w", err)
		}
		sr.naive = cpuMS(d, len(anns))
		logf("saves, round %d: claimmark %.3f CPU-ms per save, floor %.3f, raw bleve %.3f; ratio %.2f×", r+1, sr.ours, sr.floor, sr.raw, sr.ours/(sr.floor+sr.raw))
		out = append(out, sr)
	}
	return out, nil
}

// settle waits until cpu stops growing (two readings 300 ms apart are
// equal, at most 10 s) and returns its last reading.
func settle(cpu func() time.Duration) time.Duration {
	return settleFor(cpu, 300*time.Millisecond)
}

// idleCPU is the most CPU time a server may use between two readings of
// settleFor (100 ms apart) and still count as idle: an idle Go process
// uses some microseconds now and then (its runtime's and the server's
// timers), which a reading to the nanosecond sees.
const idleCPU = 2 * time.Millisecond

// settleFor waits until cpu has grown by less than idleCPU in every
// 100 ms for quiet, at most 10 s plus quiet, and returns its last
// reading.
func settleFor(cpu func() time.Duration, quiet time.Duration) time.Duration {
	last, since := cpu(), time.Now()
	for deadline := since.Add(10*time.Second + quiet); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		now := cpu()
		busy := now-last >= idleCPU
		last = now
		if busy {
			since = time.Now()
		} else if time.Since(since) >= quiet {
			break
		}
	}
	return last
}

// median returns the median of f over rs.
func median(rs []saveRound, f func(saveRound) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	slices.Sort(v)
	if len(v) == 0 {
		return 0
	}
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// saveRows returns the table rows of the save rounds: medians, and the
// ratio of claimmark's CPU per save to the composite floor.
func saveRows(rs []saveRound, clients int) []row {
	if len(rs) == 0 {
		return nil
	}
	ours := median(rs, func(r saveRound) float64 { return r.ours })
	floor := median(rs, func(r saveRound) float64 { return r.floor })
	raw := median(rs, func(r saveRound) float64 { return r.raw })
	composite := median(rs, func(r saveRound) float64 { return r.floor + r.raw })
	ratio := median(rs, func(r saveRound) float64 { return r.ours / (r.floor + r.raw) })
	return []row{
		{"save", fmt.Sprintf("PUT, %d clients, claimmark: CPU per save, saves/s (median of %d rounds)", clients, len(rs)),
			fmt.Sprintf("%.3f CPU-ms, %.0f/s", ours, median(rs, func(r saveRound) float64 { return r.oursRate })), ""},
		{"save", "  floor: HTTP + JSON decode + bbolt group commit, same PUTs",
			fmt.Sprintf("%.3f CPU-ms, %.0f/s", floor, median(rs, func(r saveRound) float64 { return r.floorRate })), ""},
		{"save", "  raw bleve indexing of the same annotations, claimmark's mapping (batches of 1,000)", fmt.Sprintf("%.3f CPU-ms", raw), ""},
		{"save", "  (raw bleve indexing with the naive mapping, the floor of earlier runs)",
			fmt.Sprintf("%.3f CPU-ms", median(rs, func(r saveRound) float64 { return r.naive })), ""},
		{"save", "  claimmark ÷ composite floor (floor + raw indexing)",
			fmt.Sprintf("%.2f× (composite %.3f CPU-ms)", ratio, composite), "≤ 1.5×"},
	}
}
