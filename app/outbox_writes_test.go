package app

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestDeviceApply checks device.Apply's contract on memDevice: swaps are
// played in order, each only against the generation then stored, and the
// annotation and conflict writes are made.
func TestDeviceApply(t *testing.T) {
	put := func(key string, gen int) *op { return &op{Key: key, Kind: opPut, ID: key, Gen: gen} }
	tests := []struct {
		name   string
		stored []*op
		swaps  []opSwap
		want   map[string]int // key → generation left; absent: removed
	}{
		{"remove at its generation", []*op{put("k1", 0)}, []opSwap{{Key: "k1", Gen: 0}}, map[string]int{}},
		{"a newer edit stays", []*op{put("k1", 1)}, []opSwap{{Key: "k1", Gen: 0}}, map[string]int{"k1": 1}},
		{"replace, then remove the replacement", []*op{put("k1", 0)},
			[]opSwap{{Key: "k1", Gen: 0, Next: put("k1", 0)}, {Key: "k1", Gen: 0}}, map[string]int{}},
		{"remove, then a replacement finds nothing", []*op{put("k1", 0)},
			[]opSwap{{Key: "k1", Gen: 0}, {Key: "k1", Gen: 0, Next: put("k1", 0)}}, map[string]int{}},
		{"a swap of a missing key does nothing", []*op{put("k1", 0)},
			[]opSwap{{Key: "k2", Gen: 0, Next: put("k2", 0)}}, map[string]int{"k1": 0}},
		{"several keys", []*op{put("k1", 0), put("k2", 3), put("k3", 0)},
			[]opSwap{{Key: "k1", Gen: 0}, {Key: "k2", Gen: 3, Next: put("k2", 4)}, {Key: "k3", Gen: 1}},
			map[string]int{"k2": 4, "k3": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newMemDevice()
			for _, p := range tt.stored {
				if err := d.PutOp(p); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Apply(&deviceWrites{Swaps: tt.swaps}); err != nil {
				t.Fatal(err)
			}
			ops, _ := d.LoadOps()
			got := map[string]int{}
			for _, p := range ops {
				got[p.Key] = p.Gen
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("left %v, want %v", got, tt.want)
			}
		})
	}

	d := newMemDevice()
	if err := d.PutAnnotation(ann("gone", "A")); err != nil {
		t.Fatal(err)
	}
	w := &deviceWrites{
		Anns:      []annWrite{{Put: ann("a", "A")}, {Delete: "gone"}, {Put: ann("b", "B")}, {Put: ann("b", "B2")}},
		Conflicts: []*conflict{{ID: "c", ArticleID: "art"}},
	}
	if err := d.Apply(w); err != nil {
		t.Fatal(err)
	}
	all, _ := d.AllAnnotations()
	cs, _ := d.Conflicts()
	if len(all) != 2 || all[0].ID != "a" || all[1].Speaker != "B2" || len(cs) != 1 || cs[0].ID != "c" {
		t.Errorf("annotations %v, conflicts %v", all, cs)
	}
}

// countingDevice is a memDevice that counts the write transactions made.
type countingDevice struct {
	*memDevice
	mu     sync.Mutex
	writes int
}

func (c *countingDevice) count() {
	c.mu.Lock()
	c.writes++
	c.mu.Unlock()
}

func (c *countingDevice) n() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}

func (c *countingDevice) PutOp(p *op) error { c.count(); return c.memDevice.PutOp(p) }
func (c *countingDevice) SwapOp(key string, gen int, next *op) (bool, error) {
	c.count()
	return c.memDevice.SwapOp(key, gen, next)
}
func (c *countingDevice) Apply(w *deviceWrites) error { c.count(); return c.memDevice.Apply(w) }
func (c *countingDevice) PutAnnotation(a *annotation.Annotation) error {
	c.count()
	return c.memDevice.PutAnnotation(a)
}
func (c *countingDevice) DeleteAnnotation(id string) error {
	c.count()
	return c.memDevice.DeleteAnnotation(id)
}

// TestOutboxDrainWrites checks that draining a long queue in batches
// writes the device a few times a batch (marking its operations sent,
// then removing them and keeping the server's copies), not once or more
// an operation, and that the device ends with the queue empty and the
// server's copies kept.
func TestOutboxDrainWrites(t *testing.T) {
	f := newFakeAPI()
	dev := &countingDevice{memDevice: newMemDevice()}
	queued := newOutbox(f, outboxConfig{Device: dev})
	const n = 2*batchOps + 50
	for i := range n {
		queued.EnqueuePut(ann(fmt.Sprintf("a%03d", i), "A"))
	}
	queued.call(func() {}) // every operation is stored

	// A later visit: a new outbox reads the stored queue and drains it.
	o := newOutbox(&batchAPI{fakeAPI: f}, outboxConfig{Device: dev, Stored: true, Timeout: 5 * time.Second})
	before := dev.n()
	if err := o.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	batches := (n + batchOps - 1) / batchOps
	if got := dev.n() - before; got > 2*batches {
		t.Errorf("draining %d operations in %d batches made %d device writes, want at most %d", n, batches, got, 2*batches)
	}
	ops, _ := dev.LoadOps()
	kept, _ := dev.AllAnnotations()
	if len(ops) != 0 || len(kept) != n || len(f.anns) != n {
		t.Errorf("left %d queued, %d kept on the device, %d on the server; want 0, %d, %d", len(ops), len(kept), len(f.anns), n, n)
	}
}

// TestAppendJSONString checks that the records handed to IndexedDB
// (recordList) read back as the strings written, whatever they hold.
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `a "quoted" \ back\slash`, "tab\tnew\nline\r\x00\x1f", "Café 😀 \u2028", `{"doc":"x"}`} {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil || got != s {
			t.Errorf("appendJSONString(%q) read back as %q, %v", s, got, err)
		}
	}
	var l recordList
	l.add([]byte(`{"id":"a"}`), "key", "k\"1", "gen", 3)
	l.add([]byte(`{}`), "id", "b")
	var recs []map[string]any
	if err := json.Unmarshal(append(l.buf, ']'), &recs); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0]["key"] != "k\"1" || recs[0]["gen"] != 3.0 || recs[0]["doc"] != `{"id":"a"}` || recs[1]["id"] != "b" {
		t.Errorf("records %v", recs)
	}
}

// TestOutboxKickNow checks that what an earlier visit left is sent at once
// (kickNow), without the Settle wait meant for changes made on the page.
func TestOutboxKickNow(t *testing.T) {
	dev := newMemDevice()
	earlier := newOutbox(newFakeAPI(), outboxConfig{Device: dev})
	earlier.EnqueuePut(ann("a", "A"))
	earlier.call(func() {})

	f := newFakeAPI()
	o := newOutbox(f, outboxConfig{Device: dev, Stored: true, Settle: time.Hour})
	if err := o.Load(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go o.Run(ctx)
	o.kickNow()
	guard := time.After(10 * time.Second) // far below the hour Settle would wait
	for o.Status().Waiting > 0 {
		select {
		case <-guard:
			t.Fatalf("the queue left by an earlier visit is still waiting (%+v); sent: %q", o.Status(), f.log())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if got := f.log(); len(got) != 1 || got[0] != "PUT a" {
		t.Errorf("sent %q, want PUT a", got)
	}
}
