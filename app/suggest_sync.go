package app

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Rejected suggestions are each person's own and follow them from device
// to device. The reader keeps those of the open article in
// c.sug.rejected, and a copy on the device (localStorage, per user:
// rejectedKey), so that they stay hidden offline and after a reload. A
// rejection, an undo or a restore changes both at once and goes to the
// server through the outbox (EnqueueRejections, outbox_rejections.go).
// Each time Suggest is shown online, the server's set replaces the
// device's copy, with the changes still queued on this device applied on
// top (rejectedView): so an undo made on another device brings the
// suggestion back here too, which a union of the two sets would not.

// rejectedKey is the device key of the user's copy of article id's
// rejected suggestions (see session.userKey).
func (s *session) rejectedKey(id string) string { return s.userKey("rejections/" + id) }

// legacyRejectedKey is where the reader kept article id's rejected
// suggestions before they followed the person: one set per browser,
// never sent to the server.
func legacyRejectedKey(id string) string { return "claimmark/rejected/" + id }

// loadRejected returns the suggestion keys stored under key in ks.
func loadRejected(ks keyStore, key string) map[string]bool {
	out := map[string]bool{}
	v, ok := ks.Get(key)
	if !ok {
		return out
	}
	var keys []string
	if json.Unmarshal([]byte(v), &keys) == nil {
		for _, k := range keys {
			out[k] = true
		}
	}
	return out
}

// saveRejected stores the keys of rejected under key in ks. A full
// storage drops the write: the rejections then hold for this visit, and
// on the server.
func saveRejected(ks keyStore, key string, rejected map[string]bool) {
	keys := slices.Sorted(maps.Keys(rejected))
	if keys == nil {
		keys = []string{}
	}
	b, _ := json.Marshal(keys)
	ks.Set(key, string(b))
}

// deviceRejected returns the suggestions of the open article rejected on
// this device (its copy of the server's). Those rejected on this browser
// before rejections followed the person (legacyRejectedKey) are taken
// over by the first user who opens the article here, as the device's
// queue from before accounts is: added to theirs, and queued for the
// server.
func (c *readerPage) deviceRejected() map[string]bool {
	ks, key := c.s.keys(), c.s.rejectedKey(c.id)
	out := loadRejected(ks, key)
	old := loadRejected(ks, legacyRejectedKey(c.id))
	if len(old) == 0 {
		return out
	}
	var add []string
	for k := range old {
		if !out[k] {
			out[k] = true
			add = append(add, k)
		}
	}
	slices.Sort(add)
	saveRejected(ks, key, out)
	ks.Remove(legacyRejectedKey(c.id))
	if box := c.box(); box != nil && len(add) > 0 {
		box.EnqueueRejections(c.id, add, nil)
	}
	return out
}

// keepRejected stores c.sug.rejected as this device's copy.
func (c *readerPage) keepRejected() { saveRejected(c.s.keys(), c.s.rejectedKey(c.id), c.sug.rejected) }

// changeRejected rejects the suggestions add and brings back remove, on
// this page and this device at once, and queues the change for the
// server.
func (c *readerPage) changeRejected(add, remove []string) {
	for _, k := range add {
		c.sug.rejected[k] = true
	}
	for _, k := range remove {
		delete(c.sug.rejected, k)
	}
	c.keepRejected()
	c.sug.rev++
	if box := c.box(); box != nil {
		box.EnqueueRejections(c.id, add, remove)
		c.sync = box.Status()
	}
}

// refreshRejected fetches the server's rejected suggestions of the open
// article and shows them, with the changes this device has queued applied
// (rejectedView). Offline, or when the server keeps none, the device's
// copy stays. The count of updates is window.__claimmark.rejectedSynced.
func (c *readerPage) refreshRejected(ctx app.Context) {
	box := c.box()
	if box == nil || c.d == nil {
		return
	}
	r, ok := box.rejecter()
	if !ok {
		return
	}
	id, hash := c.id, c.d.art.TextHash
	ctx.Async(func() {
		before := box.Ops(id) // read first: a change acknowledged during the fetch is in one of the two reads
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		got, err := r.Rejections(rctx, id)
		if err != nil {
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			if c.id != id || c.d == nil || c.d.art.TextHash != hash || c.sug.rejected == nil {
				return
			}
			next := rejectedView(id, got.Keys, append(before, box.Ops(id)...))
			if !sameKeys(next, c.sug.rejected) {
				c.sug.rejected = next
				c.keepRejected()
				c.sug.rev++
				if _, _, ok := c.suggestionAt(c.sug.focus); !ok {
					c.sug.focus, c.sug.sheet = "", false
				}
			}
			if app.IsClient {
				n := perfObject().Get("rejectedSynced")
				count := 0
				if n.Truthy() {
					count = n.Int()
				}
				perfObject().Set("rejectedSynced", count+1)
			}
		})
	})
}

// sameKeys reports whether a and b hold the same keys.
func sameKeys(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// rejectedOnOffer returns the rejected suggestions of the article that
// Suggest found in its text, in key order: the ones "Bring back" shows
// again.
func (c *readerPage) rejectedOnOffer() []string {
	var out []string
	for _, s := range c.sug.all {
		if k := sugKey(s); c.sug.rejected[k] && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// restoreRejected brings back every rejected suggestion of the article,
// on every device of the person, and offers Undo.
func (c *readerPage) restoreRejected(ctx app.Context) {
	keys := c.rejectedOnOffer()
	if len(keys) == 0 {
		return
	}
	c.changeRejected(nil, keys)
	msg := fmt.Sprintf("%d rejected suggestions are back.", len(keys))
	if len(keys) == 1 {
		msg = "The rejected suggestion is back."
	}
	c.offerUndo(msg, func(ctx app.Context) {
		c.changeRejected(keys, nil)
		c.announce("Bringing back undone")
	})
	c.announce(msg + " Undo is available for ten seconds.")
	for _, s := range c.visibleSuggestions() {
		if k := sugKey(s); slices.Contains(keys, k) {
			c.focusSuggestion(ctx, k, false) // the first one back, in text order
			break
		}
	}
}
