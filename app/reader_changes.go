package app

import (
	"context"
	"errors"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// This file holds the reader's side of changes made elsewhere: the
// annotations to check after the article's text changed (review.go draws
// them), the conflicts with another device (conflict.go), and reloading
// the article after a refresh from its source (review_notice.go).

// reviewItems returns the annotations awaiting review, in document order.
func (c *readerPage) reviewItems() []reviewItem {
	if c.d == nil || !c.annsLoaded {
		return nil
	}
	var out []reviewItem
	for _, e := range c.d.order {
		if it := reviewItemOf(e, c.d); it != nil {
			out = append(out, *it)
		}
	}
	return out
}

// confirmReview moves annotation id to its proposed place, in the page at
// once, and queues saving it.
func (c *readerPage) confirmReview(ctx app.Context, id string) {
	if c.d == nil {
		return
	}
	e := c.d.get(id)
	if e == nil || !e.Review {
		return
	}
	b, err := confirmedAnnotation(&e.A, c.d.art)
	if err != nil {
		c.alert = "Could not confirm the place: " + errorText(err)
		if !errors.As(err, new(*annotation.Error)) {
			c.alert = "Could not confirm the place: " + err.Error() + "."
		}
		c.announce(c.alert)
		return
	}
	c.groups.touchEntry(c.d, e)
	ent := c.d.add(b, statePending)
	c.groups.touchEntry(c.d, ent)
	c.d.selectID(id)
	c.groups.touchEntry(c.d, ent)
	if _, box := c.s.start(); box != nil {
		box.EnqueuePut(b)
		c.sync = box.Status()
	}
	c.announce(b.Kind.Label() + " confirmed at its new place")
	ctx.Defer(func(app.Context) { focusMark(id) })
}

// rejectReview refuses the proposed place of annotation id: it moves to
// the list of annotations not found in the current text, and the change
// is queued.
func (c *readerPage) rejectReview(ctx app.Context, id string) {
	if c.d == nil {
		return
	}
	e := c.d.get(id)
	if e == nil || !e.Review {
		return
	}
	b := rejectedAnnotation(&e.A)
	c.groups.touchEntry(c.d, e)
	c.d.add(b, statePending)
	if _, box := c.s.start(); box != nil {
		box.EnqueuePut(b)
		c.sync = box.Status()
	}
	c.announce(b.Kind.Label() + " kept without a place: listed under “Not found in the current text”")
}

// resolveConflict settles the conflict about annotation id as the person
// chose and shows the version kept.
func (c *readerPage) resolveConflict(ctx app.Context, id string, keepMine bool) {
	_, box := c.s.start()
	if box == nil {
		return
	}
	show, pending, ok := box.Resolve(id, keepMine)
	c.conflicts = box.Conflicts(c.id)
	c.sync = box.Status()
	if !ok || c.d == nil {
		return
	}
	msg := "Kept the other version."
	if keepMine {
		msg = "Kept your version; it will be saved over the other one."
	}
	c.announce(msg)
	if show == nil {
		if e := c.d.remove(id); e != nil {
			c.groups.touchEntry(c.d, e)
		}
		return
	}
	st := stateSaved
	if pending {
		st = statePending
	}
	if e := c.d.add(show, st); e != nil {
		c.groups.touchEntry(c.d, e)
		c.ensureShown(e)
	}
}

// renderConflicts draws the article's conflicts (nil when there are none).
func (c *readerPage) renderConflicts() app.UI {
	if len(c.conflicts) == 0 {
		return nil
	}
	cards := make([]app.UI, len(c.conflicts))
	for i, x := range c.conflicts {
		cards[i] = &conflictCard{ID: x.ID, Mine: x.Mine, Theirs: x.Theirs}
	}
	return app.Div().Class("conflicts").ID("conflicts").Role("region").Aria("label", "Conflicts to resolve").Body(cards...)
}

// staleSince is updatedSince for the open article and its annotations.
func (c *readerPage) staleSince() bool {
	if c.d == nil || !c.annsLoaded {
		return false
	}
	list := make([]*annotation.Annotation, 0, len(c.d.order)+len(c.d.lost))
	for _, e := range c.d.order {
		list = append(list, &e.A)
	}
	for _, e := range c.d.lost {
		list = append(list, &e.A)
	}
	return updatedSince(c.d.art, list)
}

// renderUpdated returns the article's "Updated since you annotated it"
// notice and its "Refresh from source" button.
func (c *readerPage) renderUpdated() app.UI {
	art := c.d.art
	return &updatedNotice{ArticleID: art.ID, URL: art.URL, Hash: art.TextHash, Stale: c.staleSince(), ingest: c.s.ingest}
}

// reloadArticle fetches article id and its annotations again and shows
// them in place of the current ones (after a refresh changed the text).
func (c *readerPage) reloadArticle(ctx app.Context, id string) {
	api, _ := c.s.start()
	if api == nil {
		return
	}
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		art, err := api.Article(rctx, id)
		if err != nil {
			ctx.Dispatch(func(ctx app.Context) {
				if c.id == id {
					c.alert = "The article was updated, but could not be loaded again: " + errorText(err) + " Reload the page."
				}
			})
			return
		}
		list, lerr := api.Annotations(rctx, id)
		ctx.Dispatch(func(ctx app.Context) {
			if c.id != id {
				return
			}
			c.loadedText(ctx, art, nil, make(chan struct{}))
			c.loadedAnnotations(ctx, fromServer, list, lerr, nil)
		})
	})
}
