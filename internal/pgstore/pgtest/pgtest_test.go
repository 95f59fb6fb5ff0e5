package pgtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/pgstore/pgtest"
)

var cluster *pgtest.Cluster

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &cluster)) }

// TestNewDatabase checks that each test gets its own database, copied
// from a template, and that the server answers on it.
func TestNewDatabase(t *testing.T) {
	ctx := context.Background()
	if cluster == nil {
		t.Skip(pgtest.SkipMessage)
	}
	if err := cluster.CreateDatabase(ctx, "tmpl", ""); err != nil {
		t.Fatal(err)
	}
	if err := cluster.Exec(ctx, "tmpl", "CREATE TABLE marker (n int); INSERT INTO marker VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	a, b := cluster.NewDatabase(t, "tmpl"), cluster.NewDatabase(t, "tmpl")
	if a == b {
		t.Fatalf("two databases share the URL %s", a)
	}
	for _, url := range []string{a, b} {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := conn.QueryRow(ctx, "SELECT n FROM marker").Scan(&n); err != nil || n != 42 {
			t.Errorf("%s: marker = %d, %v; want 42 from the template", url, n, err)
		}
		if _, err := conn.Exec(ctx, "INSERT INTO marker VALUES (1)"); err != nil {
			t.Error(err)
		}
		conn.Close(ctx)
	}
	var n int
	conn, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM marker").Scan(&n); err != nil || n != 2 {
		t.Errorf("count in the second database = %d, %v; want 2 (its own insert only)", n, err)
	}
}

// TestSetFsyncAndCPU checks that fsync can be switched for benchmarks and
// that the server's CPU time is readable and grows with work.
func TestSetFsyncAndCPU(t *testing.T) {
	if cluster == nil {
		t.Skip(pgtest.SkipMessage)
	}
	ctx := context.Background()
	show := func() string {
		conn, err := pgx.Connect(ctx, cluster.URL("postgres"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var v string
		if err := conn.QueryRow(ctx, "SHOW fsync").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := show(); v != "off" {
		t.Errorf("a test cluster has fsync %s, want off", v)
	}
	if err := cluster.SetFsync(ctx, true); err != nil {
		t.Fatal(err)
	}
	if v := show(); v != "on" {
		t.Errorf("after SetFsync(true): fsync %s", v)
	}
	if err := cluster.SetFsync(ctx, false); err != nil {
		t.Fatal(err)
	}
	before, err := cluster.CPU()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, cluster.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT count(*) FROM generate_series(1, 3000000)"); err != nil {
		t.Fatal(err)
	}
	after, err := cluster.CPU()
	if err != nil {
		t.Fatal(err)
	}
	if after <= before {
		t.Errorf("CPU %v before and %v after counting to 3 million", before, after)
	}
}
