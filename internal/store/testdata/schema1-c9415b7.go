//go:build ignore

// Command schema1-c9415b7 writes testdata/schema1-c9415b7.db.gz's file: a
// claimmark.db in the format of commit c9415b7 (schema "1", annotation
// counts in their own bucket), made by that commit's store. Copy it to
// cmd/mkschema1/main.go in a checkout of c9415b7 and run
// `go run ./cmd/mkschema1/main.go DIR/claimmark.db`, then gzip -9 the file.
// TestMigrateSchema1 (migrate_counts_test.go) opens it.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

const text = "The minister said the talks were productive. Critics denied any deal was near. " +
	"Unions proposed a pause in the strikes. The harbour reopened on Monday. Inflation fell to 2 per cent."

func main() {
	ctx := context.Background()
	clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	db, err := store.Open(os.Args[1], store.Options{Now: now})
	if err != nil {
		log.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	// create makes article old-art-i.
	create := func(i int) *annotation.Article {
		a := &annotation.Article{
			ID: fmt.Sprintf("old-art-%d", i), Title: fmt.Sprintf("Talks %d", i),
			URL: fmt.Sprintf("https://news.example.com/talks/%d", i), Source: "Example News",
			Text: text + fmt.Sprintf(" (%d)", i),
		}
		_, err := db.CreateArticle(ctx, a)
		must(err)
		return a
	}
	var arts []*annotation.Article
	for i := range 4 {
		arts = append(arts, create(i))
	}
	quotes := []string{"talks were productive", "denied any deal", "proposed a pause", "harbour reopened", "Inflation fell"}
	put := func(id string, art *annotation.Article, kind annotation.Kind, q int, speaker string) {
		i := strings.Index(art.Text, quotes[q])
		a := &annotation.Annotation{
			ID: id, ArticleID: art.ID, Kind: kind, Speaker: speaker, Note: "note of " + id,
			Target: annotation.Target{
				Quote:    annotation.Quote{Exact: quotes[q]},
				Position: annotation.Position{Start: i, End: i + len(quotes[q])},
			},
		}
		_, err := db.PutAnnotation(ctx, a, "")
		must(err)
	}
	// Ids of three forms: random (version 4), time-ordered (version 7)
	// and free-form, so that byarticle keys of all of them meet the counts.
	ids := []string{}
	for i := range 30 {
		var id string
		switch i % 3 {
		case 0:
			id = fmt.Sprintf("%08x-1234-4abc-9def-%012x", (i*2654435761)%(1<<32), i)
		case 1:
			id = fmt.Sprintf("019ad%03x-0000-7000-8000-%012x", i, i)
		default:
			id = fmt.Sprintf("note_%02d", i)
		}
		ids = append(ids, id)
		put(id, arts[i%4], annotation.Kinds[i%3], i%5, fmt.Sprintf("Speaker %d", i%4))
	}
	// A move, a change of kind, a move with a change of kind, deletions.
	put(ids[1], arts[2], annotation.Kinds[1], 1, "Speaker 1")
	put(ids[4], arts[0], annotation.Kinds[2], 4, "Speaker 0")
	put(ids[6], arts[3], annotation.Kinds[1], 1, "Speaker 2")
	must(db.DeleteAnnotation(ctx, ids[7], ""))
	must(db.DeleteAnnotation(ctx, ids[8], ""))
	// A new text (re-anchoring), and an article removed with its annotations.
	up := *arts[1]
	up.Text = "Breaking: " + up.Text
	must(db.UpdateArticle(ctx, &up))
	must(db.DeleteArticle(ctx, arts[3].ID))
	// An article whose annotations were all deleted (its counts are
	// zero, with a record), and one never annotated (no record).
	for i := 4; i < 6; i++ {
		arts = append(arts, create(i))
	}
	put("gone_1", arts[4], annotation.Kinds[0], 0, "Speaker 0")
	put("gone_2", arts[4], annotation.Kinds[2], 2, "Speaker 1")
	must(db.DeleteAnnotation(ctx, "gone_1", ""))
	must(db.DeleteAnnotation(ctx, "gone_2", ""))
	must(db.Close())
}
