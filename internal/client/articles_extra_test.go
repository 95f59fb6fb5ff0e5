package client_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// pageFetcher is a server.Fetcher answering with the article it holds,
// or a refusal when it holds none.
type pageFetcher struct {
	mu   sync.Mutex
	page *annotation.Article
}

func (f *pageFetcher) Fetch(ctx context.Context, url string) (*annotation.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.page == nil {
		return nil, annotation.Errorf(annotation.Invalid, "The site answered “404 Not Found” for %s; check the address.", url)
	}
	c := *f.page
	c.URL = url
	c.TextHash = annotation.HashText(c.Text)
	return &c, nil
}

func (f *pageFetcher) set(a *annotation.Article) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.page = a
}

// mustServeFetching is mustServe with a server that fetches through f
// (nil: fetching off).
func mustServeFetching(tb testing.TB, f server.Fetcher) *client.Client {
	tb.Helper()
	st := servertest.NewStore()
	cfg := server.Config{Store: st, Searcher: servertest.NewSearcher(st), Logger: slog.New(slog.DiscardHandler)}
	if f != nil {
		cfg.Fetcher = f
	}
	srv := httptest.NewServer(server.New(cfg))
	tb.Cleanup(srv.Close)
	return client.New(srv.URL, srv.Client())
}

const pasted = "World\n\nCouncil Delays the Harbour Vote\n\nBy Ana Ruiz\n\nShare this article\n\n" +
	"The council postponed its vote on Monday, citing new information about the costs of the plan.\n\n" +
	"Opposition members denied that they had asked for the delay, and called for a public hearing.\n\nBack to top\n"

func TestPreview(t *testing.T) {
	c := mustServeFetching(t, nil)
	ctx := t.Context()
	p, existing, err := c.Preview(ctx, pasted, "https://Example.com/vote?utm_source=x")
	if err != nil || existing != "" {
		t.Fatalf("Preview = %q, %v", existing, err)
	}
	if p.Title != "Council Delays the Harbour Vote" {
		t.Errorf("title %q", p.Title)
	}
	if p.URL != "https://example.com/vote" {
		t.Errorf("url %q, want the canonical form", p.URL)
	}
	if strings.Contains(p.Text, "Back to top") || strings.Contains(p.Text, "Share this") || !strings.HasPrefix(p.Text, "The council postponed") {
		t.Errorf("text not cleaned:\n%s", p.Text)
	}
	if !strings.Contains(strings.Join(p.Removed, "\n"), "Back to top") {
		t.Errorf("removed %q lacks the furniture", p.Removed)
	}

	art := &annotation.Article{Title: p.Title, Text: p.Text}
	if _, err := c.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	_, existing, err = c.Preview(ctx, pasted, "")
	wantCode(t, err, annotation.Conflict)
	if existing != art.ID {
		t.Errorf("duplicate preview: existingID %q, want %q", existing, art.ID)
	}

	for _, tc := range []struct {
		name, text, url, code string
	}{
		{"nothing", "", "", annotation.Invalid},
		{"only furniture", "Share this article\n\nBack to top", "", annotation.Invalid},
		{"url without fetching", "", "https://example.com/other", annotation.Invalid},
		{"bad url", "", "ftp://example.com/x", annotation.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := c.Preview(ctx, tc.text, tc.url)
			if e := wantCode(t, err, tc.code); e.Message == "" {
				t.Error("no message")
			}
		})
	}
}

func TestCreateFromURLRefreshVersions(t *testing.T) {
	f := &pageFetcher{}
	c := mustServeFetching(t, f)
	ctx := t.Context()
	const u = "https://news.example/harbour"

	_, _, err := c.CreateFromURL(ctx, u)
	if e := wantCode(t, err, annotation.Invalid); !strings.Contains(e.Message, "404") {
		t.Errorf("refusal %q does not pass the fetcher's words on", e.Message)
	}

	text := "The council met on Monday.\n\nThe mayor claimed that the harbour would create two thousand jobs.\n\nThe meeting ended."
	f.set(&annotation.Article{Title: "Harbour", Text: text})
	art, existing, err := c.CreateFromURL(ctx, u)
	if err != nil || existing != "" {
		t.Fatalf("CreateFromURL = %q, %v", existing, err)
	}
	if art.ID == "" || art.Title != "Harbour" || art.URL != u || art.Text != text {
		t.Errorf("stored %+v", art)
	}
	_, existing, err = c.CreateFromURL(ctx, u)
	wantCode(t, err, annotation.Conflict)
	if existing != art.ID {
		t.Errorf("duplicate URL: existingID %q, want %q", existing, art.ID)
	}

	a := newAnnotation(t, art, annotation.Claim, "the harbour would create two thousand jobs")
	if err := c.PutAnnotation(ctx, a, ""); err != nil {
		t.Fatal(err)
	}

	r, err := c.Refresh(ctx, art.ID)
	if err != nil || r.Updated || r.Article.ID != art.ID {
		t.Fatalf("Refresh of the same page = %+v, %v", r, err)
	}
	f.set(&annotation.Article{Title: "Harbour", Text: "A new first paragraph.\n\n" + text})
	r, err = c.Refresh(ctx, art.ID)
	if err != nil || !r.Updated || r.Reanchored == nil {
		t.Fatalf("Refresh of a changed page = %+v, %v", r, err)
	}
	if *r.Reanchored != (annotation.Reanchored{Anchored: 1}) {
		t.Errorf("reanchored %+v, want one anchored", *r.Reanchored)
	}
	if !strings.HasPrefix(r.Article.Text, "A new first paragraph.") {
		t.Errorf("refreshed text %q", r.Article.Text)
	}

	vs, err := c.Versions(ctx, art.ID)
	if err != nil || len(vs) != 2 {
		t.Fatalf("Versions = %+v, %v", vs, err)
	}
	if vs[0].Version != 1 || vs[0].Current || vs[1].Version != 2 || !vs[1].Current || vs[1].Hash != r.Article.TextHash {
		t.Errorf("versions %+v", vs)
	}
	v1, err := c.Version(ctx, art.ID, 1)
	if err != nil || v1.Text != text || v1.Current {
		t.Errorf("Version 1 = %+v, %v", v1, err)
	}
	_, err = c.Version(ctx, art.ID, 9)
	wantCode(t, err, annotation.NotFound)

	plain := &annotation.Article{Title: "No address", Text: "Just text, pasted by hand."}
	if _, err := c.CreateArticle(ctx, plain); err != nil {
		t.Fatal(err)
	}
	_, err = c.Refresh(ctx, plain.ID)
	wantCode(t, err, annotation.Invalid)
}
