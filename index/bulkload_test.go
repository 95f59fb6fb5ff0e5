package index

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/store"
)

// countingStore is the bbolt store counting the reads that the apply
// pass makes. It does not trim the change log, so that two indexes can
// follow one store.
type countingStore struct {
	*store.DB
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingStore) count(name string) {
	c.mu.Lock()
	c.calls[name]++
	c.mu.Unlock()
}

// take returns the counts since the last take.
func (c *countingStore) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.calls
	c.calls = map[string]int{}
	return m
}

func (c *countingStore) Annotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	c.count("Annotation")
	return c.DB.Annotation(ctx, id)
}

func (c *countingStore) LinksTo(ctx context.Context, id string) ([]*annotation.Annotation, error) {
	c.count("LinksTo")
	return c.DB.LinksTo(ctx, id)
}

func (c *countingStore) Speaker(ctx context.Context, id string) (*annotation.Speaker, error) {
	c.count("Speaker")
	return c.DB.Speaker(ctx, id)
}

func (c *countingStore) AnnotationsByID(ctx context.Context, ids []string) (map[string]*annotation.Annotation, error) {
	c.count("AnnotationsByID")
	return c.DB.AnnotationsByID(ctx, ids)
}

func (c *countingStore) LinksToEach(ctx context.Context, ids []string) (map[string][]*annotation.Annotation, error) {
	c.count("LinksToEach")
	return c.DB.LinksToEach(ctx, ids)
}

func (c *countingStore) SpeakersByID(ctx context.Context, ids []string) (map[string]*annotation.Speaker, error) {
	c.count("SpeakersByID")
	return c.DB.SpeakersByID(ctx, ids)
}

func (c *countingStore) TrimChanges(context.Context, uint64) error { return nil }

// oneByOne is the bbolt store without its bulk reads: the index asks
// it for each id. It does not trim the change log either.
type oneByOne struct {
	annotation.Store
	annotation.Linker
	annotation.SpeakerStore
}

func (oneByOne) TrimChanges(context.Context, uint64) error { return nil }

