package index

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
	"claimmark/internal/synth"
)

// TestWithBoltStore runs the index over the real bbolt store: build,
// searchable writes through Indexing, replay after a restart, and the
// lock on a held index.
func TestWithBoltStore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, arts, anns := mustBoltCorpus(t, dir, 3, 10, 400)
	ixDir := filepath.Join(dir, "index.bleve")
	ix, err := Open(ixDir, db, Options{Logger: quietLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	wantDocCount(t, ix, 400)
	if _, err := Open(ixDir, db, Options{Logger: quietLogger(t), LockTimeout: 100e6}); !errors.Is(err, ErrLocked) {
		t.Errorf("second Open = %v, want ErrLocked", err)
	}

	st := Indexing(db, ix)
	a := *anns[0]
	a.Note = "boltstoredword"
	if _, err := st.PutAnnotation(ctx, &a, ""); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "boltstoredword"}); !slices.Equal(got, []string{a.ID}) {
		t.Errorf("after PutAnnotation, Search = %v, want [%s]", got, a.ID)
	}
	if err := st.DeleteArticle(ctx, arts[1].ID); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, ix, annotation.Query{Article: arts[1].ID}); len(got) != 0 {
		t.Errorf("after DeleteArticle, its annotations are still found: %v", got)
	}
	art, _ := db.Article(ctx, arts[2].ID)
	art.Title = "Retitled by the test"
	if err := st.UpdateArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, annotation.Query{Text: "title:retitled"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ArticleTitle != art.Title || h.Annotation.ArticleID != art.ID {
			t.Errorf("hit %s of article %s titled %q", h.Annotation.ID, h.Annotation.ArticleID, h.ArticleTitle)
		}
	}
	if res.Total == 0 {
		t.Error("title:retitled found nothing after the title change")
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// Written while the index is closed: replayed at the next Open.
	var b annotation.Annotation
	for _, x := range anns[1:] {
		if x.ArticleID != arts[1].ID {
			b = *x
			break
		}
	}
	b.Note = "writtenwhileclosed"
	if _, err := db.PutAnnotation(ctx, &b, ""); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(ixDir, db, Options{Logger: quietLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := searchIDs(t, ix, annotation.Query{Text: "writtenwhileclosed"}); !slices.Equal(got, []string{b.ID}) {
		t.Errorf("after reopening, Search = %v, want [%s]", got, b.ID)
	}
	// The replayed changes are trimmed once bleve has persisted them, in
	// the background: wait for it.
	var changes []annotation.Change
	var last uint64
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		changes, last, err = db.Changes(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) == 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(changes) != 0 || ix.Watermark() != last {
		t.Errorf("after Open: %d changes untrimmed, watermark %d, store's last %d", len(changes), ix.Watermark(), last)
	}
}

// TestImportRetitleWithBoltStore checks that an import overwriting an
// article with a new title, without its annotations, makes the stored
// annotations of that article findable by the new title: the store logs
// a change for each and the sync re-indexes them.
func TestImportRetitleWithBoltStore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, arts, anns := mustBoltCorpus(t, dir, 5, 3, 40)
	ix := MustOpen(t, filepath.Join(dir, "index.bleve"), db)
	st := Indexing(db, ix)

	art, err := db.Article(ctx, arts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	art.Title = "Quetzalretitled summit talks"
	if err := st.Import(ctx, []*annotation.Article{art}, nil); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range anns {
		if a.ArticleID == art.ID {
			want = append(want, a.ID)
		}
	}
	slices.Sort(want)
	if len(want) == 0 {
		t.Fatal("the corpus gave the retitled article no annotations")
	}
	res, err := ix.Search(ctx, annotation.Query{Text: "title:quetzalretitled", Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res); !slices.Equal(got, want) {
		t.Errorf("search by the new title = %v, want the article's annotations %v", got, want)
	}
	for _, h := range res.Hits {
		if h.ArticleTitle != art.Title {
			t.Errorf("hit %s shows title %q, want %q", h.Annotation.ID, h.ArticleTitle, art.Title)
		}
	}
}

// mustBoltCorpus opens a bbolt store in dir, closed at test end, holding
// synth.Corpus(seed, articles, annotations).
func mustBoltCorpus(t *testing.T, dir string, seed int64, articles, annotations int) (*store.DB, []*annotation.Article, []*annotation.Annotation) {
	t.Helper()
	db, err := store.Open(filepath.Join(dir, "claimmark.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	arts, anns := synth.Corpus(seed, articles, annotations)
	if err := db.Import(context.Background(), arts, anns); err != nil {
		t.Fatal(err)
	}
	return db, arts, anns
}
