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
