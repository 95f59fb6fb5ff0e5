package client_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"slices"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

func TestRejections(t *testing.T) {
	ctx := context.Background()
	c, st := mustServe(t)
	art := &annotation.Article{Title: "Rally", Text: "He said the wall will be built. He denied the call."}
	if _, err := st.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	if r, err := c.Rejections(ctx, art.ID); err != nil || r.Keys == nil || len(r.Keys) != 0 {
		t.Fatalf("Rejections before any = %+v, %v; want empty keys", r, err)
	}
	steps := []struct {
		add, remove, want []string
	}{
		{[]string{"s-3-30-claim", "s-35-50-denial"}, nil, []string{"s-3-30-claim", "s-35-50-denial"}},
		{[]string{"s-3-30-claim"}, nil, []string{"s-3-30-claim", "s-35-50-denial"}}, // sent again
		{nil, []string{"s-3-30-claim"}, []string{"s-35-50-denial"}},
		{nil, []string{"s-3-30-claim"}, []string{"s-35-50-denial"}},
	}
	for i, s := range steps {
		r, err := c.UpdateRejections(ctx, art.ID, s.add, s.remove)
		if err != nil || !slices.Equal(r.Keys, s.want) || r.ArticleID != art.ID {
			t.Fatalf("step %d: UpdateRejections(+%q, -%q) = %+v, %v; want %q", i, s.add, s.remove, r, err, s.want)
		}
		if got, err := c.Rejections(ctx, art.ID); err != nil || !slices.Equal(got.Keys, s.want) {
			t.Errorf("step %d: Rejections = %+v, %v; want %q", i, got, err, s.want)
		}
	}
	if _, err := c.UpdateRejections(ctx, art.ID, []string{"not a key"}, nil); annotation.ErrorCode(err) != annotation.Invalid {
		t.Errorf("UpdateRejections with a bad key: %v, want invalid", err)
	}
	if _, err := c.Rejections(ctx, "no-such-article"); annotation.ErrorCode(err) != annotation.NotFound {
		t.Errorf("Rejections of a missing article: %v, want not found", err)
	}
}

// TestNoRejections checks the errors of a server whose store keeps no
// rejected suggestions.
func TestNoRejections(t *testing.T) {
	st := servertest.NewStore()
	art := &annotation.Article{Title: "Rally", Text: "He said the wall will be built."}
	if _, err := st.CreateArticle(t.Context(), art); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Config{
		Store: struct{ annotation.Store }{st}, Logger: slog.New(slog.DiscardHandler), // hides the RejectionStore methods
	}))
	t.Cleanup(srv.Close)
	c := client.New(srv.URL, srv.Client())
	if _, err := c.Rejections(t.Context(), art.ID); !errors.Is(err, client.ErrNoRejections) {
		t.Errorf("Rejections: %v, want ErrNoRejections", err)
	}
	if _, err := c.UpdateRejections(t.Context(), art.ID, []string{"a"}, nil); !errors.Is(err, client.ErrNoRejections) || annotation.ErrorMessage(err) == "Internal error." {
		t.Errorf("UpdateRejections: %v, want ErrNoRejections with the server's sentence", err)
	}
}
