package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
	"claimmark/internal/server/servertest"
)

// rejectFakeAPI is an API that keeps rejected suggestions in a
// servertest store, as one user, and counts the changes sent.
type rejectFakeAPI struct {
	*fakeAPI
	st    *servertest.Store
	none  bool // the server keeps no rejections
	mu    sync.Mutex
	sends [][2][]string // add, remove of each change stored
}

func (f *rejectFakeAPI) Rejections(ctx context.Context, articleID string) (*annotation.Rejections, error) {
	return f.st.Rejections(ctx, "u1", articleID)
}

func (f *rejectFakeAPI) UpdateRejections(ctx context.Context, articleID string, add, remove []string) (*annotation.Rejections, error) {
	if f.none {
		return nil, fmt.Errorf("answered 501: %w", client.ErrNoRejections)
	}
	r, err := f.st.UpdateRejections(ctx, "u1", articleID, add, remove)
	if err == nil {
		f.mu.Lock()
		f.sends = append(f.sends, [2][]string{add, remove})
		f.mu.Unlock()
	}
	return r, err
}

// newRejectFixture returns an outbox over a store holding one article.
func newRejectFixture(t *testing.T) (*rejectFakeAPI, *outbox, *memDevice, string) {
	t.Helper()
	st := servertest.NewStore()
	art := &annotation.Article{Title: "Talks", Text: "The minister said talks had stalled."}
	if _, err := st.CreateArticle(context.Background(), art); err != nil {
		t.Fatal(err)
	}
	api := &rejectFakeAPI{fakeAPI: newFakeAPI(), st: st}
	dev := newMemDevice()
	return api, newOutbox(api, outboxConfig{Device: dev}), dev, art.ID
}

func (f *rejectFakeAPI) keys(t *testing.T, articleID string) []string {
	t.Helper()
	r, err := f.st.Rejections(context.Background(), "u1", articleID)
	if err != nil {
		t.Fatal(err)
	}
	return r.Keys
}

// TestOutboxRejections checks rejections queued offline: one request for
// the changes made before it could be sent, a change made while one is on
// the wire sent after it, the server's set the result, retried while the
// server is unreachable, kept across reloads, and dropped with the reason
// when the server refuses it.
func TestOutboxRejections(t *testing.T) {
	ctx := context.Background()
	api, box, dev, art := newRejectFixture(t)
	down := true
	api.st.Fail = func(method string) error {
		if down && method == "UpdateRejections" {
			return client.ErrUnreachable
		}
		return nil
	}
	box.EnqueueRejections(art, []string{"s-1-9-claim"}, nil)
	box.EnqueuePut(ann("a", "Someone")) // an annotation change between: sent in its own request
	box.EnqueueRejections(art, []string{"s-20-30-denial"}, nil)
	box.EnqueueRejections(art, nil, []string{"s-1-9-claim"}) // an undo
	ops := box.Ops(art)
	if len(ops) != 1 || ops[0].Kind != opRejections || !slices.Equal(ops[0].Rejected, []string{"s-20-30-denial"}) ||
		!slices.Equal(ops[0].Restored, []string{"s-1-9-claim"}) {
		t.Fatalf("queued for the article: %+v; want one change rejecting s-20-30-denial and restoring s-1-9-claim", ops)
	}
	if err := box.Flush(ctx); err == nil {
		t.Fatal("Flush succeeded with the server unreachable")
	}
	if st := box.Status(); st.Waiting != 2 || !st.Offline {
		t.Errorf("status %+v, want the rejections and the annotation waiting, offline", st)
	}
	// Sent once (and maybe stored): a later change is queued after it.
	box.EnqueueRejections(art, []string{"s-40-50-proposal"}, nil)
	if n := len(box.Ops(art)); n != 2 {
		t.Errorf("%d changes queued; want 2: a change that may have reached the server is not changed", n)
	}

	// A reload reads the queue from the device.
	box.call(func() {}) // the device writes queued so far are done
	box = newOutbox(api, outboxConfig{Device: dev})
	if err := box.Load(); err != nil {
		t.Fatal(err)
	}
	down = false
	if err := box.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := api.keys(t, art), []string{"s-20-30-denial", "s-40-50-proposal"}; !slices.Equal(got, want) {
		t.Errorf("the server holds %q, want %q", got, want)
	}
	if n := len(api.sends); n != 2 {
		t.Errorf("%d rejection requests reached the server, want 2: %q", n, api.sends)
	}
	if st := box.Status(); st.Waiting != 0 {
		t.Errorf("status %+v after the flush, want nothing waiting", st)
	}
	if api.log()[0] != "PUT a" {
		t.Errorf("annotation calls %q, want the annotation put", api.log())
	}

	// Refused (the article is gone): dropped, with the reason.
	var done []outboxEvent
	box.Subscribe(func(ev outboxEvent) {
		if ev.Done {
			done = append(done, ev)
		}
	})
	if err := api.st.DeleteArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	box.EnqueueRejections(art, []string{"s-1-9-claim"}, nil)
	if err := box.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 || annotation.ErrorCode(done[0].Err) != annotation.NotFound || done[0].Kind != opRejections {
		t.Errorf("events %+v, want the change dropped as not found", done)
	}
	if st := box.Status(); st.Waiting != 0 {
		t.Errorf("status %+v, want the refused change dropped", st)
	}

	// A server that keeps no rejections: done with, without an error to
	// show (the device keeps them).
	api.none, done = true, nil
	box.EnqueueRejections(art, []string{"s-1-9-claim"}, nil)
	if err := box.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 || done[0].Err != nil || box.Status().Waiting != 0 {
		t.Errorf("events %+v, status %+v; want the change done with, no error", done, box.Status())
	}
}

