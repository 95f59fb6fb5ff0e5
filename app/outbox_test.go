package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// fakeAPI is an in-memory API whose failures a test can script. Methods a
// test does not need panic through the nil embedded interface.
type fakeAPI struct {
	API
	mu    sync.Mutex
	arts  map[string]*annotation.Article
	anns  map[string]*annotation.Annotation
	calls []string      // "PUT id If-Match", "DELETE id If-Match"
	fail  []error       // errors returned by the next calls, in order
	block chan struct{} // when set, PutAnnotation waits for it
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{arts: map[string]*annotation.Article{}, anns: map[string]*annotation.Annotation{}}
}

func (f *fakeAPI) GroupArticles(ctx context.Context, group string) ([]annotation.ArticleSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.nextErr(); err != nil {
		return nil, err
	}
	var out []annotation.ArticleSummary
	for _, a := range f.arts {
		if group != "" && a.GroupID != group {
			continue
		}
		var c annotation.Counts
		for _, x := range f.anns {
			if x.ArticleID == a.ID {
				c.Add(x.Kind, 1)
			}
		}
		out = append(out, a.Summary(c))
	}
	slices.SortFunc(out, func(a, b annotation.ArticleSummary) int { return b.Created.Compare(a.Created) })
	return out, nil
}

func (f *fakeAPI) Article(ctx context.Context, id string) (*annotation.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a := f.arts[id]; a != nil {
		cp := *a
		return &cp, nil
	}
	return nil, annotation.Errorf(annotation.NotFound, "No such article.")
}

func (f *fakeAPI) Annotations(ctx context.Context, id string) ([]*annotation.Annotation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*annotation.Annotation
	for _, a := range f.anns {
		if a.ArticleID == id {
			cp := *a
			out = append(out, &cp)
		}
	}
	return out, nil
}

func (f *fakeAPI) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	return &annotation.Results{Facets: annotation.Facets{Speaker: []annotation.FacetValue{{Value: "Zoë Müller", Count: 3}}}}, nil
}

func (f *fakeAPI) nextErr() error {
	if len(f.fail) == 0 {
		return nil
	}
	err := f.fail[0]
	f.fail = f.fail[1:]
	return err
}

func (f *fakeAPI) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) error {
	if f.block != nil {
		<-f.block
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, strings.TrimSpace("PUT "+a.ID+" "+ifMatch))
	if err := f.nextErr(); err != nil {
		return err
	}
	old := f.anns[a.ID]
	if ifMatch != "" && (old == nil || old.ETag() != ifMatch) {
		return annotation.Errorf(annotation.PreconditionFailed, "Changed elsewhere.")
	}
	cp := *a
	cp.Revision = 1
	if old != nil {
		cp.Revision = old.Revision + 1
	}
	f.anns[a.ID] = &cp
	*a = cp
	return nil
}

func (f *fakeAPI) DeleteAnnotation(ctx context.Context, id, ifMatch string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, strings.TrimSpace("DELETE "+id+" "+ifMatch))
	if err := f.nextErr(); err != nil {
		return err
	}
	old := f.anns[id]
	if old == nil {
		return annotation.Errorf(annotation.NotFound, "No such annotation.")
	}
	if ifMatch != "" && old.ETag() != ifMatch {
		return annotation.Errorf(annotation.PreconditionFailed, "Changed elsewhere.")
	}
	delete(f.anns, id)
	return nil
}

func (f *fakeAPI) Annotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if a := f.anns[id]; a != nil {
		cp := *a
		return &cp, nil
	}
	return nil, annotation.Errorf(annotation.NotFound, "No such annotation.")
}

func (f *fakeAPI) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

var errDown = errors.New("net/http: fetch() failed: Failed to fetch")

func ann(id, speaker string) *annotation.Annotation {
	return &annotation.Annotation{ID: id, ArticleID: "art", Kind: annotation.Claim, Speaker: speaker,
		Target: annotation.Target{Quote: annotation.Quote{Exact: "x"}, Position: annotation.Position{Start: 0, End: 1}}}
}

