package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// The outbox holds the annotation changes the server has not yet
// acknowledged and sends them in order, retrying with back-off while the
// server cannot be reached. The page changes first and tells the outbox;
// it never waits for the network. Ids are made by the client and PUT is
// idempotent, so sending an operation twice is harmless.
//
// The queue is durable: every operation is written to the device store
// (IndexedDB in the browser) before it can be sent, so it survives reloads
// and browser restarts. The device store is the source of truth shared by
// the tabs of the browser; each tab keeps a copy of the queue in memory for
// the page. Only the holder of a lock (navigator.locks in the browser)
// sends, and it reads the queue from the store first; an operation leaves
// the store only once acknowledged, and only if no later edit replaced it
// meanwhile (its generation is unchanged). So two tabs never send the same
// change twice, and an edit made while its predecessor is on the wire is
// sent after it.
//
// Each operation carries the revision of the server's copy it was made on
// (Base) and sends it as If-Match. A refusal with 412 is checked against
// the server's copy: the same content means an earlier attempt was stored
// (its answer lost), anything else is a conflict, kept for a person to
// resolve; nothing is overwritten silently.

// opKind is what an outbox operation does. The string values are kept on
// devices (IndexedDB); do not rename them. Queues written before they were
// strings hold 0 for put and 1 for delete: see decodeOp.
type opKind string

const (
	opPut    opKind = "put"
	opDelete opKind = "delete"
)

// op is one queued change of one annotation, as stored on the device.
type op struct {
	// Key orders the queue across tabs: the time it was queued (ms, zero
	// padded), the tab and a counter.
	Key       string                 `json:"key"`
	Kind      opKind                 `json:"kind"`
	ID        string                 `json:"id"`
	ArticleID string                 `json:"articleId"`
	Ann       *annotation.Annotation `json:"ann,omitempty"` // the annotation to store (opPut)
	// Base is the server revision the change was made on, sent as
	// If-Match; 0 sends none (a new annotation, or one deleted meanwhile).
	Base int `json:"base,omitempty"`
	// Gen grows each time a later edit replaces the operation.
	Gen int `json:"gen"`
	// Tab is the tab that queued it; only that tab merges edits into it.
	Tab string `json:"tab,omitempty"`
	// Sent reports that an attempt may have reached the server.
	Sent bool `json:"sent,omitempty"`

	// Into is the speaker that speaker ID is merged into (opMergeSpeaker),
	// and FromName and IntoName their names when queued, for notices
	// (outbox_speakers.go).
	Into     string `json:"into,omitempty"`
	FromName string `json:"fromName,omitempty"`
	IntoName string `json:"intoName,omitempty"`
	// Speaker is the speaker to store (opPutSpeaker), made on Base.
	Speaker *annotation.Speaker `json:"speaker,omitempty"`
	// Rejected and Restored are the suggestion keys an opRejections adds
	// to and removes from the article's rejected ones
	// (outbox_rejections.go).
	Rejected []string `json:"rejected,omitempty"`
	Restored []string `json:"restored,omitempty"`
}

// clone returns a deep copy of p.
func (p *op) clone() *op {
	cp := *p
	if p.Ann != nil {
		cp.Ann = p.Ann.Clone()
	}
	if p.Speaker != nil {
		sp := *p.Speaker
		sp.Aliases = slices.Clone(p.Speaker.Aliases)
		cp.Speaker = &sp
	}
	cp.Rejected, cp.Restored = slices.Clone(p.Rejected), slices.Clone(p.Restored)
	return &cp
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
	// Conflict is set when the server holds another version: the
	// operation (and later ones of the same annotation) left the queue and
	// wait in Conflict for a person's choice.
	Conflict *conflict
	// Done reports that the operation left the queue.
	Done bool
	// Reloaded reports that the queue was read again from the device
	// (another tab changed it): any page state may be out of date.
	Reloaded bool
	// Notice says, in words, how a speaker change was resolved when the
	// server no longer held what it was made on (outbox_speakers.go).
	Notice string
	Status outboxStatus
}

