// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb
// and pg_ctl in a temporary directory, listening only on a Unix socket
// there, run as an unprivileged user (the postgres system user when the
// tests run as root, since PostgreSQL refuses to run as root). One cluster
// serves a whole test binary (start it in TestMain with Main); each test
// gets a fresh database (NewDatabase), cloned from a template.
//
// Where PostgreSQL is not installed, Main still runs the tests and
// NewDatabase skips them with a message saying so.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// SkipMessage is what tests say when they skip for want of PostgreSQL.
const SkipMessage = "PostgreSQL is not installed: skipping the PostgreSQL store tests"

// Cluster is a running PostgreSQL server in a temporary directory. A nil
// *Cluster stands for "PostgreSQL is not installed": NewDatabase skips.
type Cluster struct {
	dir  string // temporary directory: data/, the socket, the log
	bin  string // directory of initdb and pg_ctl
	cred *syscall.Credential
	seq  atomic.Int64 // numbers the databases NewDatabase makes
}

// ErrNotInstalled is returned by Start when initdb cannot be found.
var ErrNotInstalled = errors.New("pgtest: initdb not found in PATH nor in /usr/lib/postgresql/*/bin")

// FindBin returns the directory that holds initdb and pg_ctl: initdb's
// directory when it is in PATH, else the newest /usr/lib/postgresql/N/bin
// (where Debian puts them), else ErrNotInstalled.
func FindBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	if len(dirs) > 0 {
		return filepath.Dir(dirs[0]), nil
	}
	return "", ErrNotInstalled
}

// version returns N of /usr/lib/postgresql/N/bin/initdb, 0 if none.
func version(path string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(path))))
	return n
}

// Main starts a cluster, stores it in *c, runs the tests and stops the
// cluster; it returns the exit code for os.Exit. When PostgreSQL is not
// installed it says so, leaves *c nil and runs the tests (which skip).
// Any other failure to start is fatal: exit code 1.
func Main(m *testing.M, c **Cluster) int {
	cl, err := Start()
	switch {
	case errors.Is(err, ErrNotInstalled):
		fmt.Fprintln(os.Stderr, SkipMessage)
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	*c = cl
	code := m.Run()
	if cl != nil {
		if err := cl.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = max(code, 1)
		}
	}
	return code
}

