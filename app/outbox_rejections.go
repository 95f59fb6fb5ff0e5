package app

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// Rejected suggestions go through the outbox like annotation changes:
// the reader changes its copy (localStorage, see suggest_sync.go) at once
// and queues the change, which is sent alone, when the server answers, as
// POST /api/articles/{id}/rejections. Adding a key that is there or
// removing one that is not is no error on the server, so a change sent
// twice is harmless.

// opRejections adds Rejected to and removes Restored from the suggestions
// rejected on article ArticleID. Stored on devices: do not rename.
const opRejections opKind = "rejections"

// alone reports whether operations of kind k are sent one a request,
// never in a batch (batches carry annotations).
func (k opKind) alone() bool { return k.speaker() || k == opRejections }

// rejectionsOpID is the ID of the rejection changes of article articleID
// in the queue: ':' is in no annotation id, so it names no annotation.
func rejectionsOpID(articleID string) string { return "rejections:" + articleID }

// rejecter is an API that keeps each person's rejected suggestions
// (*client.Client).
type rejecter interface {
	// Rejections is client.Client.Rejections.
	Rejections(ctx context.Context, articleID string) (*annotation.Rejections, error)
	// UpdateRejections is client.Client.UpdateRejections.
	UpdateRejections(ctx context.Context, articleID string, add, remove []string) (*annotation.Rejections, error)
}

var _ rejecter = (*client.Client)(nil)

// EnqueueRejections queues adding add to and removing remove from the
// suggestions rejected on article articleID. An unsent change of the same
// article queued by this tab takes it in instead, so that rejecting and
// undoing while offline makes one request. It does not block: call it
// from event handlers.
func (o *outbox) EnqueueRejections(articleID string, add, remove []string) {
	id := rejectionsOpID(articleID)
	o.mu.Lock()
	o.localGen++
	var snap *op
	if last := o.lastOpLocked(id); last != nil && last.Kind == opRejections && last.Tab == o.tab && !last.Sent {
		last.Rejected, last.Restored = combineRejections(last.Rejected, last.Restored, add, remove)
		last.Gen++
		snap = last.clone()
	} else {
		p := &op{Key: o.nextKeyLocked(), Kind: opRejections, ID: id, ArticleID: articleID,
			Rejected: slices.Clone(add), Restored: slices.Clone(remove), Tab: o.tab}
		o.queue = append(o.queue, p)
		snap = p.clone()
	}
	st := o.statusLocked()
	o.mu.Unlock()
	o.persist(snap, false)
	o.emit(outboxEvent{Kind: opRejections, ID: id, Status: st})
	o.kick()
}

// combineRejections returns the one change that has the effect of change
// (add1, remove1) followed by change (add2, remove2): a key the second
// change restores is no longer added by the first, and the other way
// round. The result adds and removes no key twice, in key order.
func combineRejections(add1, remove1, add2, remove2 []string) (add, remove []string) {
	state := map[string]bool{} // key → rejected after both changes
	for _, k := range add1 {
		state[k] = true
	}
	for _, k := range remove1 {
		state[k] = false
	}
	for _, k := range add2 {
		state[k] = true
	}
	for _, k := range remove2 {
		state[k] = false
	}
	for k, rejected := range state {
		if rejected {
			add = append(add, k)
		} else {
			remove = append(remove, k)
		}
	}
	slices.Sort(add)
	slices.Sort(remove)
	return add, remove
}

// rejecter returns the outbox's API as a rejecter: the server's own
// client, which the pages' API may wrap (syncAPI does).
func (o *outbox) rejecter() (rejecter, bool) {
	r, ok := o.api.(rejecter)
	return r, ok
}

// sendRejections sends an opRejections. A server that keeps no
// rejections (client.ErrNoRejections) leaves nothing to do: the change is
// done with, and the device remembers it. An API that cannot send them
// refuses it (it is dropped).
func (o *outbox) sendRejections(ctx context.Context, p *op) outcome {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	r, ok := o.rejecter()
	if !ok {
		return outcome{err: annotation.Errorf(annotation.Invalid, "This client cannot keep rejected suggestions on the server.")}
	}
	_, err := r.UpdateRejections(ctx, p.ArticleID, p.Rejected, p.Restored)
	if errors.Is(err, client.ErrNoRejections) {
		return outcome{}
	}
	return outcome{err: err}
}

// rejectedView returns the suggestions rejected on article articleID as
// this device should show them: the server's keys with the queued
// rejection changes of the article in ops applied in queue order, so that
// what this device did offline, and has not yet sent, holds. ops may hold
// the same operation twice (two reads of the queue, one taken before the
// server's keys were fetched and one after, so that a change acknowledged
// in between is not missed): the later copy counts, once.
func rejectedView(articleID string, keys []string, ops []*op) map[string]bool {
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	byKey := map[string]*op{}
	for _, p := range ops {
		if p.Kind == opRejections && p.ArticleID == articleID {
			byKey[p.Key] = p
		}
	}
	list := make([]*op, 0, len(byKey))
	for _, p := range byKey {
		list = append(list, p)
	}
	slices.SortFunc(list, func(a, b *op) int { return cmp.Compare(a.Key, b.Key) })
	for _, p := range list {
		for _, k := range p.Rejected {
			out[k] = true
		}
		for _, k := range p.Restored {
			delete(out, k)
		}
	}
	return out
}
