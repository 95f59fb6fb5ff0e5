package pgstore

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/annotation/storetest"
	"claimmark/internal/pgstore/pgtest"
)

// cluster is the test binary's PostgreSQL, nil when it is not installed.
var cluster *pgtest.Cluster

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &cluster)) }

// template is a database with the whole schema, which each test's
// database copies (faster than migrating each one).
var template struct {
	once sync.Once
	err  error
}

const templateName = "claimmark_template"

// newURL returns the URL of a fresh database with the schema applied.
func newURL(t testing.TB) string {
	t.Helper()
	if cluster == nil {
		t.Skip(pgtest.SkipMessage)
	}
	template.once.Do(func() {
		ctx := context.Background()
		if template.err = cluster.CreateDatabase(ctx, templateName, ""); template.err != nil {
			return
		}
		var st *Store
		if st, template.err = Open(ctx, cluster.URL(templateName), Options{}); template.err == nil {
			template.err = st.Close()
		}
	})
	if template.err != nil {
		t.Fatal(template.err)
	}
	return cluster.NewDatabase(t, templateName)
}

// mustOpen opens a store on a fresh database, closed when the test ends.
func mustOpen(t testing.TB) *Store {
	t.Helper()
	st, err := Open(context.Background(), newURL(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestContract runs the annotation.Store contract suite on PostgreSQL.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) annotation.Store { return mustOpen(t) })
}

// TestOpenBadURL checks that a database that cannot be reached gives an
// error that says what to check.
func TestOpenBadURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://nobody@/nowhere?host=/nonexistent-dir&connect_timeout=2", Options{})
	if err == nil {
		t.Fatal("Open on a missing server succeeded")
	}
	if want := "is PostgreSQL running"; !contains(err.Error(), want) {
		t.Errorf("Open error %q does not say %q", err, want)
	}
	if _, err := Open(ctx, "postgres://%zz", Options{}); err == nil || !contains(err.Error(), "not valid") {
		t.Errorf("Open(bad URL) = %v, want an error saying the URL is not valid", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