func TestOutbox(t *testing.T) {
	tests := []struct {
		name      string
		fail      []error
		script    func(o *outbox, ctx context.Context) error // returns Flush's last error
		wantCalls []string
		wantStore map[string]string // id → speaker on the server
		wantWait  int
	}{
		{
			name: "create then update sends If-Match of the stored revision",
			script: func(o *outbox, ctx context.Context) error {
				o.EnqueuePut(ann("a", "A"))
				if err := o.Flush(ctx); err != nil {
					return err
				}
				o.EnqueuePut(ann("a", "B"))
				return o.Flush(ctx)
			},
			wantCalls: []string{"PUT a", `PUT a "1"`},
			wantStore: map[string]string{"a": "B"},
		},
		{
			name: "fast edits of an unsent annotation make one request",
			script: func(o *outbox, ctx context.Context) error {
				o.EnqueuePut(ann("a", "A"))
				o.EnqueuePut(ann("a", "AB"))
				o.EnqueuePut(ann("a", "ABC"))
				return o.Flush(ctx)
			},
			wantCalls: []string{"PUT a"},
			wantStore: map[string]string{"a": "ABC"},
		},
		{
			name: "put then delete of a saved annotation sends the delete",
			script: func(o *outbox, ctx context.Context) error {
				o.EnqueuePut(ann("a", "A"))
				if err := o.Flush(ctx); err != nil {
					return err
				}
				o.EnqueueDelete(ann("a", ""))
				return o.Flush(ctx)
			},
			wantCalls: []string{"PUT a", `DELETE a "1"`},
			wantStore: map[string]string{},
		},
		{
			name: "delete before anything was sent sends nothing",
			script: func(o *outbox, ctx context.Context) error {
				o.EnqueuePut(ann("a", "A"))
				o.EnqueueDelete(ann("a", ""))
				return o.Flush(ctx)
			},
			wantCalls: nil,
			wantStore: map[string]string{},
		},
		{
			name: "delete then undo (put again) recreates it",
			script: func(o *outbox, ctx context.Context) error {
				o.EnqueuePut(ann("a", "A"))
				if err := o.Flush(ctx); err != nil {
					return err
				}
				o.EnqueueDelete(ann("a", ""))
				o.EnqueuePut(ann("a", "A"))
				return o.Flush(ctx)
			},
			wantCalls: []string{"PUT a", `DELETE a "1"`, "PUT a"},
			wantStore: map[string]string{"a": "A"},
		},
		{
			name: "an unreachable server keeps the change first in the queue",
			fail: []error{errDown},
			script: func(o *outbox, ctx context.Context) error {
				o.EnqueuePut(ann("a", "A"))
				o.EnqueuePut(ann("b", "B"))
				return o.Flush(ctx)
			},
			wantCalls: []string{"PUT a"},
			wantStore: map[string]string{},
			wantWait:  2,
		},
		{
			name: "after the failure, a retry sends everything in order",
			fail: []error{errDown, annotation.Errorf(annotation.Unavailable, "Busy.")},
			script: func(o *outbox, ctx context.Context) error {
				o.EnqueuePut(ann("a", "A"))
				o.EnqueuePut(ann("b", "B"))
				_ = o.Flush(ctx)
				_ = o.Flush(ctx)
				return o.Flush(ctx)
			},
			wantCalls: []string{"PUT a", "PUT a", "PUT a", "PUT b"},
			wantStore: map[string]string{"a": "A", "b": "B"},
		},
		{
			name: "a refusal drops the change and goes on",
			fail: []error{annotation.Errorf(annotation.Invalid, "The quote does not match.")},
			script: func(o *outbox, ctx context.Context) error {
				o.EnqueuePut(ann("a", "A"))
				o.EnqueuePut(ann("b", "B"))
				return o.Flush(ctx)
			},
			wantCalls: []string{"PUT a", "PUT b"},
			wantStore: map[string]string{"b": "B"},
		},
		{
			name: "a lost answer then 412 on retry counts as saved when the server holds the change",
			script: func(o *outbox, ctx context.Context) error {
				a := ann("a", "B")
				a.Revision = 1 // the page loaded revision 1
				o.EnqueuePut(a)
				return o.Flush(ctx)
			},
			wantCalls: []string{`PUT a "1"`},
			wantStore: map[string]string{"a": "B"},
		},
	}
	for _, batched := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("batched=%v/%s", batched, tt.name), func(t *testing.T) {
				api := newFakeAPI()
				if strings.HasPrefix(tt.name, "a lost answer") {
					// The server already stored revision 2 with speaker B; the
					// client still believes revision 1.
					api.anns["a"] = &annotation.Annotation{ID: "a", ArticleID: "art", Kind: annotation.Claim, Speaker: "B", Revision: 2,
						Target: annotation.Target{Quote: annotation.Quote{Exact: "x"}, Position: annotation.Position{Start: 0, End: 1}}}
				}
				api.fail = tt.fail
				o := newOutbox(withBatch(api, batched), outboxConfig{Timeout: 5 * time.Second})
				err := tt.script(o, context.Background())
				if got := api.log(); !slices.Equal(got, tt.wantCalls) {
					t.Errorf("requests %q, want %q", got, tt.wantCalls)
				}
				got := map[string]string{}
				for id, a := range api.anns {
					got[id] = a.Speaker
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.wantStore) {
					t.Errorf("the server holds %v, want %v", got, tt.wantStore)
				}
				if st := o.Status(); st.Waiting != tt.wantWait {
					t.Errorf("%d changes waiting, want %d (last error %v)", st.Waiting, tt.wantWait, err)
				}
				if tt.wantWait > 0 && (err == nil || !o.Status().Retrying || o.Status().LastErr != "The server is unreachable.") {
					t.Errorf("Flush = %v, status %+v; want the transient error reported", err, o.Status())
				}
			})
		}
	}
}

