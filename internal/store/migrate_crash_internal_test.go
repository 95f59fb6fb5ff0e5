package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// The child process of TestMigrationKilledLosesNothing opens the file
// named by envMigrateChild, killing itself (SIGKILL) when migrateCounts
// has moved the counts of envKillAt articles (0: it is killed from
// outside, or finishes).
const (
	envMigrateChild = "CLAIMMARK_STORE_MIGRATE_CHILD"
	envKillAt       = "CLAIMMARK_STORE_KILL_AT"
)

// TestMigrationChild is the child of TestMigrationKilledLosesNothing; it
// does nothing in a normal run.
func TestMigrationChild(t *testing.T) {
	path := os.Getenv(envMigrateChild)
	if path == "" {
		t.Skip("run by TestMigrationKilledLosesNothing")
	}
	killAt, _ := strconv.Atoi(os.Getenv(envKillAt))
	db, err := open(path, Options{}, openHooks{countsMoved: func(n int) {
		if n == killAt {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestMigrationKilledLosesNothing kills a process while Open migrates a
// file of schema "1" (counts in their own bucket) to the current schema: at
// chosen points of migrateCounts, and at random times from outside.
// After each kill the file holds one layout or the other, whole, with the
// counts unchanged; a last Open migrates it and answers as before.
func TestMigrationKilledLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	const articles = 2000
	path := filepath.Join(t.TempDir(), "claimmark.db")
	want := schema1File(t, path, articles)

	run := func(killAt int, killAfter time.Duration) error {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMigrationChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envMigrateChild+"="+path, fmt.Sprintf("%s=%d", envKillAt, killAt))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if killAfter > 0 {
			timer := time.AfterFunc(killAfter, func() { _ = cmd.Process.Kill() })
			defer timer.Stop()
		}
		err := cmd.Wait()
		var exit *exec.ExitError
		if err != nil && !(errors.As(err, &exit) && !exit.Exited()) {
			t.Fatalf("child: %v\n%s", err, out.Bytes())
		}
		return err // nil when it finished, an ExitError when killed
	}
	for _, at := range []int{1, articles / 2, articles} {
		if err := run(at, 0); err == nil {
			t.Fatalf("the child killed after moving %d counts finished", at)
		}
		if got, migrated := countsIn(t, path); migrated || !maps.Equal(got, want) {
			t.Fatalf("killed after moving %d counts: migrated %v, counts %v; want the file unchanged", at, migrated, got)
		}
	}
	// Kills from outside at random times over a whole run of the child,
	// each on a copy of the unmigrated file.
	pristine, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := run(0, 0); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	r := rand.New(rand.NewPCG(7, 7))
	outcomes := map[bool]int{}
	for range 8 {
		if err := os.WriteFile(path, pristine, 0o600); err != nil {
			t.Fatal(err)
		}
		_ = run(0, took/2+time.Duration(r.Int64N(int64(took/2)))+1) // Open comes late in a run
		got, migrated := countsIn(t, path)
		outcomes[migrated]++
		if !maps.Equal(got, want) {
			t.Fatalf("after a kill at a random time: counts %v, want %v", got, want)
		}
	}
	t.Logf("a run of the child took %v; killed at random times, it left %d files migrated, %d not", took, outcomes[true], outcomes[false])

	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sums, err := db.Articles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range sums {
		got[s.ID] = countsJSON(t, s.Counts)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("Articles after the migration: counts %v, want %v", got, want)
	}
	if _, migrated := countsIn(t, path); !migrated {
		t.Error("the last Open did not migrate the file")
	}
}

// TestMigrationTornLosesNothing makes the file of a process killed after
// the migration's commit wrote its pages but before it wrote the meta
// page: it migrates a copy of a file of schema "1" and writes the
// unmigrated file's two meta pages back over it. The file then reads as
// schema "1", whole, with the counts unchanged, and Open migrates it
// again.
func TestMigrationTornLosesNothing(t *testing.T) {
	const articles = 300
	path := filepath.Join(t.TempDir(), "claimmark.db")
	want := schema1File(t, path, articles)
	pristine, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	pageSize := bdb.Info().PageSize
	if err := bdb.Close(); err != nil {
		t.Fatal(err)
	}

	// Migrate, and close bbolt without DB.Close's commit of the free-page
	// list: the file holds the migration's commit and nothing after it.
	db, err := open(path, Options{}, openHooks{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.bolt.Close(); err != nil {
		t.Fatal(err)
	}
	if _, migrated := countsIn(t, path); !migrated {
		t.Fatal("Open did not migrate the file")
	}
	if migrated, err := os.ReadFile(path); err != nil {
		t.Fatal(err)
	} else if bytes.Equal(migrated[2*pageSize:], pristine[2*pageSize:]) {
		t.Fatal("the migration wrote no page but the meta pages")
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(pristine[:2*pageSize], 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	got, migrated := countsIn(t, path)
	if migrated || !maps.Equal(got, want) {
		t.Fatalf("with the old meta pages: migrated %v, counts %v; want schema \"1\" and %v", migrated, got, want)
	}
	checkFile(t, path)
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sums, err := db.Articles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got = map[string]string{}
	for _, s := range sums {
		got[s.ID] = countsJSON(t, s.Counts)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Errorf("Articles after the second migration: counts %v, want %v", got, want)
	}
	if _, migrated := countsIn(t, path); !migrated {
		t.Error("Open did not migrate the file again")
	}
	checkFile(t, path)
}

// checkFile fails the test when bbolt's consistency check of the file
// at path finds a fault (a page reached twice, a freed page in use, a
// page past the end).
func checkFile(t *testing.T, path string) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.View(func(tx *bolt.Tx) error {
		var first error
		for err := range tx.Check() { // read to the end: Check's goroutine sends every fault
			first = cmp.Or(first, err)
		}
		return first
	})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// schema1File writes a file of schema "1" at path with n articles, each
// with a few annotations, and returns the JSON counts of each article. It
// stores them with this store and then moves the counts back into a
// counts bucket, as schema "1" kept them.
func schema1File(t *testing.T, path string, n int) map[string]string {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const text = "The minister said the talks were productive. Critics denied any deal was near."
	var arts []*annotation.Article
	var anns []*annotation.Annotation
	for i := range n {
		a := &annotation.Article{ID: fmt.Sprintf("art-%05d", i), Title: "Talks", Text: fmt.Sprintf("%s (%d)", text, i)}
		a.TextHash = annotation.HashText(a.Text)
		a.Created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		a.Updated, a.Version = a.Created, 1
		arts = append(arts, a)
		for j := range 1 + i%4 {
			anns = append(anns, &annotation.Annotation{
				ID: annotation.NewID(), ArticleID: a.ID, Kind: annotation.Kinds[(i+j)%3],
				Target: annotation.Target{Quote: annotation.Quote{Exact: "talks"}, Position: annotation.Position{Start: 22, End: 27}},
			})
		}
	}
	if err := db.Import(context.Background(), arts, anns); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	want := map[string]string{}
	err = bdb.Update(func(tx *bolt.Tx) error {
		counts, err := tx.CreateBucket(bucketCounts)
		if err != nil {
			return err
		}
		b := tx.Bucket(bucketByArticle)
		var keys [][]byte
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if k[len(k)-1] == countsMark {
				id := k[:len(k)-2]
				want[string(id)] = string(v)
				if err := counts.Put(bytes.Clone(id), bytes.Clone(v)); err != nil {
					return err
				}
				keys = append(keys, bytes.Clone(k))
			}
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != n {
		t.Fatalf("%d articles with counts, want %d", len(want), n)
	}
	return want
}

// countsIn returns the JSON counts of each article in the file at path,
// and whether it has been migrated; it fails the test when the file
// holds a mixture of the two layouts.
func countsIn(t *testing.T, path string) (map[string]string, bool) {
	t.Helper()
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	got := map[string]string{}
	var migrated bool
	err = bdb.View(func(tx *bolt.Tx) error {
		version := string(tx.Bucket(bucketMeta).Get(keySchema))
		counts := tx.Bucket(bucketCounts)
		marks := map[string]string{}
		err := tx.Bucket(bucketByArticle).ForEach(func(k, v []byte) error {
			if k[len(k)-1] == countsMark {
				marks[string(k[:len(k)-2])] = string(v)
			}
			return nil
		})
		if err != nil {
			return err
		}
		switch {
		case version == "1" && counts != nil && len(marks) == 0:
			return counts.ForEach(func(k, v []byte) error {
				got[string(k)] = string(v)
				return nil
			})
		case version == schemaVersion && counts == nil:
			got, migrated = marks, true
			return nil
		}
		return fmt.Errorf("a mixed layout: schema %q, counts bucket %v, %d counts in byarticle", version, counts != nil, len(marks))
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, migrated
}

// countsJSON returns c as the store writes it.
func countsJSON(t *testing.T, c annotation.Counts) string {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
