package main

import (
	"context"
	"testing"

	"claimmark/internal/annotation"
)

// TestTitleAcrossServers retitles an article through server A and
// searches through server B, which had cached the old title: B finds the
// article's annotation by a word of the new title and shows the new title.
func TestTitleAcrossServers(t *testing.T) {
	pair := startServerPair(t)
	c := pair.c
	ctx := context.Background()
	art, ann := pair.harbour(t)
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

// TestTitleWithoutAnnotationsAcrossServers retitles through server A an
// article that has no annotations left, whose old title server B caches,
// then annotates it again through A: B finds the new annotation by a word
// of the new title and shows the new title.
func TestTitleWithoutAnnotationsAcrossServers(t *testing.T) {
	pair := startServerPair(t)
	c := pair.c
	ctx := context.Background()
	art, ann := pair.harbour(t)
	res, err := c.Search(ctx, annotation.Query{Text: "dredging"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ArticleTitle != "Harbour" {
		t.Fatalf("search on B before the new title: %d hits %+v, want the annotation titled Harbour", res.Total, res.Hits)
	}
	if err := c.DeleteAnnotation(ctx, ann.ID, ""); err != nil {
		t.Fatal(err)
	}

	art.Title = "Lighthouse keepers"
	if err := c.UpdateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	again := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim, Note: "beacon",
		Target: ann.Target}
	if err := c.PutAnnotation(ctx, again, ""); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"lighthouse", "beacon"} {
		res, err = c.Search(ctx, annotation.Query{Text: q})
		if err != nil {
			t.Fatalf("search on B for %q: %v", q, err)
		}
		if res.Total != 1 || res.Hits[0].Annotation.ID != again.ID || res.Hits[0].ArticleTitle != art.Title {
			t.Errorf("search on B for %q after the new title on A: %d hits %+v, want the new annotation titled %q", q, res.Total, res.Hits, art.Title)
		}
	}
}
