package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// settle waits until o's device writes queued so far are done.
func settle(o *outbox) { o.call(func() {}) }

// TestOutboxDurable checks that the queue outlives the outbox (a reload):
// a new outbox over the same device sends what the first one kept, in
// order, with edits coalesced.
func TestOutboxDurable(t *testing.T) {
	api := newFakeAPI()
	dev := newMemDevice()
	first := newOutbox(api, outboxConfig{Device: dev})
	first.EnqueuePut(ann("a", "A"))
	first.EnqueuePut(ann("b", "B"))
	first.EnqueuePut(ann("a", "A2")) // merged into the first put
	first.EnqueuePut(ann("c", "C"))
	first.EnqueueDelete(ann("c", "")) // never sent: nothing to send
	settle(first)

	second := newOutbox(api, outboxConfig{Device: dev})
	if err := second.Load(); err != nil {
		t.Fatal(err)
	}
	if st := second.Status(); st.Waiting != 2 {
		t.Fatalf("after the reload %d changes wait, want 2", st.Waiting)
	}
	if err := second.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := api.log(), []string{"PUT a", "PUT b"}; !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
	if api.anns["a"].Speaker != "A2" {
		t.Errorf("the server holds speaker %q for a, want A2", api.anns["a"].Speaker)
	}
	settle(second)
	if ops, _ := dev.LoadOps(); len(ops) != 0 {
		t.Errorf("%d operations stay on the device after they were sent", len(ops))
	}
	if kept, _ := dev.Annotations("art"); len(kept) != 2 || kept[0].Revision != 1 {
		t.Errorf("the device keeps %d server copies (%+v), want a and b at revision 1", len(kept), kept)
	}
}

// TestOutboxTwoTabs runs two outboxes (two tabs) over one device and one
// lock, both flushing at once many times: every change is sent exactly
// once, in order.
func TestOutboxTwoTabs(t *testing.T) {
	api := newFakeAPI()
	dev := newMemDevice()
	lock := newMemLock()
	tabs := []*outbox{
		newOutbox(api, outboxConfig{Device: dev, Lock: lock, Tab: "one"}),
		newOutbox(api, outboxConfig{Device: dev, Lock: lock, Tab: "two"}),
	}
	var want [2][]string
	for i := range 20 {
		id := string(rune('a' + i))
		tabs[i%2].EnqueuePut(ann(id, id))
		want[i%2] = append(want[i%2], "PUT "+id)
	}
	for _, o := range tabs {
		settle(o)
	}
	var wg sync.WaitGroup
	for range 4 {
		for _, o := range tabs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := o.Flush(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	// Each tab's changes go once each, in the order it made them.
	got := api.log()
	for i, w := range want {
		var mine []string
		for _, c := range got {
			if slices.Contains(w, c) {
				mine = append(mine, c)
			}
		}
		if !slices.Equal(mine, w) {
			t.Errorf("tab %d: requests %q, want each change once, in order: %q", i+1, mine, w)
		}
	}
	if len(got) != 20 {
		t.Errorf("%d requests, want 20: %q", len(got), got)
	}
	for id, a := range api.anns {
		if a.Revision != 1 {
			t.Errorf("annotation %s is at revision %d: it was sent more than once", id, a.Revision)
		}
	}
}

// TestOutboxRebase checks If-Match along a chain of changes: each change
// is sent on the revision the previous one produced, also across a reload
// and after a delete and an undo.
func TestOutboxRebase(t *testing.T) {
	api := newFakeAPI()
	dev := newMemDevice()
	o := newOutbox(api, outboxConfig{Device: dev})
	api.fail = []error{errDown}
	o.EnqueuePut(ann("a", "A"))
	_ = o.Flush(context.Background()) // the first attempt fails: Sent
	o.EnqueuePut(ann("a", "B"))       // merged: sent again as one
	a := ann("a", "C")
	o.EnqueuePut(a)
	if err := o.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := ann("a", "D")
	b.Revision = 1
	o.EnqueuePut(b)
	o.EnqueueDelete(b)
	undo := ann("a", "D")
	o.EnqueuePut(undo)
	settle(o)
	o2 := newOutbox(api, outboxConfig{Device: dev})
	if err := o2.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The edit D was never sent before the delete: only the delete goes,
	// on revision 1, and the undo recreates the annotation without If-Match.
	want := []string{"PUT a", "PUT a", `DELETE a "1"`, "PUT a"}
	if got := api.log(); !slices.Equal(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
	if s := api.anns["a"]; s == nil || s.Speaker != "D" {
		t.Errorf("the server holds %+v, want speaker D", s)
	}
}

// TestOutboxConflict checks that a change made on a stale revision is not
// sent over another device's change: both versions are kept until a choice
// is made, and the choice is sent with the right If-Match.
func TestOutboxConflict(t *testing.T) {
	tests := []struct {
		name        string
		mine        func(o *outbox)
		keepMine    bool
		wantServer  string // speaker on the server at the end; "-" for deleted
		wantMineNil bool
	}{
		{
			name:       "update against update, keep mine",
			mine:       func(o *outbox) { a := ann("a", "mine"); a.Revision = 1; o.EnqueuePut(a) },
			keepMine:   true,
			wantServer: "mine",
		},
		{
			name:       "update against update, keep theirs",
			mine:       func(o *outbox) { a := ann("a", "mine"); a.Revision = 1; o.EnqueuePut(a) },
			wantServer: "theirs",
		},
		{
			name: "two edits against update: the last one is mine",
			mine: func(o *outbox) {
				a := ann("a", "mine1")
				a.Revision = 1
				o.EnqueuePut(a)
				o.EnqueueDelete(a)
				a.Speaker = "mine2"
				o.EnqueuePut(a)
			},
			keepMine:   true,
			wantServer: "mine2",
		},
		{
			name:        "delete against update, delete anyway",
			mine:        func(o *outbox) { a := ann("a", ""); a.Revision = 1; o.EnqueueDelete(a) },
			keepMine:    true,
			wantServer:  "-",
			wantMineNil: true,
		},
		{
			name:        "delete against update, keep theirs",
			mine:        func(o *outbox) { a := ann("a", ""); a.Revision = 1; o.EnqueueDelete(a) },
			wantServer:  "theirs",
			wantMineNil: true,
		},
	}
	for _, batched := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("batched=%v/%s", batched, tt.name), func(t *testing.T) {
				api := newFakeAPI()
				theirs := ann("a", "theirs")
				theirs.Revision = 2 // another device saved revision 2
				api.anns["a"] = theirs
				dev := newMemDevice()
				o := newOutbox(withBatch(api, batched), outboxConfig{Device: dev})
				var got *conflict
				o.Subscribe(func(ev outboxEvent) {
					if ev.Conflict != nil {
						got = ev.Conflict
					}
				})
				tt.mine(o)
				if err := o.Flush(context.Background()); err != nil {
					t.Fatal(err)
				}
				if got == nil {
					t.Fatalf("no conflict reported; requests %q", api.log())
				}
				if got.Theirs == nil || got.Theirs.Speaker != "theirs" || (got.Mine == nil) != tt.wantMineNil {
					t.Errorf("conflict mine %+v theirs %+v", got.Mine, got.Theirs)
				}
				if api.anns["a"].Speaker != "theirs" {
					t.Errorf("the server's version was overwritten before a choice: %+v", api.anns["a"])
				}
				if st := o.Status(); st.Waiting != 0 || st.Conflicts != 1 {
					t.Errorf("status %+v, want nothing waiting and one conflict", st)
				}
				settle(o)
				if cs, _ := dev.Conflicts(); len(cs) != 1 {
					t.Errorf("the device keeps %d conflicts, want 1", len(cs))
				}
				show, _, ok := o.Resolve("a", tt.keepMine)
				if !ok {
					t.Fatal("Resolve found no conflict")
				}
				if err := o.Flush(context.Background()); err != nil {
					t.Fatal(err)
				}
				server := "-"
				if s := api.anns["a"]; s != nil {
					server = s.Speaker
				}
				if server != tt.wantServer {
					t.Errorf("the server holds %q, want %q (requests %q)", server, tt.wantServer, api.log())
				}
				if shown := "-"; show != nil && show.Speaker != tt.wantServer || show == nil && shown != tt.wantServer {
					t.Errorf("the page is told to show %+v, want %q", show, tt.wantServer)
				}
				settle(o)
				if cs, _ := dev.Conflicts(); len(cs) != 0 || o.Status().Conflicts != 0 {
					t.Errorf("the conflict stays after the choice")
				}
			})
		}
	}
}