// TestApplyReadsInBulk follows one bbolt store with two indexes, one
// reading each page of changes in bulk (annotation.BulkReader) and one
// reading each id alone, through writes that change rejected speakers,
// delete a rejected annotation and rename a speaker: both must index the
// same, and the bulk one must make a few store calls per page, however
// many changes the page holds.
func TestApplyReadsInBulk(t *testing.T) {
	ctx := context.Background()
	dir, db, one, two := boltWithTwoArticles(t)
	put := func(list ...*annotation.Annotation) {
		t.Helper()
		for _, a := range list {
			if _, err := db.PutAnnotation(ctx, a, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	// early is indexed by the build at Open; late rejects it from a later
	// page, so its speaker is read as a rejected target.
	early := newAnn(one, "early", "The minister called for a prisoner exchange before the summit", annotation.Proposal, "Dmitry Peskov", "", nil, day("2025-01-01"))
	put(early)

	bulk := &countingStore{DB: db, calls: map[string]int{}}
	bulkIx := MustOpen(t, filepath.Join(dir, "bulk.bleve"), bulk)
	oneIx := MustOpen(t, filepath.Join(dir, "one.bleve"), oneByOne{db, db, db})
	// syncBoth applies the store's new changes to both indexes and returns
	// the bulk index's store calls.
	syncBoth := func() map[string]int {
		t.Helper()
		bulk.take()
		if err := bulkIx.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		calls := bulk.take()
		if err := oneIx.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		return calls
	}
	wantCalls := func(step string, got map[string]int, most map[string]int) {
		t.Helper()
		for name, n := range got {
			if n > most[name] {
				t.Errorf("%s: the pass called %s %d times, want at most %d (calls %v)", step, name, n, most[name], got)
			}
		}
	}
	queries := []annotation.Query{
		{Text: "rejects:zakharova"},
		{Text: "rejects:lavrov"},
		{Text: "rejects:peskov"},
		{Text: "rejects:kremlin"},
		{Text: "relation:rejects"},
		{Speaker: "Maria Zakharova"},
		{Speaker: "Kremlin spokesman"},
		{Text: "speaker:sybiha"},
		{},
	}
	// wantSame checks the searches of queries on both indexes, and those
	// of want on the bulk one.
	wantSame := func(step string, want map[string][]string) {
		t.Helper()
		for _, q := range queries {
			b, o := searchIDs(t, bulkIx, q), searchIDs(t, oneIx, q)
			if !slices.Equal(b, o) {
				t.Errorf("%s: Search(%+v) = %v reading in bulk, %v reading one id at a time", step, q, b, o)
			}
		}
		for _, text := range slices.Sorted(maps.Keys(want)) {
			if got := searchIDs(t, bulkIx, annotation.Query{Text: text}); !slices.Equal(got, want[text]) {
				t.Errorf("%s: Search(%q) = %v, want %v", step, text, got, want[text])
			}
		}
	}

	claim := newAnn(one, "claim", "Kyiv rejects any deal without security guarantees", annotation.Claim, "Maria Zakharova", "", nil, day("2025-01-02"))
	denial := newAnn(two, "denial", "Russia denies the report about running out of shells", annotation.Denial, "Andrii Sybiha", "", nil, day("2025-01-03"))
	denial.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}
	late := newAnn(two, "late", "Observers welcomed the new summit format", annotation.Denial, "Andrii Sybiha", "", nil, day("2025-01-04"))
	late.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: early.ID}, {Type: annotation.Rejects, Target: "never-stored"}}
	gone := newAnn(one, "gone", "Officials denied that the convoy was hit near the border", annotation.Denial, "", "", nil, day("2025-01-05"))
	put(claim, denial, late, gone)
	if err := db.DeleteAnnotation(ctx, gone.ID, ""); err != nil {
		t.Fatal(err)
	}
	calls := syncBoth()
	wantCalls("new annotations", calls, map[string]int{"AnnotationsByID": 2, "LinksToEach": 1, "SpeakersByID": 1})
	if calls["AnnotationsByID"] != 2 {
		t.Errorf("new annotations: AnnotationsByID called %d times, want 2 (the changed, then the rejected outside the page)", calls["AnnotationsByID"])
	}
	wantSame("new annotations", map[string][]string{
		"rejects:zakharova": {"denial"},
		"rejects:peskov":    {"late"},
		"speaker:sybiha":    {"denial", "late"},
	})

	// The rejected claim gets another speaker: denial, which rejects it, is
	// re-indexed with the new name. early is deleted: late no longer
	// rejects a speaker.
	claim.Speaker = "Sergey Lavrov"
	put(claim)
	if err := db.DeleteAnnotation(ctx, early.ID, ""); err != nil {
		t.Fatal(err)
	}
	calls = syncBoth()
	// late rejects an id never stored, read as a rejected target.
	wantCalls("a rejected speaker changes", calls, map[string]int{"AnnotationsByID": 2, "LinksToEach": 1, "SpeakersByID": 1})
	wantSame("a rejected speaker changes", map[string][]string{
		"rejects:zakharova": nil,
		"rejects:lavrov":    {"denial"},
		"rejects:peskov":    nil,
	})

	// A speaker gets an alias: the store logs a change for each of its
	// annotations, applied in one page, and the bulk pass reads the
	// speaker once.
	sybiha := mustGetAnn(t, db, denial.ID).SpeakerID
	for _, a := range []*annotation.Annotation{early, gone} {
		a.Speaker, a.SpeakerID = "Andrii Sybiha", ""
		put(a)
	}
	renamed, err := db.Speaker(ctx, sybiha)
	if err != nil {
		t.Fatal(err)
	}
	renamed.Aliases = append(renamed.Aliases, "Kremlin spokesman")
	if _, err := db.PutSpeaker(ctx, renamed, ""); err != nil {
		t.Fatal(err)
	}
	calls = syncBoth()
	wantCalls("a speaker's new alias", calls, map[string]int{"AnnotationsByID": 2, "LinksToEach": 1, "SpeakersByID": 1})
	wantSame("a speaker's new alias", map[string][]string{
		"rejects:lavrov":    {"denial"},
		"rejects:sybiha":    {"late"}, // early is back, with Sybiha's words
		"speaker:sybiha":    {"denial", "early", "gone", "late"},
		"rejects:peskov":    nil,
		"rejects:zakharova": nil,
	})
	if got := searchIDs(t, bulkIx, annotation.Query{Speaker: "Kremlin spokesman"}); !slices.Equal(got, []string{"denial", "early", "gone", "late"}) {
		t.Errorf("after the alias, the speaker filter on it = %v, want [denial early gone late]", got)
	}
}

func mustGetAnn(t *testing.T, st annotation.Store, id string) *annotation.Annotation {
	t.Helper()
	a, err := st.Annotation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