// outboxStatus summarises the queue for the sync indicator.
type outboxStatus struct {
	Waiting   int    // operations not yet acknowledged
	Retrying  bool   // the last attempt failed and a retry is scheduled
	LastErr   string // why the last attempt failed, in words
	Offline   bool   // the browser or the last request says the server is out of reach
	Conflicts int    // conflicts waiting for a decision
	Loading   bool   // the stored queue has not been read yet
	// SignedOut reports that the server refused the changes because the
	// session ended (401): the queue waits until the user signs in again.
	SignedOut bool
}

// outboxConfig tunes the outbox; zero values mean the defaults.
type outboxConfig struct {
	MinBackoff, MaxBackoff time.Duration // default 1 s and 30 s
	Timeout                time.Duration // per request; default requestTimeout
	// Settle is how long Run waits after being woken before it sends, so
	// that the page paints the change first and bursts go out together.
	Settle time.Duration
	// Device keeps the queue; nil means a new memDevice.
	Device device
	// Lock serialises senders across tabs; nil means one in memory.
	Lock locker
	// Notify, if set, is called after this tab changed the stored queue or
	// conflicts, to tell other tabs (which then call Changed), with whether
	// this tab last reached the server.
	Notify func(online bool)
	// Tab names this tab in the keys of its operations; empty means random.
	Tab string
	// Stored says that the device may hold a queue from an earlier visit:
	// the status says Loading until Load (or a flush) has read it.
	Stored bool
}

// locker runs fn while holding a lock shared by every tab of the origin.
type locker interface {
	Do(ctx context.Context, fn func()) error
}

// memLock is a locker within one process.
type memLock struct{ ch chan struct{} }

func newMemLock() *memLock { return &memLock{ch: make(chan struct{}, 1)} }

// Do implements locker.
func (l *memLock) Do(ctx context.Context, fn func()) error {
	select {
	case l.ch <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.ch }()
	fn()
	return nil
}

// outbox is a durable queue of annotation changes sent to an API in order.
// It is safe for concurrent use; listeners are called without its lock
// held, from the goroutine that made the change.
type outbox struct {
	api  API
	cfg  outboxConfig
	dev  device
	lock locker
	tab  string

	mu        sync.Mutex
	queue     []*op          // guarded by mu; in key order
	conflicts []*conflict    // guarded by mu
	ownRev    map[string]int // guarded by mu: revision our last acknowledged put produced
	localGen  int            // guarded by mu: grows with every change of queue made here
	failures  int            // guarded by mu: consecutive failed attempts
	lastErr   string         // guarded by mu
	storeErr  string         // guarded by mu: the device store failed
	offline   bool           // guarded by mu
	signedOut bool           // guarded by mu: paused until the user signs in again
	loaded    bool           // guarded by mu: the stored queue was read, or reading it failed
	loadedCh  chan struct{}  // closed once the stored queue was read, or reading it failed
	lastKey   int64          // guarded by mu
	counter   int            // guarded by mu
	listeners map[int]func(outboxEvent)
	nextID    int
	wake      chan struct{}
	tasks     chan func() // device writes, in order
	// durable reports that the device keeps the queue across reloads
	// (IndexedDB opened); without it, leaving the page loses it.
	durable atomic.Bool
	// noBatch reports that the server answered that it has no batches.
	noBatch atomic.Bool
	// now asks Run to skip the next Settle (kickNow).
	now atomic.Bool
}

// newOutbox returns an outbox sending to api, with an empty queue in
// memory; call Load to read the stored one.
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
	if cfg.Device == nil {
		cfg.Device = newMemDevice()
	}
	if cfg.Lock == nil {
		cfg.Lock = newMemLock()
	}
	if cfg.Tab == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		cfg.Tab = hex.EncodeToString(b[:])
	}
	o := &outbox{
		api:       api,
		cfg:       cfg,
		dev:       cfg.Device,
		lock:      cfg.Lock,
		tab:       cfg.Tab,
		ownRev:    map[string]int{},
		listeners: map[int]func(outboxEvent){},
		wake:      make(chan struct{}, 1),
		tasks:     make(chan func(), 1024),
		loadedCh:  make(chan struct{}),
	}
	go o.writer()
	return o
}

// writer runs the device tasks in order.
func (o *outbox) writer() {
	for fn := range o.tasks {
		fn()
	}
}

