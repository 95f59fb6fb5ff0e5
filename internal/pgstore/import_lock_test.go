package pgstore

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
)

// TestImportsLockInOneOrder runs two checked imports that cross: A
// rewrites article X and imports an annotation on Y, B rewrites Y and
// imports an annotation on X. Another transaction holds X until both
// imports wait for it, so that they start together. Taking their rows as
// they met them, A held X and waited for Y while B held Y and waited for
// X: PostgreSQL failed one of them as a deadlock and it ran again. Both
// must succeed at their first try.
func TestImportsLockInOneOrder(t *testing.T) {
	ctx := context.Background()
	url := newURL(t)
	st, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	x := &annotation.Article{Title: "X", Text: fastText}
	y := &annotation.Article{Title: "Y", Text: fastText + " Talks resume on Monday."}
	for _, a := range []*annotation.Article{x, y} {
		if _, err := st.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}

	holder, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	tx, err := holder.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT 1 FROM articles WHERE id = $1 FOR UPDATE", x.ID); err != nil {
		t.Fatal(err)
	}
	var checks atomic.Int32
	check := func(_, _ *annotation.Annotation, _ string, _ bool) error {
		checks.Add(1)
		return nil
	}
	imp := func(rewrite *annotation.Article, on *annotation.Article, text string) chan error {
		done := make(chan error, 1)
		art := *rewrite
		art.Title += " (imported)"
		ann := claimOn(text, on.ID, "The Minister")
		go func() {
			done <- st.ImportChecked(ctx, []*annotation.Article{&art}, []*annotation.Annotation{ann}, check, nil)
		}()
		return done
	}
	a := imp(x, y, y.Text)
	waitLocks(t, url, 1)
	b := imp(y, x, x.Text)
	waitLocks(t, url, 2)
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for name, done := range map[string]chan error{"A": a, "B": b} {
		if err := <-done; err != nil {
			t.Errorf("import %s: %v", name, err)
		}
	}
	if n := checks.Load(); n != 2 {
		t.Errorf("the imports' checks ran %d times, want 2", n)
	}
	if n := st.retries.Load(); n != 0 {
		t.Errorf("the imports' transactions ran again %d times, want 0 (a deadlock)", n)
	}
}

// waitLocks waits until at least n transactions on url's database wait
// for a lock.
func waitLocks(t *testing.T, url string, n int) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	deadline := time.Now().Add(30 * time.Second)
	for {
		var got int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&got)
		if err != nil {
			t.Fatal(err)
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d transactions wait for a lock after 30 s, want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
