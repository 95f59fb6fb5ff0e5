package app

import (
	"context"
	"slices"
	"sync"
	"time"

	"claimmark/annotation"
)

// The outbox holds the annotation changes the server has not yet
// acknowledged and sends them in order, retrying with back-off while the
// server cannot be reached. The page changes first and tells the outbox;
// it never waits for the network. Ids are made by the client and PUT is
// idempotent, so sending an operation twice is harmless.
//
// For now the queue lives in memory (a reload loses what is unsent); the
// offline issue makes it durable by putting a store behind Enqueue and the
// start of Run, without changing its callers.

// opKind is what an outbox operation does.
type opKind int

const (
	opPut opKind = iota
	opDelete
)

// op is one queued change of one annotation.
type op struct {
	Kind opKind
	ID   string
	Ann  annotation.Annotation // the annotation to store (opPut)
	sent bool                  // at least one attempt reached the wire
}

// outboxEvent tells listeners what happened to an operation and how the
// queue stands.
type outboxEvent struct {
	Kind opKind
	ID   string
	// Saved is the server's copy after a successful put.
	Saved *annotation.Annotation
	// Err is the final error of a dropped operation (nil on success);
	// Retry the transient error of an operation that stays queued.
	Err, Retry error
	// Done reports that the operation left the queue (success or final
	// failure).
	Done   bool
	Status outboxStatus
}

// outboxStatus summarises the queue for the sync indicator.
type outboxStatus struct {
	Waiting  int    // operations not yet acknowledged
	Retrying bool   // the last attempt failed and a retry is scheduled
	LastErr  string // why the last attempt failed, in words
}

// outboxConfig tunes the retry policy; zero values mean the defaults.
type outboxConfig struct {
	MinBackoff, MaxBackoff time.Duration // default 1 s and 30 s
	Timeout                time.Duration // per request; default requestTimeout
	// Settle is how long Run waits after being woken before it sends, so
	// that the page paints the change first and bursts go out together.
	Settle time.Duration
}

// outbox is a queue of annotation changes sent to an API in order. It is
// safe for concurrent use; listeners are called without its lock held, from
// the goroutine that sent the operation.
type outbox struct {
	api API
	cfg outboxConfig

	mu        sync.Mutex
	queue     []*op          // guarded by mu; queue[0] may be in flight
	inflight  bool           // guarded by mu: queue[0] is being sent
	rev       map[string]int // guarded by mu: last revision known to be on the server (0: none)
	failures  int            // guarded by mu: consecutive failed attempts
	lastErr   string         // guarded by mu
	listeners map[int]func(outboxEvent)
	nextID    int
	wake      chan struct{}
}

// newOutbox returns an empty outbox sending to api.
func newOutbox(api API, cfg outboxConfig) *outbox {
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 30 * time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = requestTimeout
	}
	return &outbox{
		api:       api,
		cfg:       cfg,
		rev:       map[string]int{},
		listeners: map[int]func(outboxEvent){},
		wake:      make(chan struct{}, 1),
	}
}

// Known records that the server holds annotation id at revision rev, as
// loaded from it; later puts send If-Match with it.
func (o *outbox) Known(id string, rev int) {
	o.mu.Lock()
	o.rev[id] = rev
	o.mu.Unlock()
}

// Subscribe calls fn with every event until the returned cancel is called.
func (o *outbox) Subscribe(fn func(outboxEvent)) (cancel func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	id := o.nextID
	o.nextID++
	o.listeners[id] = fn
	return func() {
		o.mu.Lock()
		delete(o.listeners, id)
		o.mu.Unlock()
	}
}

// Status returns the state of the queue.
func (o *outbox) Status() outboxStatus {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.statusLocked()
}

func (o *outbox) statusLocked() outboxStatus {
	return outboxStatus{Waiting: len(o.queue), Retrying: o.failures > 0, LastErr: o.lastErr}
}

// Pending reports whether a change of annotation id is waiting.
func (o *outbox) Pending(id string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.ContainsFunc(o.queue, func(p *op) bool { return p.ID == id })
}

// EnqueuePut queues storing a copy of a. A queued put of the same
// annotation not yet sent is replaced, so fast edits make one request.
func (o *outbox) EnqueuePut(a *annotation.Annotation) {
	o.mu.Lock()
	if n := len(o.queue); n > 0 {
		last := o.lastOpLocked(a.ID)
		if last != nil && last.Kind == opPut && !(o.inflight && last == o.queue[0]) {
			last.Ann = *a
			last.Ann.Tags = slices.Clone(a.Tags)
			o.mu.Unlock()
			o.kick()
			return
		}
	}
	p := &op{Kind: opPut, ID: a.ID, Ann: *a}
	p.Ann.Tags = slices.Clone(a.Tags)
	o.queue = append(o.queue, p)
	st := o.statusLocked()
	o.mu.Unlock()
	o.emit(outboxEvent{Kind: opPut, ID: a.ID, Status: st})
	o.kick()
}