// call runs fn on the writer, after every write queued before, and waits.
func (o *outbox) call(fn func()) {
	done := make(chan struct{})
	o.tasks <- func() { fn(); close(done) }
	<-done
}

// persist queues a write of p (or its removal when remove) without waiting.
func (o *outbox) persist(p *op, remove bool) {
	p = p.clone()
	o.tasks <- func() {
		var err error
		if remove {
			_, err = o.dev.SwapOp(p.Key, p.Gen, nil)
		} else {
			err = o.dev.PutOp(p)
		}
		o.stored(err)
	}
}

// stored records the outcome of a device write and tells other tabs.
func (o *outbox) stored(err error) {
	o.mu.Lock()
	if err != nil {
		o.storeErr = "This device could not keep the change (" + err.Error() + "); it is kept in this tab only."
	} else {
		o.storeErr = ""
	}
	online := !o.offline
	o.mu.Unlock()
	if err == nil && o.cfg.Notify != nil {
		o.cfg.Notify(online)
	}
}

// Load reads the stored queue and conflicts into memory (at start, and
// when another tab changed them) and tells listeners.
func (o *outbox) Load() error {
	if err := o.reload(); err != nil {
		return err
	}
	o.emit(outboxEvent{Reloaded: true, Status: o.Status()})
	return nil
}

// Changed is called when another tab changed the stored queue, with
// whether that tab last reached the server: it reads the queue again and
// wakes Run, which sends what is left if that tab cannot.
func (o *outbox) Changed(online bool) {
	go func() {
		_ = o.Load()
		o.SetOnline(online)
		o.kick()
	}()
}

// reload replaces the queue in memory with the stored one. Changes made
// here while it reads are written before it reads again.
func (o *outbox) reload() error {
	for {
		o.mu.Lock()
		g := o.localGen
		o.mu.Unlock()
		var ops []*op
		var cs []*conflict
		var err error
		o.call(func() {
			if ops, err = o.dev.LoadOps(); err == nil {
				cs, err = o.dev.Conflicts()
			}
		})
		if err != nil {
			o.mu.Lock()
			o.storeErr = "Could not read the changes kept on this device: " + err.Error()
			if !o.loaded {
				// Nothing more will be read: Ops must not wait for it
				// (it would hold every page that lists annotations for
				// 5 s), and the status shows storeErr, not "checking".
				o.loaded = true
				close(o.loadedCh)
			}
			o.mu.Unlock()
			return err
		}
		o.mu.Lock()
		if o.localGen != g {
			o.mu.Unlock()
			continue
		}
		o.queue, o.conflicts = ops, cs
		if !o.loaded {
			o.loaded = true
			close(o.loadedCh)
		}
		o.mu.Unlock()
		return nil
	}
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
	st := outboxStatus{Waiting: len(o.queue), Retrying: o.failures > 0, LastErr: o.lastErr, Offline: o.offline, Conflicts: len(o.conflicts),
		Loading: o.cfg.Stored && !o.loaded, SignedOut: o.signedOut}
	if o.storeErr != "" {
		st.LastErr = o.storeErr
	}
	return st
}

// SetOnline records what the browser says (window online/offline events)
// or what a request showed; coming back online wakes Run at once.
func (o *outbox) SetOnline(online bool) {
	o.mu.Lock()
	changed := o.offline == online
	o.offline = !online
	if changed && online {
		o.failures = 0
	}
	st := o.statusLocked()
	o.mu.Unlock()
	if changed {
		o.emit(outboxEvent{Status: st})
		if online {
			o.kick()
		}
	}
}

// Pending reports whether a change of annotation id is waiting.
func (o *outbox) Pending(id string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.ContainsFunc(o.queue, func(p *op) bool { return p.ID == id })
}

