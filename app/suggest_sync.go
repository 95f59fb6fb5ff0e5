package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Rejected suggestions are each person's own and follow them from device
// to device. The reader keeps those of the open article in
// c.sug.rejected, and a copy on the device (localStorage: loadRejected,
// saveRejected), so that they stay hidden offline and after a reload. A
// rejection, an undo or a restore changes both at once and goes to the
// server through the outbox (EnqueueRejections, outbox_rejections.go).
// Each time Suggest is shown online, the server's set replaces the
// device's copy, with the changes still queued on this device applied on
// top (rejectedView): so an undo made on another device brings the
// suggestion back here too, which a union of the two sets would not.

// deviceRejected returns the suggestions of the open article rejected on
// this device (its copy of the server's).
func (c *readerPage) deviceRejected() map[string]bool { return loadRejected(c.id) }

// keepRejected stores c.sug.rejected as this device's copy.
func (c *readerPage) keepRejected() { saveRejected(c.id, c.sug.rejected) }

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
