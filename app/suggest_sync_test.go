package app

import (
	"context"
	"slices"
	"testing"

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