// Ops returns copies of the queued operations of an article (of every
// article when articleID is empty), in order. When the device may hold a
// queue from an earlier visit (Stored), it first waits, a few seconds at
// most, until that queue is read: do not call it from an event handler.
func (o *outbox) Ops(articleID string) []*op {
	if o.cfg.Stored {
		select {
		case <-o.loadedCh:
		case <-time.After(5 * time.Second):
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []*op
	for _, p := range o.queue {
		if articleID == "" || p.ArticleID == articleID {
			out = append(out, p.clone())
		}
	}
	return out
}

// Conflicts returns the conflicts of an article (of every article when
// articleID is empty).
func (o *outbox) Conflicts(articleID string) []*conflict {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []*conflict
	for _, c := range o.conflicts {
		if articleID == "" || c.ArticleID == articleID {
			cp := *c
			out = append(out, &cp)
		}
	}
	return out
}

// nextKeyLocked returns the key of a new operation: increasing within the
// tab, ordered by time across tabs.
func (o *outbox) nextKeyLocked() string {
	now := max(time.Now().UnixMilli(), o.lastKey)
	o.lastKey = now
	o.counter++
	return fmt.Sprintf("%013d-%s-%08d", now, o.tab, o.counter)
}

// baseLocked returns the If-Match revision for a new change of id that the
// page made on revision rev: the base of a change of id still queued
// (they are rebased together), else rev, else the revision our own last
// put produced.
func (o *outbox) baseLocked(id string, rev int) int {
	if last := o.lastOpLocked(id); last != nil {
		return last.Base
	}
	if rev > 0 {
		return rev
	}
	return o.ownRev[id]
}

// EnqueuePut queues storing a copy of a, made on a.Revision. The last
// queued put of the same annotation made in this tab is replaced instead,
// so edits made while offline (or typed fast) make one request.
func (o *outbox) EnqueuePut(a *annotation.Annotation) {
	cp := a.Clone()
	o.mu.Lock()
	o.localGen++
	if last := o.lastOpLocked(a.ID); last != nil && last.Kind == opPut && last.Tab == o.tab {
		last.Ann = cp
		last.Gen++
		snap := last.clone()
		st := o.statusLocked()
		o.mu.Unlock()
		o.persist(snap, false)
		o.emit(outboxEvent{Kind: opPut, ID: a.ID, Status: st})
		o.kick()
		return
	}
	p := &op{Key: o.nextKeyLocked(), Kind: opPut, ID: a.ID, ArticleID: a.ArticleID, Ann: cp, Base: o.baseLocked(a.ID, a.Revision), Tab: o.tab}
	o.queue = append(o.queue, p)
	snap := p.clone()
	st := o.statusLocked()
	o.mu.Unlock()
	o.persist(snap, false)
	o.emit(outboxEvent{Kind: opPut, ID: a.ID, Status: st})
	o.kick()
}

// EnqueueDelete queues deleting annotation a (made on a.Revision). Queued
// puts of it made in this tab and never sent are dropped; if the server
// never saw the annotation at all, nothing needs sending.
func (o *outbox) EnqueueDelete(a *annotation.Annotation) {
	id := a.ID
	o.mu.Lock()
	o.localGen++
	base := o.baseLocked(id, a.Revision)
	everSent := base > 0
	var dropped []*op
	kept := o.queue[:0]
	for _, p := range o.queue {
		if p.ID == id && p.Sent {
			everSent = true
		}
		if p.ID == id && p.Kind == opPut && !p.Sent && p.Tab == o.tab {
			dropped = append(dropped, p.clone())
			continue
		}
		kept = append(kept, p)
	}
	clear(o.queue[len(kept):])
	o.queue = kept
	var p *op
	if everSent || slices.ContainsFunc(o.queue, func(p *op) bool { return p.ID == id }) {
		p = &op{Key: o.nextKeyLocked(), Kind: opDelete, ID: id, ArticleID: a.ArticleID, Base: base, Tab: o.tab}
		o.queue = append(o.queue, p)
		p = p.clone()
	}
	st := o.statusLocked()
	o.mu.Unlock()
	for _, d := range dropped {
		o.persist(d, true)
	}
	if p != nil {
		o.persist(p, false)
	}
	o.emit(outboxEvent{Kind: opDelete, ID: id, Done: p == nil, Status: st})
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

func (o *outbox) indexLocked(key string) int {
	return slices.IndexFunc(o.queue, func(p *op) bool { return p.Key == key })
}

// kickNow wakes Run, which then sends without waiting Settle: for what
// an earlier visit left, which the page has nothing to paint before.
func (o *outbox) kickNow() {
	o.now.Store(true)
	o.kick()
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

// Flush takes the lock, reads the stored queue and sends it in order until
// it is empty or an attempt fails with an error worth retrying, which it
// returns (the operation stays first in the queue). Operations refused by
// the server are dropped and reported to listeners with Err; conflicts are
// kept and reported with Conflict.
func (o *outbox) Flush(ctx context.Context) error {
	var err error
	if lerr := o.lock.Do(ctx, func() {
		err = o.flushLocked(ctx)
		o.call(func() {}) // every removal is stored before another tab may look
	}); lerr != nil {
		return lerr
	}
	return err
}

func (o *outbox) flushLocked(ctx context.Context) error {
	if err := o.reload(); err != nil {
		return err
	}
	o.mu.Lock()
	paused := o.signedOut
	o.mu.Unlock()
	if paused {
		return errSignedOut
	}
	single := false // this flush sends one operation a request
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		o.mu.Lock()
		if len(o.queue) == 0 {
			o.mu.Unlock()
			return nil
		}
		chunk, marked := o.takeLocked(o.chunkLimit(single))
		o.mu.Unlock()
		if len(marked) > 0 {
			// Recorded for a later delete (which must then be sent too),
			// in one transaction, without waiting: the request goes out
			// meanwhile. If another tab changed an operation, its swap
			// does nothing and the removal after the answer keeps the
			// newer version, sent next.
			w := &pendingWrites{}
			for _, snap := range marked {
				w.Swaps = append(w.Swaps, opSwap{Key: snap.Key, Gen: snap.Gen, Next: snap})
			}
			o.commit(w, false)
		}
		outs, fallback := o.sendChunk(ctx, chunk)
		single = single || fallback
		w := &pendingWrites{}
		var err error
		for i, out := range outs {
			if err = o.settleOp(chunk[i], out, w); err != nil {
				break
			}
		}
		o.commit(w, true)
		if err != nil {
			return err
		}
	}
}

// pendingWrites are the device writes that the answers to one request
// call for, made together by commit.
type pendingWrites struct {
	deviceWrites
	// more are made after, one transaction each (speaker changes, which
	// go alone).
	more []func() error
}

// commit queues w on the writer without waiting: one transaction for the
// whole of w.deviceWrites, then w.more. report says whether to record the
// outcome (stored) even when it succeeds, telling other tabs.
func (o *outbox) commit(w *pendingWrites, report bool) {
	if w.empty() && len(w.more) == 0 {
		return
	}
	o.tasks <- func() {
		err := o.dev.Apply(&w.deviceWrites)
		for _, fn := range w.more {
			if e := fn(); e != nil && err == nil {
				err = e
			}
		}
		if report || err != nil {
			o.stored(err)
		}
	}
}

// takeLocked marks the first operations of the queue sent, at most n and
// no two of the same annotation (a later one is made on the revision the
// earlier one produces, known only from its answer), and returns copies of
// them and of those not marked before.
func (o *outbox) takeLocked(n int) (chunk, marked []*op) {
	ids := map[string]bool{}
	size := 0
	for _, p := range o.queue {
		if len(chunk) == n || ids[p.ID] || len(chunk) > 0 && size+p.approxSize() > maxBatchBytes ||
			len(chunk) > 0 && (p.Kind.alone() || chunk[0].Kind.alone()) {
			break // a speaker change goes alone: batches carry annotations
		}
		ids[p.ID] = true
		size += p.approxSize()
		if !p.Sent {
			p.Sent = true
			marked = append(marked, p.clone())
		}
		chunk = append(chunk, p.clone())
	}
	o.localGen++
	return chunk, marked
}

// outcome is the server's answer to one operation, as send returns it.
type outcome struct {
	saved, theirs *annotation.Annotation
	err           error
	// speaker is the server's copy of the speaker a speaker change left,
	// and notice what to tell about it (sendSpeaker).
	speaker *annotation.Speaker
	notice  string
}

// settleOp applies the outcome of sending snap to the queue and the
// listeners, and adds to w the device writes it calls for (the caller
// commits them; should the page close first, the operation is sent
// again, which the server takes as the same change). It returns the error
// when it is worth retrying: the operation stays first in the queue, and
// nothing is added to w.
func (o *outbox) settleOp(snap *op, out outcome, w *pendingWrites) error {
	saved, theirs, err := out.saved, out.theirs, out.err
	conflicted := annotation.ErrorCode(err) == annotation.PreconditionFailed

	o.mu.Lock()
	if client.IsUnauthorized(err) {
		// The session ended: the operation stays first and the queue
		// waits until the user signs in again (SignedOut).
		o.signedOut, o.lastErr, o.offline = true, "", false
		st := o.statusLocked()
		o.mu.Unlock()
		o.emit(outboxEvent{Kind: snap.Kind, ID: snap.ID, Retry: err, Status: st})
		return errSignedOut
	}
	if err != nil && !conflicted && retryable(err) {
		o.failures++
		o.lastErr = errorText(err)
		o.offline = !isServerAnswer(err)
		st := o.statusLocked()
		o.mu.Unlock()
		o.emit(outboxEvent{Kind: snap.Kind, ID: snap.ID, Retry: err, Status: st})
		return err
	}
	o.failures, o.lastErr, o.offline = 0, "", false
	o.localGen++
	var removed []*op
	if i := o.indexLocked(snap.Key); i >= 0 && o.queue[i].Gen == snap.Gen {
		o.queue = slices.Delete(o.queue, i, i+1)
	}
	w.Swaps = append(w.Swaps, opSwap{Key: snap.Key, Gen: snap.Gen})
	var c *conflict
	switch {
	case conflicted:
		c = &conflict{ID: snap.ID, ArticleID: snap.ArticleID, Mine: snap.Ann, Theirs: theirs, At: time.Now().UTC()}
		// Later changes of the annotation were made on the same
		// revision: they join the conflict (the last one is mine).
		kept := o.queue[:0]
		for _, p := range o.queue {
			if p.ID != snap.ID {
				kept = append(kept, p)
				continue
			}
			c.Mine = nil
			if p.Kind == opPut {
				c.Mine = p.Ann
			}
			removed = append(removed, p.clone())
		}
		clear(o.queue[len(kept):])
		o.queue = kept
		o.conflicts = slices.DeleteFunc(o.conflicts, func(x *conflict) bool { return x.ID == c.ID })
		o.conflicts = append(o.conflicts, c)
		cc := *c
		w.Conflicts = append(w.Conflicts, &cc)
		err = nil
	case err != nil: // refused: dropped
	case snap.Kind.speaker():
		w.more = append(w.more, speakerSettled(o.dev, snap, out.speaker)...)
	case snap.Kind == opRejections: // the page's copy changed when it was queued
	case snap.Kind == opPut:
		o.ownRev[snap.ID] = saved.Revision
		w.Anns = append(w.Anns, annWrite{Put: saved.Clone()})
		w.Swaps = append(w.Swaps, o.rebaseLocked(snap.ID, snap.Base, saved.Revision)...)
	default:
		delete(o.ownRev, snap.ID)
		w.Anns = append(w.Anns, annWrite{Delete: snap.ID})
		w.Swaps = append(w.Swaps, o.rebaseLocked(snap.ID, snap.Base, 0)...)
	}
	for _, p := range removed {
		w.Swaps = append(w.Swaps, opSwap{Key: p.Key, Gen: p.Gen})
	}
	st := o.statusLocked()
	o.mu.Unlock()
	o.emit(outboxEvent{Kind: snap.Kind, ID: snap.ID, Saved: saved, Err: err, Conflict: c, Done: true, Notice: out.notice, Status: st})
	return nil
}

// rebaseLocked moves the queued changes of id made on revision from to
// revision to (our own change was stored meanwhile) and returns the
// swaps that store them.
func (o *outbox) rebaseLocked(id string, from, to int) []opSwap {
	var swaps []opSwap
	for _, p := range o.queue {
		if p.ID == id && p.Base == from && from != to {
			p.Base = to
			snap := p.clone()
			swaps = append(swaps, opSwap{Key: snap.Key, Gen: snap.Gen, Next: snap})
		}
	}
	return swaps
}

// isServerAnswer reports whether err came from the server (it answered).
func isServerAnswer(err error) bool {
	var e *annotation.Error
	return errors.As(err, &e) && !errors.Is(err, client.ErrUnreachable)
}

// send makes one request for p. A put refused with 412 is checked against
// the server's copy: when that copy already holds exactly this change (an
// earlier attempt was stored but its answer lost), it counts as saved;
// otherwise the 412 error is returned with the server's copy (nil when the
// annotation is gone there). A delete refused with 412 returns the
// server's copy the same way; a delete of something already gone succeeds.
func (o *outbox) send(ctx context.Context, p *op) (saved, theirs *annotation.Annotation, err error) {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	if p.Kind == opDelete {
		return o.settle(ctx, p, nil, nil, o.api.DeleteAnnotation(ctx, p.ID, p.ifMatch()))
	}
	a := p.body()
	err = o.api.PutAnnotation(ctx, a, p.ifMatch())
	return o.settle(ctx, p, p.body(), a, err)
}

// settle interprets err, the server's answer to p, as send describes:
// sent is the annotation a put sent and stored the copy the server stored
// (when err is nil).
func (o *outbox) settle(ctx context.Context, p *op, sent, stored *annotation.Annotation, err error) (saved, theirs *annotation.Annotation, _ error) {
	if p.Kind == opDelete {
		switch annotation.ErrorCode(err) {
		case annotation.NotFound:
			return nil, nil, nil // already gone: that is what we wanted
		case annotation.PreconditionFailed:
			cur, gerr := o.api.Annotation(ctx, p.ID)
			switch {
			case annotation.ErrorCode(gerr) == annotation.NotFound:
				return nil, nil, nil
			case gerr != nil:
				return nil, nil, gerr
			}
			return nil, cur, err
		}
		return nil, nil, err
	}
	if annotation.ErrorCode(err) == annotation.PreconditionFailed {
		cur, gerr := o.api.Annotation(ctx, p.ID)
		switch {
		case gerr == nil && sameContent(cur, sent):
			return cur, nil, nil
		case gerr == nil:
			return nil, cur, err
		case annotation.ErrorCode(gerr) == annotation.NotFound:
			return nil, nil, err
		default:
			return nil, nil, gerr
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return stored, nil, nil
}

// sameContent reports whether a and b say the same thing about the same
// passage, whatever their revisions and timestamps.
func sameContent(a, b *annotation.Annotation) bool {
	return a.ID == b.ID && a.ArticleID == b.ArticleID && a.Kind == b.Kind &&
		a.Target.Position == b.Target.Position && a.Target.Quote.Exact == b.Target.Quote.Exact &&
		a.Speaker == b.Speaker && a.Note == b.Note && slices.Equal(a.Tags, b.Tags) &&
		a.Visibility.Private() == b.Visibility.Private() &&
		a.StatusOf() == b.StatusOf() // a rejected review is not saved by a plain one
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

// errSignedOut is the error of a flush while the outbox waits for the user
// to sign in again.
var errSignedOut = errors.New("the session has ended: sign in again to send the waiting changes")

// PauseSignedOut stops sending until Resume: the server said (or the app
// learnt at start) that the user's session ended. Nothing is dropped.
func (o *outbox) PauseSignedOut() {
	o.mu.Lock()
	changed := !o.signedOut
	o.signedOut = true
	st := o.statusLocked()
	o.mu.Unlock()
	if changed {
		o.emit(outboxEvent{Status: st})
	}
}

// Resume sends again after PauseSignedOut, once the same user signed in.
func (o *outbox) Resume() {
	o.mu.Lock()
	changed := o.signedOut
	o.signedOut, o.failures = false, 0
	st := o.statusLocked()
	o.mu.Unlock()
	if changed {
		o.emit(outboxEvent{Status: st})
		o.kick()
	}
}

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
		if o.cfg.Settle > 0 && !o.now.Swap(false) {
			select {
			case <-ctx.Done():
				return
			case <-time.After(o.cfg.Settle):
			}
		}
		if err := o.Flush(ctx); err != nil {
			if errors.Is(err, errSignedOut) {
				continue // waits for Resume
			}
			o.mu.Lock()
			n := max(o.failures, 1)
			o.mu.Unlock()
			timer = time.After(o.backoff(n))
		}
	}
}