// TestOutboxOfflineState checks that an unreachable server makes the
// status offline and an answer brings it back.
func TestOutboxOfflineState(t *testing.T) {
	api := newFakeAPI()
	api.fail = []error{errDown}
	o := newOutbox(api, outboxConfig{})
	o.EnqueuePut(ann("a", "A"))
	_ = o.Flush(context.Background())
	if st := o.Status(); !st.Offline || st.Waiting != 1 {
		t.Errorf("after a failed request: %+v, want offline with one waiting", st)
	}
	if got := syncText(o.Status()); !strings.HasPrefix(got, "Offline — changes kept on this device") || !strings.Contains(got, "1 change waiting to sync") {
		t.Errorf("sync text %q", got)
	}
	if err := o.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := o.Status(); st.Offline || st.Waiting != 0 {
		t.Errorf("after a successful request: %+v", st)
	}
}

// TestOverlay checks that queued changes apply over a list in order.
func TestOverlay(t *testing.T) {
	a, b := ann("a", "A"), ann("b", "B")
	b.Target.Position = annotation.Position{Start: 5, End: 6}
	c := ann("c", "C")
	c.ArticleID = "other"
	a2 := ann("a", "A2")
	ops := []*op{
		{Kind: opPut, ID: "a", ArticleID: "art", Ann: a2},
		{Kind: opDelete, ID: "b", ArticleID: "art"},
		{Kind: opPut, ID: "c", ArticleID: "other", Ann: c},
		{Kind: opPut, ID: "n", ArticleID: "art", Ann: ann("n", "N")},
	}
	got := overlay("art", []*annotation.Annotation{a, b}, ops)
	var ids []string
	for _, x := range got {
		ids = append(ids, x.ID+":"+x.Speaker)
	}
	if want := []string{"a:A2", "n:N"}; !slices.Equal(ids, want) {
		t.Errorf("overlay = %q, want %q", ids, want)
	}
	if a.Speaker != "A" {
		t.Errorf("overlay changed its input")
	}
}

// TestOutboxRunRetriesSoon checks that Run, in the browser's timing, sends
// a change once the server is back without being asked.
func TestOutboxRunRetriesSoon(t *testing.T) {
	api := newFakeAPI()
	api.fail = []error{errDown, errDown, errDown}
	o := newOutbox(api, outboxConfig{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})
	done := make(chan struct{})
	o.Subscribe(func(ev outboxEvent) {
		if ev.Done && ev.Err == nil {
			close(done)
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go o.Run(ctx)
	o.EnqueuePut(ann("a", "A"))
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("not sent; requests %q", api.log())
	}
	if n := len(api.log()); n != 4 {
		t.Errorf("%d requests, want 3 failed and 1 sent", n)
	}
}
