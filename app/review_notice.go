package app

import (
	"context"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// updatedSince reports whether the article changed after some of its
// annotations were made: one was made on another text version (its
// target's TextHash is not the article's) or re-anchoring left a mark on
// it (Anchoring set).
func updatedSince(art *annotation.Article, anns []*annotation.Annotation) bool {
	for _, a := range anns {
		if a.Anchoring != nil {
			return true
		}
		if h := a.Target.TextHash; h != "" && h != art.TextHash {
			return true
		}
	}
	return false
}

// versionText describes text version v of n, as the notice says it.
func versionText(v annotation.TextVersion, n int) string {
	s := "now version " + strconv.Itoa(v.Version) + " of the text"
	if n > v.Version {
		s += " (of " + strconv.Itoa(n) + ")"
	}
	if d := dateText(v.Created); d != "" {
		s += ", changed " + d
	}
	return s
}

// refreshText says what refreshing from the source did.
func refreshText(r *client.Refreshed) string {
	if !r.Updated {
		return "The source has not changed: the article is up to date."
	}
	msg := "Updated from the source."
	if n := r.Reanchored; n != nil && n.Anchored+n.NeedsReview+n.Orphaned > 0 {
		var parts []string
		if n.Anchored > 0 {
			parts = append(parts, plural(n.Anchored, "annotation")+" in place")
		}
		if n.NeedsReview > 0 {
			parts = append(parts, strconv.Itoa(n.NeedsReview)+" to check")
		}
		if n.Orphaned > 0 {
			parts = append(parts, strconv.Itoa(n.Orphaned)+" not found in the new text")
		}
		msg += " " + strings.Join(parts, ", ") + "."
	}
	return msg
}

// updatedNotice is the part of the article's header (#article-updated)
// that says the text changed since it was annotated (with the current
// text version), and offers to fetch the article again from its web
// address. It keeps its own state (versions, the result of a refresh)
// while the article is reloaded.
//
// Props:
//
//	ArticleID, URL, Hash  the article's id, web address and text hash
//	Stale                 some annotations were made on another text
//	ingest                the service that lists versions and refreshes
//	                      (nil: none, as when prerendering)
//
// Posts actAnnounce (what a refresh did) and actReload (the article's id)
// when a refresh changed the text.
type updatedNotice struct {
	app.Compo
	ArticleID, URL, Hash string
	Stale                bool
	ingest               func() ingestAPI

	versionsFor string // the Hash the versions were loaded for
	version     string // versionText of the current version, or ""
	busy        bool
	msg         string
	msgErr      bool
}

// OnMount loads the versions when the notice shows.
func (n *updatedNotice) OnMount(ctx app.Context) { n.loadVersions(ctx) }

// OnUpdate loads them again when the text changed.
func (n *updatedNotice) OnUpdate(ctx app.Context) { n.loadVersions(ctx) }

// loadVersions fetches the text versions of the article once per text,
// while the notice shows.
func (n *updatedNotice) loadVersions(ctx app.Context) {
	if !n.Stale || n.versionsFor == n.Hash || n.ingest == nil {
		return
	}
	ing := n.ingest()
	if ing == nil {
		return
	}
	n.versionsFor, n.version = n.Hash, ""
	id, hash := n.ArticleID, n.Hash
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		list, err := ing.Versions(rctx, id)
		if err != nil || len(list) == 0 {
			return // the notice goes without the version
		}
		cur := list[len(list)-1]
		for _, v := range list {
			if v.Hash == hash {
				cur = v
			}
		}
		ctx.Dispatch(func(ctx app.Context) {
			if n.ArticleID == id && n.Hash == hash {
				n.version = versionText(cur, len(list))
			}
		})
	})
}

// Render draws the notice and the button.
func (n *updatedNotice) Render() app.UI {
	box := app.Div().Class("article-updated").ID("article-updated")
	if !n.Stale && n.URL == "" && n.msg == "" {
		return box
	}
	var since, button, result app.UI
	if n.Stale {
		text := "Updated since you annotated it"
		if n.version != "" {
			text += ": " + n.version
		}
		since = app.P().Class("notice", "notice-updated").ID("updated-since").Role("status").Text(text + ".")
	}
	if n.URL != "" {
		label := "Refresh from source"
		if n.busy {
			label = "Fetching the source…"
		}
		button = app.Button().Type("button").Class("link", "refresh").ID("refresh-article").
			Attr("disabled", boolAttr(n.busy)).
			Title("Fetch " + n.URL + " again and update the text if it changed").
			Text(label).
			OnClick(n.onRefresh)
	}
	if n.msg != "" {
		p := app.P().ID("refresh-result").Class("refresh-result").Text(n.msg)
		if n.msgErr {
			p = p.Class("notice", "notice-error").Role("alert")
		} else {
			p = p.Role("status")
		}
		result = p
	}
	return box.Body(slot("since-slot", since), slot("refresh-slot", button), slot("result-slot", result))
}

// onRefresh fetches the article again; when its text changed, the reader
// shows the new text with the re-anchored annotations.
func (n *updatedNotice) onRefresh(ctx app.Context, e app.Event) {
	if n.busy || n.ingest == nil {
		return
	}
	ing := n.ingest()
	if ing == nil {
		return
	}
	n.busy, n.msg, n.msgErr = true, "", false
	id := n.ArticleID
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		res, err := ing.Refresh(rctx, id)
		ctx.Dispatch(func(ctx app.Context) {
			n.busy = false
			if err != nil {
				n.msg, n.msgErr = "Could not refresh from the source: "+errorText(err), true
				ctx.NewActionWithValue(actAnnounce, n.msg)
				return
			}
			n.msg = refreshText(res)
			ctx.NewActionWithValue(actAnnounce, n.msg)
			if res.Updated {
				ctx.NewActionWithValue(actReload, id)
			}
		})
	})
}