func TestCombineRejections(t *testing.T) {
	tests := []struct {
		name                 string
		add1, rm1, add2, rm2 []string
		wantAdd, wantRm      []string
	}{
		{"two rejections", []string{"a"}, nil, []string{"b"}, nil, []string{"a", "b"}, nil},
		{"a rejection undone", []string{"a"}, nil, nil, []string{"a"}, nil, []string{"a"}},
		{"an undo rejected again", nil, []string{"a"}, []string{"a"}, nil, []string{"a"}, nil},
		{"others kept", []string{"a", "c"}, []string{"d"}, []string{"b"}, []string{"c"}, []string{"a", "b"}, []string{"c", "d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			add, rm := combineRejections(tt.add1, tt.rm1, tt.add2, tt.rm2)
			if !slices.Equal(add, tt.wantAdd) || !slices.Equal(rm, tt.wantRm) {
				t.Errorf("combineRejections = +%q -%q, want +%q -%q", add, rm, tt.wantAdd, tt.wantRm)
			}
		})
	}
}

func TestRejectedView(t *testing.T) {
	rej := func(key, article string, add, rm []string) *op {
		return &op{Key: key, Kind: opRejections, ID: rejectionsOpID(article), ArticleID: article, Rejected: add, Restored: rm}
	}
	tests := []struct {
		name   string
		server []string
		ops    []*op
		want   []string
	}{
		{"the server's set", []string{"a", "b"}, nil, []string{"a", "b"}},
		{"rejected here, not yet sent", []string{"a"}, []*op{rej("k1", "art", []string{"b"}, nil)}, []string{"a", "b"}},
		{"undone here, not yet sent", []string{"a", "b"}, []*op{rej("k1", "art", nil, []string{"a"})}, []string{"b"}},
		{"in queue order", nil, []*op{rej("k2", "art", nil, []string{"a"}), rej("k1", "art", []string{"a"}, nil)}, []string{}},
		{"the later read of an op counts", nil, []*op{rej("k1", "art", []string{"a"}, nil), rej("k1", "art", []string{"b"}, []string{"a"})}, []string{"b"}},
		{"an op read before the fetch, sent since", []string{"a"}, []*op{rej("k1", "art", []string{"a"}, nil)}, []string{"a"}},
		{"other articles and kinds ignored", []string{"a"}, []*op{
			rej("k1", "other", nil, []string{"a"}),
			{Key: "k2", Kind: opDelete, ID: "x", ArticleID: "art"},
		}, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Sorted(maps.Keys(rejectedView("art", tt.server, tt.ops)))
			if !slices.Equal(got, tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("rejectedView = %q, want %q", got, tt.want)
			}
		})
	}
}
