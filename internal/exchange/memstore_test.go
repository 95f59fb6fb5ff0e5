package exchange

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server/servertest"
)

// memStore is the project's in-memory annotation.Store (servertest) with
// a count of Import calls and a clock the tests move.
type memStore struct {
	*servertest.Store
	imports int // calls to Import
	now     time.Time
}

var _ annotation.Store = (*memStore)(nil)

func newMemStore() *memStore {
	m := &memStore{Store: servertest.NewStore(), now: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)}
	m.Store.Now = func() time.Time { return m.now }
	return m
}

// Import counts the call and imports.
func (m *memStore) Import(ctx context.Context, arts []*annotation.Article, anns []*annotation.Annotation) error {
	m.imports++
	return m.Store.Import(ctx, arts, anns)
}

// snapshot returns everything st holds as JSON, for "nothing changed"
// assertions.
func snapshot(t testing.TB, st annotation.Store) string {
	t.Helper()
	ctx := context.Background()
	sums, err := st.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range sums {
		a, err := st.Article(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		anns, err := st.Annotations(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Speaker ids are made by each store: compare the identity's name.
		for _, an := range anns {
			if sp, ok := st.(annotation.SpeakerStore); ok && an.SpeakerID != "" {
				who, err := sp.Speaker(ctx, an.SpeakerID)
				if err != nil {
					t.Fatalf("speaker of %s: %v", an.ID, err)
				}
				an.SpeakerID = "speaker named " + who.Name
			}
		}
		j, _ := json.Marshal(struct {
			A *annotation.Article
			N []*annotation.Annotation
		}{a, anns})
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}