// EnqueueDelete queues deleting annotation id. Queued puts of it that were
// never sent are dropped; if the server never saw the annotation at all,
// nothing needs sending.
func (o *outbox) EnqueueDelete(id string) {
	o.mu.Lock()
	everSent := o.rev[id] > 0
	kept := o.queue[:0]
	for i, p := range o.queue {
		if p.ID == id && (p.sent || (i == 0 && o.inflight)) {
			everSent = true
		}
		if p.ID == id && p.Kind == opPut && !(i == 0 && o.inflight) {
			continue
		}
		kept = append(kept, p)
	}
	clear(o.queue[len(kept):])
	o.queue = kept
	if everSent || slices.ContainsFunc(o.queue, func(p *op) bool { return p.ID == id }) {
		o.queue = append(o.queue, &op{Kind: opDelete, ID: id})
	}
	st := o.statusLocked()
	o.mu.Unlock()
	o.emit(outboxEvent{Kind: opDelete, ID: id, Done: !everSent, Status: st})
	o.kick()
}

func (o *outbox) lastOpLocked(id string) *op {
	for i := len(o.queue) - 1; i >= 0; i-- {
		if o.queue[i].ID == id {
			return o.queue[i]
		}
	}
	return nil
}

// kick wakes Run.
func (o *outbox) kick() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// emit calls every listener with ev.
func (o *outbox) emit(ev outboxEvent) {
	o.mu.Lock()
	fns := make([]func(outboxEvent), 0, len(o.listeners))
	for _, fn := range o.listeners {
		fns = append(fns, fn)
	}
	o.mu.Unlock()
	for _, fn := range fns {
		fn(ev)
	}
}

// Flush sends queued operations in order until the queue is empty or an
// attempt fails with an error worth retrying, which it returns (the
// operation stays first in the queue). Operations refused by the server are
// dropped and reported to listeners with Err.
func (o *outbox) Flush(ctx context.Context) error {
	for {
		o.mu.Lock()
		if len(o.queue) == 0 || o.inflight {
			o.mu.Unlock()
			return nil
		}
		p := o.queue[0]
		o.inflight = true
		p.sent = true
		ifMatch := ""
		if r := o.rev[p.ID]; r > 0 {
			ifMatch = annotation.ETag(r)
		}
		ann := p.Ann
		ann.ID = p.ID
		ann.Tags = slices.Clone(p.Ann.Tags)
		o.mu.Unlock()

		saved, err := o.send(ctx, p.Kind, &ann, ifMatch)

		o.mu.Lock()
		o.inflight = false
		if err != nil && retryable(err) {
			o.failures++
			o.lastErr = errorText(err)
			st := o.statusLocked()
			o.mu.Unlock()
			o.emit(outboxEvent{Kind: p.Kind, ID: p.ID, Retry: err, Status: st})
			return err
		}
		o.failures, o.lastErr = 0, ""
		o.queue = slices.Delete(o.queue, 0, 1)
		switch {
		case err != nil:
		case p.Kind == opPut:
			o.rev[p.ID] = saved.Revision
		default:
			delete(o.rev, p.ID)
		}
		st := o.statusLocked()
		o.mu.Unlock()
		o.emit(outboxEvent{Kind: p.Kind, ID: p.ID, Saved: saved, Err: err, Done: true, Status: st})
	}
}

// send makes one request. A put refused with 412 is checked against the
// server's copy: when that copy already holds exactly this change (an
// earlier attempt was stored but its answer lost), it counts as saved.
func (o *outbox) send(ctx context.Context, kind opKind, a *annotation.Annotation, ifMatch string) (*annotation.Annotation, error) {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	if kind == opDelete {
		err := o.api.DeleteAnnotation(ctx, a.ID, ifMatch)
		if annotation.ErrorCode(err) == annotation.NotFound {
			err = nil // already gone: that is what we wanted
		}
		return nil, err
	}
	err := o.api.PutAnnotation(ctx, a, ifMatch)
	if annotation.ErrorCode(err) == annotation.PreconditionFailed {
		if cur, gerr := o.api.Annotation(ctx, a.ID); gerr == nil && sameContent(cur, a) {
			return cur, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// sameContent reports whether a and b say the same thing about the same
// passage, whatever their revisions and timestamps.
func sameContent(a, b *annotation.Annotation) bool {
	return a.ID == b.ID && a.ArticleID == b.ArticleID && a.Kind == b.Kind &&
		a.Target.Position == b.Target.Position && a.Target.Quote.Exact == b.Target.Quote.Exact &&
		a.Speaker == b.Speaker && a.Note == b.Note && slices.Equal(a.Tags, b.Tags)
}

// backoff returns how long to wait after n consecutive failures: doubling
// from MinBackoff up to MaxBackoff.
func (o *outbox) backoff(n int) time.Duration {
	d := o.cfg.MinBackoff
	for i := 1; i < n && d < o.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, o.cfg.MaxBackoff)
}

// Retry asks Run to try again now instead of waiting out the back-off.
func (o *outbox) Retry() { o.kick() }

// Run flushes the queue whenever something is enqueued, and after a
// failure again after the back-off (or at once on Retry), until ctx ends.
func (o *outbox) Run(ctx context.Context) {
	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-o.wake:
		case <-timer:
		}
		timer = nil
		if o.cfg.Settle > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(o.cfg.Settle):
			}
		}
		if err := o.Flush(ctx); err != nil {
			o.mu.Lock()
			n := o.failures
			o.mu.Unlock()
			timer = time.After(o.backoff(n))
		}
	}
}