// TestOutboxEvents checks what listeners hear: a transient failure, then
// the save with the server's copy, then a refusal.
func TestOutboxEvents(t *testing.T) {
	api := newFakeAPI()
	api.fail = []error{errDown}
	o := newOutbox(api, outboxConfig{})
	var mu sync.Mutex
	var got []string
	cancel := o.Subscribe(func(ev outboxEvent) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case ev.Retry != nil:
			got = append(got, "retry "+ev.ID)
		case ev.Done && ev.Err != nil:
			got = append(got, "refused "+ev.ID+": "+errorText(ev.Err))
		case ev.Done:
			got = append(got, fmt.Sprintf("saved %s rev %d", ev.ID, ev.Saved.Revision))
		default:
			got = append(got, fmt.Sprintf("queued %s (%d waiting)", ev.ID, ev.Status.Waiting))
		}
	})
	o.EnqueuePut(ann("a", "A"))
	_ = o.Flush(context.Background())
	_ = o.Flush(context.Background())
	api.fail = []error{annotation.Errorf(annotation.TooLarge, "The note is too long.")}
	o.EnqueuePut(ann("a", "B"))
	_ = o.Flush(context.Background())
	cancel()
	o.EnqueuePut(ann("a", "C"))
	want := []string{"queued a (1 waiting)", "retry a", "saved a rev 1", "queued a (1 waiting)", "refused a: The note is too long."}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n got %q\nwant %q", got, want)
	}
}

// TestOutboxRun checks that Run sends what is enqueued without being asked
// and retries after a failure on its own.
func TestOutboxRun(t *testing.T) {
	api := newFakeAPI()
	api.fail = []error{errDown}
	o := newOutbox(api, outboxConfig{MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond})
	saved := make(chan string, 4)
	o.Subscribe(func(ev outboxEvent) {
		if ev.Done && ev.Err == nil {
			saved <- ev.Saved.Speaker
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go o.Run(ctx)
	o.EnqueuePut(ann("a", "A"))
	select {
	case s := <-saved:
		if s != "A" {
			t.Errorf("saved speaker %q, want A", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Run did not save the change after a failure; requests %q", api.log())
	}
	if got := api.log(); len(got) != 2 {
		t.Errorf("requests %q, want one failed and one retried PUT", got)
	}
}

func TestBackoff(t *testing.T) {
	o := newOutbox(newFakeAPI(), outboxConfig{})
	want := []time.Duration{time.Second, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for n, w := range want {
		if got := o.backoff(n); got != w {
			t.Errorf("backoff(%d) = %v, want %v", n, got, w)
		}
	}
}

// brokenQueueDevice is a device whose stored queue cannot be read.
type brokenQueueDevice struct{ *memDevice }

func (brokenQueueDevice) LoadOps() ([]*op, error) { return nil, errors.New("the database is corrupt") }

// TestOutboxOpsAfterAFailedLoad checks that when the device's queue cannot
// be read, Ops answers at once (it waited 5 s for a load that would never
// come, holding every page that lists annotations) and the status says
// why instead of "checking this device".
func TestOutboxOpsAfterAFailedLoad(t *testing.T) {
	o := newOutbox(newFakeAPI(), outboxConfig{Device: brokenQueueDevice{newMemDevice()}, Stored: true})
	if err := o.Load(); err == nil {
		t.Fatal("Load succeeded on a device that cannot read its queue")
	}
	done := make(chan []*op, 1)
	go func() { done <- o.Ops("") }()
	select {
	case ops := <-done:
		if len(ops) != 0 {
			t.Errorf("Ops = %d operations, want none", len(ops))
		}
	case <-time.After(4 * time.Second): // a guard well under the old 5 s wait, not a timing assertion
		t.Fatal("Ops still waits for a load that failed")
	}
	st := o.Status()
	if st.Loading || !strings.Contains(st.LastErr, "corrupt") {
		t.Errorf("status = %+v, want not loading and the device's error", st)
	}
}
