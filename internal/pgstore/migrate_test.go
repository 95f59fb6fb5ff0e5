package pgstore

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
	"claimmark/internal/pgstore/pgtest"
)

// TestMigrations checks the embedded migrations: numbered from 1 without
// gaps, and the schema version is their count.
func TestMigrations(t *testing.T) {
	list, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 2 || SchemaVersion() != len(list) {
		t.Fatalf("%d migrations, SchemaVersion %d", len(list), SchemaVersion())
	}
	for i, m := range list {
		if m.version != i+1 || m.name == "" || strings.TrimSpace(m.sql) == "" {
			t.Errorf("migration %d: %+v", i, m)
		}
	}
}

// appliedVersions returns the versions recorded in schema_migrations.
func appliedVersions(t *testing.T, url string) []int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, "SELECT version FROM schema_migrations ORDER BY version")
	v, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMigrateFromEachVersion opens an empty database, and databases left
// at each earlier schema version with data in them, and checks that Open
// brings each to the current version, keeping the data and giving a
// working store.
func TestMigrateFromEachVersion(t *testing.T) {
	if cluster == nil {
		t.Skip(pgtest.SkipMessage)
	}
	ctx := context.Background()
	for from := 0; from < SchemaVersion(); from++ {
		t.Run(fmt.Sprintf("from version %d", from), func(t *testing.T) {
			url := cluster.NewDatabase(t, "")
			var art *annotation.Article
			var ann *annotation.Annotation
			if from > 0 {
				st, err := open(ctx, url, Options{}, from)
				if err != nil {
					t.Fatal(err)
				}
				if got := appliedVersions(t, url); len(got) != from {
					t.Fatalf("after migrating to %d: versions %v", from, got)
				}
				art = &annotation.Article{Title: "Old", Text: "An old text that someone annotated."}
				if _, err := st.CreateArticle(ctx, art); err != nil {
					t.Fatal(err)
				}
				ann = &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim,
					Target: annotation.Target{Quote: annotation.Quote{Exact: "old text"}, Position: annotation.Position{Start: 3, End: 11}}}
				if _, err := st.PutAnnotation(ctx, ann, ""); err != nil {
					t.Fatal(err)
				}
				st.Close()
			}
			st, err := Open(ctx, url, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if got := appliedVersions(t, url); len(got) != SchemaVersion() {
				t.Errorf("versions after Open: %v, want 1 to %d", got, SchemaVersion())
			}
			if ann != nil {
				got, err := st.Annotation(ctx, ann.ID)
				if err != nil || got.Revision != 1 || got.Target.Quote.Exact != "old text" {
					t.Errorf("annotation from version %d: %+v, %v", from, got, err)
				}
				ch, last, err := st.Changes(ctx, 0, 0)
				if err != nil || len(ch) != 1 || last != 1 {
					t.Errorf("change log from version %d: %v, last %d, %v", from, ch, last, err)
				}
			}
			u := &annotation.User{Username: "alice"}
			if _, err := st.CreateUser(ctx, u, "h"); err != nil {
				t.Errorf("CreateUser after migrating from %d: %v", from, err)
			}
			// A second Open finds nothing to do.
			again, err := Open(ctx, url, Options{})
			if err != nil {
				t.Fatal(err)
			}
			again.Close()
			if got := appliedVersions(t, url); len(got) != SchemaVersion() {
				t.Errorf("versions after a second Open: %v", got)
			}
		})
	}
}

// TestMigrateRefusesNewerSchema checks that a claimmark does not run on a
// database that a newer claimmark has migrated further.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	url := newURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, 'future')", SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	_, err = Open(ctx, url, Options{})
	if err == nil || !strings.Contains(err.Error(), "upgrade claimmark") {
		t.Errorf("Open on a newer schema = %v, want an error saying to upgrade claimmark", err)
	}
}

// TestMigrateConcurrentOpens checks that servers starting together on an
// empty database apply each migration once and all start.
func TestMigrateConcurrentOpens(t *testing.T) {
	if cluster == nil {
		t.Skip(pgtest.SkipMessage)
	}
	url := cluster.NewDatabase(t, "")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			st, err := Open(context.Background(), url, Options{})
			if err == nil {
				st.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if got := appliedVersions(t, url); len(got) != SchemaVersion() {
		t.Errorf("versions: %v", got)
	}
}
