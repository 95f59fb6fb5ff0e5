package pgstore

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// The tests below run several Stores on one database, as several
// claimmark servers would, and check what the bbolt store gets from its
// single writer: If-Match checks, unique URLs and owners, and a change
// log that a follower reads without missing an entry.

// openTwo opens two stores (two "servers", readers a and b) on one fresh
// database.
func openTwo(t *testing.T) (a, b *Store) {
	t.Helper()
	url := newURL(t)
	ctx := context.Background()
	var err error
	if a, err = Open(ctx, url, Options{Reader: "a"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if b, err = Open(ctx, url, Options{Reader: "b"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}

// mustArticle creates an article with a text unique by tag.
func mustArticle(t *testing.T, st *Store, tag string) *annotation.Article {
	t.Helper()
	a := &annotation.Article{Title: "Story " + tag, Text: "The mayor said the bridge will open in May. (" + tag + ")"}
	if _, err := st.CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// claim returns a new claim on "the bridge will open" of art.
func claim(art *annotation.Article, note string) *annotation.Annotation {
	return &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim, Note: note, Speaker: "The mayor",
		Target: annotation.Target{Quote: annotation.Quote{Exact: "the bridge will open"}, Position: annotation.Position{Start: 15, End: 35}}}
}

func TestServersIfMatchOneWins(t *testing.T) {
	a, b := openTwo(t)
	ctx := context.Background()
	art := mustArticle(t, a, "ifmatch")
	first := claim(art, "first")
	if _, err := a.PutAnnotation(ctx, first, ""); err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		st := []*Store{a, b}[i%2]
		go func() {
			edit := *first
			edit.Note = fmt.Sprintf("edit %d", i)
			_, err := st.PutAnnotation(ctx, &edit, annotation.ETag(first.Revision))
			errs <- err
		}()
	}
	won := 0
	for range n {
		switch err := <-errs; annotation.ErrorCode(err) {
		case "":
			won++
		case annotation.PreconditionFailed:
		default:
			t.Errorf("PutAnnotation: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d edits with If-Match of revision 1 succeeded, want exactly 1", won)
	}
	if got, err := b.Annotation(ctx, first.ID); err != nil || got.Revision != 2 {
		t.Errorf("after the race: %+v, %v; want revision 2", got, err)
	}
}

func TestServersDuplicateArticleOneWins(t *testing.T) {
	a, b := openTwo(t)
	ctx := context.Background()
	const n = 8
	type result struct {
		id, existing string
		err          error
	}
	results := make(chan result, n)
	for i := range n {
		st := []*Store{a, b}[i%2]
		go func() {
			art := &annotation.Article{Title: "Same", URL: "https://example.com/same", Text: fmt.Sprintf("Text %d.", i)}
			existing, err := st.CreateArticle(ctx, art)
			results <- result{art.ID, existing, err}
		}()
	}
	var winner string
	var conflicts []string
	for range n {
		r := <-results
		switch annotation.ErrorCode(r.err) {
		case "":
			if winner != "" {
				t.Errorf("two articles with one URL: %s and %s", winner, r.id)
			}
			winner = r.id
		case annotation.Conflict:
			conflicts = append(conflicts, r.existing)
		default:
			t.Errorf("CreateArticle: %v", r.err)
		}
	}
	for _, id := range conflicts {
		if id != winner {
			t.Errorf("a conflict names %q, want the stored article %q", id, winner)
		}
	}
	if list, err := a.Articles(ctx); err != nil || len(list) != 1 {
		t.Errorf("Articles = %d, %v; want 1", len(list), err)
	}
}

func TestServersLastOwnerStays(t *testing.T) {
	a, b := openTwo(t)
	ctx := context.Background()
	alice, bob := &annotation.User{Username: "alice"}, &annotation.User{Username: "bob"}
	for _, u := range []*annotation.User{alice, bob} {
		if _, err := a.CreateUser(ctx, u, "h"); err != nil {
			t.Fatal(err)
		}
	}
	g := &annotation.Group{Name: "Desk"}
	if err := a.PutGroup(ctx, g, alice.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: annotation.Owner}); err != nil {
		t.Fatal(err)
	}
	// Each owner demotes the other at once, on another server.
	errs := make(chan error, 2)
	go func() {
		errs <- a.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: bob.ID, Role: annotation.Editor})
	}()
	go func() {
		errs <- b.PutMember(ctx, &annotation.Member{GroupID: g.ID, UserID: alice.ID, Role: annotation.Editor})
	}()
	for range 2 {
		if err := <-errs; err != nil && annotation.ErrorCode(err) != annotation.Conflict {
			t.Errorf("PutMember: %v", err)
		}
	}
	members, err := b.Members(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(members, func(m annotation.Member) bool { return m.Role == annotation.Owner }) {
		t.Errorf("no owner left: %+v", members)
	}
}

// TestServersChangeLogMissesNothing has writers on two stores save
// annotations while a follower reads the log in small pages, as an index
// does: it must see every save, in increasing sequence order, although
// transactions commit in another order than they began.
func TestServersChangeLogMissesNothing(t *testing.T) {
	a, b := openTwo(t)
	ctx := context.Background()
	art := mustArticle(t, a, "log")
	const writers, saves = 8, 15
	var wg sync.WaitGroup
	saved := make(chan string, writers*saves)
	for w := range writers {
		st := []*Store{a, b}[w%2]
		wg.Go(func() {
			for i := range saves {
				c := claim(art, fmt.Sprintf("w%d s%d", w, i))
				if _, err := st.PutAnnotation(ctx, c, ""); err != nil {
					t.Error(err)
					return
				}
				saved <- c.ID
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[string]bool{}
	var pos uint64
	follow := func() {
		for {
			ch, _, err := b.Changes(ctx, pos, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(ch) == 0 {
				return
			}
			for _, c := range ch {
				if c.Seq <= pos {
					t.Fatalf("change %d after position %d", c.Seq, pos)
				}
				pos = c.Seq
				seen[c.AnnotationID] = true
			}
		}
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		follow()
	}
	follow()
	close(saved)
	n := 0
	for id := range saved {
		n++
		if !seen[id] {
			t.Errorf("the follower never saw the save of %s", id)
		}
	}
	if n != writers*saves {
		t.Errorf("%d saves, want %d", n, writers*saves)
	}
}

func TestServersTrimWaitsForEveryReader(t *testing.T) {
	a, b := openTwo(t)
	ctx := context.Background()
	art := mustArticle(t, a, "trim")
	for i := range 3 {
		if _, err := a.PutAnnotation(ctx, claim(art, fmt.Sprint(i)), ""); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		ch, _, err := a.Changes(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(ch)
	}
	if err := a.TrimChanges(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 3 {
		t.Errorf("after reader a trimmed to 3: %d changes left, want 3 (b has applied none)", n)
	}
	if err := b.TrimChanges(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Errorf("after reader b trimmed to 2: %d changes left, want 1", n)
	}
	// A reader that starts later holds trimming at the point it came in.
	c, err := Open(ctx, a.pool.Config().ConnString(), Options{Reader: "c"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := a.TrimChanges(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if err := b.TrimChanges(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Errorf("with reader c registered at 2: %d changes left, want 1", n)
	}
}

func TestListen(t *testing.T) {
	a, b := openTwo(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	notes := make(chan uint64, 16)
	done := make(chan error, 1)
	go func() { done <- b.Listen(ctx, 10*time.Millisecond, func(seq uint64) { notes <- seq }) }()
	if seq := <-notes; seq != 0 {
		t.Fatalf("first notification %d, want 0 (read the log now)", seq)
	}
	art := mustArticle(t, a, "listen")
	for i := range 2 {
		if _, err := a.PutAnnotation(ctx, claim(art, fmt.Sprint(i)), ""); err != nil {
			t.Fatal(err)
		}
		if seq := <-notes; seq != uint64(i+1) {
			t.Errorf("notification %d after save %d, want %d", seq, i+1, i+1)
		}
	}
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Listen returned %v after cancel, want context.Canceled", err)
	}
}

// TestListenReconnects restarts PostgreSQL under a listener: it must
// listen again and say so with notify(0), and hear later writes.
func TestListenReconnects(t *testing.T) {
	a, b := openTwo(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	notes := make(chan uint64, 16)
	go b.Listen(ctx, 10*time.Millisecond, func(seq uint64) { notes <- seq })
	<-notes
	if err := cluster.Restart(); err != nil {
		t.Fatal(err)
	}
	if seq := <-notes; seq != 0 {
		t.Fatalf("after the restart: notification %d, want 0", seq)
	}
	art := mustArticle(t, a, "restart")
	if _, err := a.PutAnnotation(ctx, claim(art, "after"), ""); err != nil {
		t.Fatal(err)
	}
	if seq := <-notes; seq != 1 {
		t.Errorf("notification %d, want 1", seq)
	}
}

// TestServersSurvivePostgresRestart has writers on two stores save while
// PostgreSQL restarts, each retrying a failed save with the same id, as
// a client does: afterwards every save is stored once, and the change
// log holds each.
func TestServersSurvivePostgresRestart(t *testing.T) {
	a, b := openTwo(t)
	ctx := context.Background()
	art := mustArticle(t, a, "restart")
	const writers, saves = 6, 40
	var wg sync.WaitGroup
	var ids sync.Map
	restarted := make(chan struct{})
	for w := range writers {
		st := []*Store{a, b}[w%2]
		wg.Go(func() {
			for i := range saves {
				if w == 0 && i == saves/2 {
					if err := cluster.Restart(); err != nil {
						t.Error(err)
					}
					close(restarted)
				}
				c := claim(art, fmt.Sprintf("w%d s%d", w, i))
				deadline := time.Now().Add(30 * time.Second)
				for {
					_, err := st.PutAnnotation(ctx, c, "")
					if err == nil {
						break
					}
					if time.Now().After(deadline) {
						t.Errorf("save %s failed for 30 s: %v", c.ID, err)
						return
					}
					time.Sleep(10 * time.Millisecond)
				}
				ids.Store(c.ID, true)
			}
		})
	}
	wg.Wait()
	<-restarted
	anns, err := b.Annotations(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for _, x := range anns {
		stored[x.ID]++
	}
	logged := map[string]bool{}
	ch, _, err := a.Changes(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range ch {
		logged[c.AnnotationID] = true
	}
	n := 0
	ids.Range(func(k, _ any) bool {
		n++
		id := k.(string)
		if stored[id] != 1 || !logged[id] {
			t.Errorf("save %s: stored %d times, logged %v", id, stored[id], logged[id])
		}
		return true
	})
	if n != writers*saves || len(anns) != n {
		t.Errorf("%d saves acknowledged, %d annotations stored; want %d", n, len(anns), writers*saves)
	}
}

// TestReadsAfterPostgresRestart fills the pool, restarts PostgreSQL and
// checks that reads on the stale pooled connections are tried again on
// fresh ones instead of failing.
func TestReadsAfterPostgresRestart(t *testing.T) {
	st := mustOpen(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range DefaultMaxConns {
		wg.Go(func() {
			if _, err := st.pool.Exec(ctx, "SELECT pg_sleep(0.05)"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := cluster.Restart(); err != nil {
		t.Fatal(err)
	}
	for i := range DefaultMaxConns + 2 {
		if _, err := st.Session(ctx, "nope", time.Now()); annotation.ErrorCode(err) != annotation.NotFound {
			t.Fatalf("Session %d after the restart: %v, want NotFound", i, err)
		}
		if _, err := st.Annotation(ctx, "nope"); annotation.ErrorCode(err) != annotation.NotFound {
			t.Fatalf("Annotation %d after the restart: %v, want NotFound", i, err)
		}
		if _, _, err := st.Changes(ctx, 0, 0); err != nil {
			t.Fatalf("Changes %d after the restart: %v", i, err)
		}
	}
}
