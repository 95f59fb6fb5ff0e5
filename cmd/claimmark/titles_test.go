package main

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// TestTitleAcrossServers retitles an article through server A and
// searches through server B, which had cached the old title: B finds the
// article's annotation by a word of the new title and shows the new title.
func TestTitleAcrossServers(t *testing.T) {
	cl := startPostgres(t)
	dbURL := cl.NewDatabase(t, "")
	a, _ := startLaggingServer(t, dbURL, "a")
	b, _ := startLaggingServer(t, dbURL, "b")
	au, _ := url.Parse(a.URL)
	bu, _ := url.Parse(b.URL)
	c := client.New(a.URL, &http.Client{Transport: splitTransport{reads: bu, writes: au}})
	ctx := context.Background()

	art := &annotation.Article{Title: "Harbour", Text: "The minister said the harbour will reopen in June."}
	if _, err := c.CreateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	ann := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim, Note: "dredging",
		Target: annotation.Target{Quote: annotation.Quote{Exact: "the harbour will reopen"}, Position: annotation.Position{Start: 18, End: 41}}}
	if err := c.PutAnnotation(ctx, ann, ""); err != nil {
		t.Fatal(err)
	}
	// B indexes the annotation and shows it with the title it caches.
	res, err := c.Search(ctx, annotation.Query{Text: "dredging"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ArticleTitle != "Harbour" {
		t.Fatalf("search on B before the new title: %d hits %+v, want the annotation titled Harbour", res.Total, res.Hits)
	}

	art.Title = "Lighthouse keepers"
	if err := c.UpdateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"lighthouse", "dredging"} {
		res, err = c.Search(ctx, annotation.Query{Text: q})
		if err != nil {
			t.Fatalf("search on B for %q after the new title on A: %v", q, err)
		}
		if res.Total != 1 || res.Hits[0].Annotation.ID != ann.ID || res.Hits[0].ArticleTitle != art.Title {
			t.Errorf("search on B for %q after the new title on A: %d hits %+v, want the annotation titled %q", q, res.Total, res.Hits, art.Title)
		}
	}
}