// Start creates a cluster in a new temporary directory and starts it,
// listening on a Unix socket in that directory only. It returns
// ErrNotInstalled when initdb cannot be found.
func Start() (_ *Cluster, err error) {
	bin, err := FindBin()
	if err != nil {
		return nil, err
	}
	cleanStale(bin)
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	c := &Cluster{dir: dir, bin: bin}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	defer func() {
		if err != nil {
			_ = c.run("pg_ctl", "-D", c.data(), "-m", "immediate", "stop")
			_ = os.RemoveAll(dir)
		}
	}()
	if os.Geteuid() == 0 {
		if c.cred, err = postgresUser(); err != nil {
			return nil, err
		}
		if err := os.Chown(dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return nil, fmt.Errorf("pgtest: %w", err)
		}
	}
	if err := c.run("initdb", "-D", c.data(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return nil, err
	}
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -c max_connections=200", dir)
	if err := c.run("pg_ctl", "-D", c.data(), "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	// fsync off: a test cluster need not survive a machine crash, and
	// the tests run faster without it. Benchmarks turn it on (SetFsync).
	if err := c.SetFsync(context.Background(), false); err != nil {
		return nil, err
	}
	return c, nil
}

// SetFsync turns fsync on (durable commits, as in production) or off,
// for the whole cluster, at once.
func (c *Cluster) SetFsync(ctx context.Context, on bool) error {
	v := "off"
	if on {
		v = "on"
	}
	if err := c.Exec(ctx, "postgres", "ALTER SYSTEM SET fsync = "+v); err != nil {
		return err
	}
	return c.Exec(ctx, "postgres", "SELECT pg_reload_conf()")
}

// CPU returns the CPU time (user and system) used so far by the server's
// processes that are running: the postmaster and its children (the
// connection backends, the WAL writer, …). Differences of two readings
// measure the server's work in between, while its connections stay open.
func (c *Cluster) CPU() (time.Duration, error) {
	data, err := os.ReadFile(filepath.Join(c.data(), "postmaster.pid"))
	if err != nil {
		return 0, fmt.Errorf("pgtest: %w", err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	root, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return 0, fmt.Errorf("pgtest: postmaster.pid: %w", err)
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, p := range stats {
		data, err := os.ReadFile(p)
		if err != nil {
			continue // the process has exited
		}
		// Fields after the command name, which is in parentheses and may
		// hold spaces: state ppid … utime (14th field) stime (15th).
		i := strings.LastIndexByte(string(data), ')')
		f := strings.Fields(string(data[i+1:]))
		if len(f) < 13 {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
		ppid, _ := strconv.Atoi(f[1])
		if pid != root && ppid != root {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += ut + st
	}
	const clockTicks = 100 // USER_HZ, 100 on Linux
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// ownerFile, in a cluster's directory, holds the pid of the process that
// started it.
const ownerFile = "owner.pid"

// cleanStale stops and removes the clusters that test processes started
// and left behind when they were killed (a test timeout, a kill -9):
// those whose owner process is gone.
func cleanStale(bin string) {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "pgtest-*", ownerFile))
	for _, f := range dirs {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 || syscall.Kill(pid, 0) != syscall.ESRCH {
			continue // the owner is alive (or unknown): not ours to stop
		}
		c := &Cluster{dir: filepath.Dir(f), bin: bin}
		if os.Geteuid() == 0 {
			c.cred, _ = postgresUser()
		}
		if _, err := os.Stat(filepath.Join(c.data(), "postmaster.pid")); err == nil {
			_ = c.run("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop")
		}
		_ = os.RemoveAll(c.dir)
	}
}

// postgresUser returns the credentials of the postgres system user.
func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtest: running as root needs the postgres system user to start PostgreSQL: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, fmt.Errorf("pgtest: user postgres: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

// run runs one of PostgreSQL's programs as the cluster's user.
func (c *Cluster) run(name string, args ...string) error {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if c.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	}
	// Output goes to a file, not a pipe: a server that pg_ctl starts
	// inherits it and would keep a pipe open.
	out, err := os.CreateTemp("", "pgtest-out-")
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer os.Remove(out.Name())
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Run(); err != nil {
		text, _ := os.ReadFile(out.Name())
		return fmt.Errorf("pgtest: %s %s: %w\n%s", name, strings.Join(args, " "), err, text)
	}
	return nil
}

// Stop stops the server at once and removes its directory.
func (c *Cluster) Stop() error {
	err := c.run("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop")
	return errors.Join(err, os.RemoveAll(c.dir))
}

// Restart stops the server (fast shutdown, as a service manager would)
// and starts it again, for tests of a store that must ride it out.
func (c *Cluster) Restart() error {
	return c.run("pg_ctl", "-D", c.data(), "-l", filepath.Join(c.dir, "log"), "-m", "fast", "-w", "-t", "60", "restart")
}

// URL returns the connection string of database name.
func (c *Cluster) URL(name string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&sslmode=disable", name, c.dir)
}

// Exec runs statements on database name.
func (c *Cluster) Exec(ctx context.Context, name, sql string, args ...any) error {
	conn, err := pgx.Connect(ctx, c.URL(name))
	if err != nil {
		return fmt.Errorf("pgtest: connect to %s: %w", name, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("pgtest: %s: %w", sql, err)
	}
	return nil
}

// CreateDatabase creates database name as a copy of template ("" for
// template0, an empty database). The template must have no open
// connections.
func (c *Cluster) CreateDatabase(ctx context.Context, name, template string) error {
	if template == "" {
		template = "template0"
	}
	return c.Exec(ctx, "postgres", fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", pgx.Identifier{name}.Sanitize(), pgx.Identifier{template}.Sanitize()))
}

// NewDatabase creates a fresh database copied from template ("" for an
// empty one), dropped when the test ends, and returns its URL. On a nil
// Cluster (PostgreSQL not installed) it skips the test.
func (c *Cluster) NewDatabase(t testing.TB, template string) string {
	t.Helper()
	if c == nil {
		t.Skip(SkipMessage)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	name := fmt.Sprintf("test_%d", c.seq.Add(1))
	if err := c.CreateDatabase(ctx, name, template); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := c.Exec(ctx, "postgres", fmt.Sprintf("DROP DATABASE %s WITH (FORCE)", pgx.Identifier{name}.Sanitize())); err != nil {
			t.Error(err)
		}
	})
	return c.URL(name)
}
