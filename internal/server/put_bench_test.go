package server_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/store"
)

// benchmarkPutAs measures PUT /api/annotations/{id} as claimbench's
// clients make it: an editor with a bearer token saving a new annotation
// on an article of their group, through the whole handler (host check,
// origin check, authentication, decode, authorisation, store, answer)
// but without the network.
func benchmarkPutAs(b *testing.B, be backend) {
	tm := newTeamOn(b, be)
	a := tm.ann("", tm.artD, "talks had stalled", annotation.Claim, "The minister", editor, annotation.VisibleToGroup)
	a.Creator = ""
	putLoop(b, tm.h, a, "Bearer "+tm.tokens[editor])
}

// BenchmarkPutAnnotationTokenMemory is benchmarkPutAs over the in-memory
// store: the request side's own cost with accounts.
func BenchmarkPutAnnotationTokenMemory(b *testing.B) { benchmarkPutAs(b, memory) }

// BenchmarkPutAnnotationTokenReal is benchmarkPutAs over bbolt and bleve,
// as claimmark serve runs.
func BenchmarkPutAnnotationTokenReal(b *testing.B) { benchmarkPutAs(b, realBackend) }

// BenchmarkPutAnnotationTokenHTTP is benchmarkPutAs with accounts on bbolt
// (a token and caller cached between requests, as in claimmark serve) and
// a store that checks each write but keeps nothing (checkOnly): the cost
// of the request side alone.
func BenchmarkPutAnnotationTokenHTTP(b *testing.B) { benchmarkPutAs(b, requestSide) }

// requestSide is the backend of BenchmarkPutAnnotationTokenHTTP: bbolt for
// accounts and articles, and checkOnly over it for the server's writes.
func requestSide(tb testing.TB, _ func() time.Time) (annotation.Store, annotation.AccountStore, server.Config) {
	db, err := store.Open(filepath.Join(tb.TempDir(), "claimmark.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, db, server.Config{Store: &checkOnly{DB: db}, Accounts: db}
}

// checkOnly is a store whose PutAnnotationChecked runs the write's check
// (the annotation new, its article's group read once per article) and
// answers as a store would for a new annotation, without writing.
type checkOnly struct {
	*store.DB
	groups sync.Map // article id → group id
}

func (s *checkOnly) PutAnnotationChecked(ctx context.Context, a *annotation.Annotation, _ string, check annotation.WriteCheck) (bool, error) {
	g, ok := s.groups.Load(a.ArticleID)
	if !ok {
		art, err := s.Article(ctx, a.ArticleID)
		if err != nil {
			return false, err
		}
		g, _ = s.groups.LoadOrStore(a.ArticleID, art.GroupID)
	}
	if err := check(a, nil, g.(string), true); err != nil {
		return false, err
	}
	a.Revision, a.Created, a.Modified = 1, time.Now().UTC(), time.Now().UTC()
	return true, nil
}
