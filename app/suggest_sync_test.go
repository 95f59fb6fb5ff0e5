package app

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/attrib"
	"claimmark/internal/server/servertest"
)

// TestChangeRejected checks that rejecting and bringing back suggestions
// changes what the reader offers at once and reaches the server through
// the outbox, as one change when made before it could be sent.
func TestChangeRejected(t *testing.T) {
	ctx := context.Background()
	st := servertest.NewStore()
	art := &annotation.Article{Title: "Port", Text: sugArticle}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	api := &rejectFakeAPI{fakeAPI: newFakeAPI(), st: st}
	c := &readerPage{id: art.ID, d: newDoc(art, nil), s: &session{api: api}}
	c.sug = suggestions{on: true, all: attrib.Suggest(sugArticle), rejected: map[string]bool{}}
	if len(c.sug.all) < 3 {
		t.Fatalf("%d suggestions, want at least 3", len(c.sug.all))
	}
	k1, k2 := sugKey(c.sug.all[0]), sugKey(c.sug.all[1])

	c.changeRejected([]string{k1, k2}, nil)
	c.changeRejected(nil, []string{k1}) // an undo
	var offered []string
	for _, s := range c.visibleSuggestions() {
		offered = append(offered, sugKey(s))
	}
	if !slices.Contains(offered, k1) || slices.Contains(offered, k2) {
		t.Errorf("offered %q; want %s back and %s hidden", offered, k1, k2)
	}
	if v := c.sugView(); v.Rejected != 1 || v.Total != len(c.sug.all)-1 {
		t.Errorf("panel: %d rejected, %d offered; want 1 and %d", v.Rejected, v.Total, len(c.sug.all)-1)
	}
	if st := c.sync; st.Waiting != 1 {
		t.Errorf("sync status %+v, want one change waiting", st)
	}
	if err := c.box().Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := api.keys(t, art.ID); !slices.Equal(got, []string{k2}) {
		t.Errorf("the server holds %q, want [%s]", got, k2)
	}
	if len(api.sends) != 1 {
		t.Errorf("%d requests, want 1: %q", len(api.sends), api.sends)
	}
}

// ctxGrab is a component that keeps the context it was rendered with, for
// calling page methods that need one.
type ctxGrab struct {
	app.Compo
	ctx app.Context
}

func (g *ctxGrab) OnPreRender(ctx app.Context) { g.ctx = ctx } // natively, go-app prerenders
func (g *ctxGrab) Render() app.UI              { return app.Div() }

// TestRefreshRejected checks what the reader hides once it has the
// server's rejected suggestions: the server's set, with the change this
// device queued and has not sent on top, and without a rejection this
// device remembered but another device undid.
func TestRefreshRejected(t *testing.T) {
	ctx := context.Background()
	st := servertest.NewStore()
	art := &annotation.Article{Title: "Port", Text: sugArticle}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	api := &rejectFakeAPI{fakeAPI: newFakeAPI(), st: st}
	all := attrib.Suggest(sugArticle)
	if len(all) < 4 {
		t.Fatalf("%d suggestions, want at least 4", len(all))
	}
	k := func(i int) string { return sugKey(all[i]) }
	if _, err := st.UpdateRejections(ctx, "u1", art.ID, []string{k(1), k(2)}, nil); err != nil { // another device
		t.Fatal(err)
	}
	box := newOutbox(api, outboxConfig{}) // in the browser the outbox has the client, the pages a syncAPI over it
	c := &readerPage{id: art.ID, d: newDoc(art, nil), s: &session{api: &syncAPI{API: api, box: box}, box: box}}
	c.sug = suggestions{on: true, all: all, rejected: map[string]bool{k(0): true}} // undone elsewhere since
	c.box().EnqueueRejections(art.ID, []string{k(3)}, nil)                         // made here, not yet sent

	e := app.NewTestEngine()
	g := &ctxGrab{}
	if err := e.Load(g); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	rev := c.sug.rev
	c.refreshRejected(g.ctx)
	e.ConsumeAll()
	got := slices.Sorted(maps.Keys(c.sug.rejected))
	want := []string{k(1), k(2), k(3)}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("hidden after the refresh: %q, want %q", got, want)
	}
	if c.sug.rev == rev {
		t.Error("the refresh changed the hidden suggestions without a new revision: the page would not redraw")
	}
}

// TestDeviceRejected checks the device's copy of rejected suggestions:
// each user's under their own key, and the set a browser kept before
// rejections followed the person taken over once, by the first user who
// opens the article, and queued for the server.
func TestDeviceRejected(t *testing.T) {
	ks := newMapStore()
	ks.Set("claimmark/rejected/art", `["s-1-9-claim","s-20-30-denial"]`) // before rejections synced
	ks.Set("claimmark/u/u1/rejections/art", `["s-20-30-denial","s-40-50-proposal"]`)
	ks.Set("claimmark/u/u2/rejections/art", `["s-60-70-claim"]`)
	s := &session{api: newFakeAPI(), ks: ks}
	s.setIdentity(identity{State: authSignedIn, User: annotation.User{ID: "u1"}})
	c := &readerPage{id: "art", s: s}

	got := slices.Sorted(maps.Keys(c.deviceRejected()))
	if want := []string{"s-1-9-claim", "s-20-30-denial", "s-40-50-proposal"}; !slices.Equal(got, want) {
		t.Errorf("u1's rejections on this device: %q, want %q (theirs and the browser's from before)", got, want)
	}
	if v, ok := ks.Get("claimmark/rejected/art"); ok {
		t.Errorf("the set from before is still kept (%s): a second user would take it too", v)
	}
	if v, _ := ks.Get("claimmark/u/u1/rejections/art"); v != `["s-1-9-claim","s-20-30-denial","s-40-50-proposal"]` {
		t.Errorf("u1's copy holds %s", v)
	}
	ops := c.box().Ops("art")
	if len(ops) != 1 || ops[0].Kind != opRejections || !slices.Equal(ops[0].Rejected, []string{"s-1-9-claim"}) {
		t.Errorf("queued: %+v; want the one rejection u1 did not have, for the server", ops)
	}
	if v, _ := ks.Get("claimmark/u/u2/rejections/art"); v != `["s-60-70-claim"]` {
		t.Errorf("u2's copy changed to %s", v)
	}

	c.sug.rejected = map[string]bool{}
	c.keepRejected()
	if v, _ := ks.Get("claimmark/u/u1/rejections/art"); v != `[]` {
		t.Errorf("u1's copy after every rejection was undone: %s, want []", v)
	}
}
