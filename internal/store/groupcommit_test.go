package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// openGroupCommit returns a groupCommit on a fresh bbolt file with bucket
// "b", closed at test end.
func openGroupCommit(t *testing.T) *groupCommit {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "g.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket([]byte("b"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return newGroupCommit(db)
}

// putKey returns a save function that stores key.
func putKey(key string) func(*bolt.Tx) error {
	return func(tx *bolt.Tx) error { return tx.Bucket([]byte("b")).Put([]byte(key), []byte("v")) }
}

// stored reports whether key is in bucket "b" of g's file.
func stored(t *testing.T, g *groupCommit, key string) bool {
	t.Helper()
	var ok bool
	_ = g.db.View(func(tx *bolt.Tx) error {
		ok = tx.Bucket([]byte("b")).Get([]byte(key)) != nil
		return nil
	})
	return ok
}

// holdGroup starts a save that blocks in its transaction until release
// is closed, and returns once it runs: saves started meanwhile wait for
// the next group.
func holdGroup(t *testing.T, g *groupCommit, wg *sync.WaitGroup) (release chan struct{}) {
	t.Helper()
	release, running := make(chan struct{}), make(chan struct{})
	wg.Go(func() {
		if err := g.run(func(tx *bolt.Tx) error {
			close(running)
			<-release
			return putKey("held")(tx)
		}); err != nil {
			t.Error(err)
		}
	})
	<-running
	return release
}

// waitFor waits until n saves wait for the next group.
func waitFor(t *testing.T, g *groupCommit, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		g.mu.Lock()
		got := len(g.waiting)
		g.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d saves wait, want %d", got, n)
		}
	}
}

func TestGroupCommitJoinsWaitingSaves(t *testing.T) {
	g := openGroupCommit(t)
	var wg sync.WaitGroup
	release := holdGroup(t, g, &wg)
	const n = 5
	for i := range n {
		wg.Go(func() {
			if err := g.run(putKey(fmt.Sprint("k", i))); err != nil {
				t.Error(err)
			}
		})
	}
	waitFor(t, g, n)
	close(release)
	wg.Wait()
	g.mu.Lock()
	groups, saves := g.groups, g.saves
	g.mu.Unlock()
	if groups != 2 || saves != n+1 {
		t.Errorf("%d groups of %d saves, want 2 of %d: the saves that waited for a commit share the next", groups, saves, n+1)
	}
	for i := range n {
		if !stored(t, g, fmt.Sprint("k", i)) {
			t.Errorf("k%d was not stored", i)
		}
	}
	// The goroutine that committed the last group stops once it sees
	// no save waiting; a save that comes then starts a group of its own.
	if err := g.run(putKey("later")); err != nil || !stored(t, g, "later") {
		t.Errorf("a later save: %v", err)
	}
}

func TestGroupCommitFailedSave(t *testing.T) {
	errNo := errors.New("no")
	tests := []struct {
		name  string
		alone bool // the failing save is the only one of its group
		runs  int  // how often the failing save's function runs
	}{
		{"alone: its error, run once", true, 1},
		{"in a group: the others commit, it runs again alone", false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := openGroupCommit(t)
			var wg sync.WaitGroup
			var release chan struct{}
			if !tt.alone {
				release = holdGroup(t, g, &wg)
			}
			var runs atomic.Int32
			failing := func(tx *bolt.Tx) error {
				runs.Add(1)
				if err := putKey("failed")(tx); err != nil {
					return err
				}
				return errNo
			}
			var failErr error
			wg.Go(func() { failErr = g.run(failing) })
			if !tt.alone {
				wg.Go(func() {
					if err := g.run(putKey("ok")); err != nil {
						t.Error(err)
					}
				})
				waitFor(t, g, 2)
				close(release)
			}
			wg.Wait()
			if failErr != errNo {
				t.Errorf("the failing save returned %v, want %v", failErr, errNo)
			}
			if got := runs.Load(); got != int32(tt.runs) {
				t.Errorf("its function ran %d times, want %d", got, tt.runs)
			}
			if stored(t, g, "failed") {
				t.Error("the failing save's write was committed")
			}
			if !tt.alone && !stored(t, g, "ok") {
				t.Error("the other save of its group was not committed")
			}
		})
	}
}

func TestGroupCommitPanicReachesItsCaller(t *testing.T) {
	g := openGroupCommit(t)
	got := func() (p any) {
		defer func() { p = recover() }()
		_ = g.run(func(*bolt.Tx) error { panic("boom") })
		return nil
	}()
	if got != "boom" {
		t.Errorf("recovered %v, want the save's own panic", got)
	}
	if err := g.run(putKey("after")); err != nil || !stored(t, g, "after") {
		t.Errorf("a save after the panic: %v", err)
	}
}

// TestGroupCommitAfterCommitPanic: a panic that escapes bbolt's Update
// itself (here a commit handler's; a damaged page can do the same) in the
// goroutine that led the group reaches that caller, and saves made after
// it are still committed instead of waiting for a group that never
// starts; the same after a save function that calls runtime.Goexit.
func TestGroupCommitAfterCommitPanic(t *testing.T) {
	for name, fn := range map[string]func(*bolt.Tx) error{
		"commit panics": func(tx *bolt.Tx) error {
			tx.OnCommit(func() { panic("in commit") })
			return putKey("p")(tx)
		},
		"Goexit": func(*bolt.Tx) error { runtime.Goexit(); return nil },
	} {
		t.Run(name, func(t *testing.T) {
			g := openGroupCommit(t)
			ended := make(chan struct{})
			go func() {
				defer close(ended)
				defer func() { _ = recover() }()
				_ = g.run(fn)
			}()
			<-ended
			done := make(chan error, 1)
			go func() { done <- g.run(putKey("later")) }()
			select {
			case err := <-done:
				if err != nil || !stored(t, g, "later") {
					t.Errorf("a save after it: %v", err)
				}
			case <-time.After(10 * time.Second):
				g.mu.Lock()
				t.Fatalf("a save after it still waits: running=%v, %d waiting", g.running, len(g.waiting))
			}
		})
	}
}

// groupsOf returns how many groups g has committed and their saves.
func groupsOf(g *groupCommit) (groups, saves int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.groups, g.saves
}

// waitsOf returns how many times gather waited, and gave up waiting.
func waitsOf(g *groupCommit) (waits, timeouts int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waits, g.timeouts
}

// TestGroupCommitFills checks gather's wait for a group to hold as many
// saves as the largest recent one. The outcomes are counted (groups,
// waits, waits given up), not timed: a wait that must end on its own is
// short, one that must not happen is too long for a test to outlast.
func TestGroupCommitFills(t *testing.T) {
	busy := func(g *groupCommit, largest int) {
		g.recent[recentGroups-1] = largest // a group committed lately
		g.lastEnd = time.Now()
		g.idle = time.Hour // not idle, however slow the test
	}
	t.Run("waits for as many as the largest recent group", func(t *testing.T) {
		g := openGroupCommit(t)
		busy(g, 4)
		g.fill = time.Hour
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				if err := g.run(putKey(fmt.Sprint("k", i))); err != nil {
					t.Error(err)
				}
			})
			if i == 0 {
				// The first save leads and waits for three more; without
				// the wait it would commit alone.
				waitFor(t, g, 1)
			}
		}
		wg.Wait()
		if groups, saves := groupsOf(g); groups != 1 || saves != 4 {
			t.Errorf("%d groups of %d saves, want 1 of 4", groups, saves)
		}
		if waits, timeouts := waitsOf(g); waits != 1 || timeouts != 0 {
			t.Errorf("%d waits, %d given up; want 1, 0", waits, timeouts)
		}
	})
	t.Run("gives up after its wait, and then expects fewer", func(t *testing.T) {
		g := openGroupCommit(t)
		busy(g, 16) // clients that have left
		g.fill = time.Millisecond
		for i := range 3 {
			if err := g.run(putKey(fmt.Sprint("k", i))); err != nil {
				t.Fatal(err)
			}
		}
		if groups, saves := groupsOf(g); groups != 3 || saves != 3 {
			t.Errorf("%d groups of %d saves, want 3 of 1", groups, saves)
		}
		if waits, timeouts := waitsOf(g); waits != 1 || timeouts != 1 {
			t.Errorf("%d waits, %d given up; want 1, 1: after the first gave up, the groups expect one save", waits, timeouts)
		}
	})
	t.Run("a lone client never waits", func(t *testing.T) {
		g := openGroupCommit(t)
		busy(g, 1)
		for i := range 20 {
			if err := g.run(putKey(fmt.Sprint("k", i))); err != nil {
				t.Fatal(err)
			}
		}
		if groups, saves := groupsOf(g); groups != 20 || saves != 20 {
			t.Errorf("%d groups of %d saves, want 20 of 1", groups, saves)
		}
		if waits, _ := waitsOf(g); waits != 0 {
			t.Errorf("a lone client waited %d times", waits)
		}
	})
	t.Run("background work is not a client to wait for", func(t *testing.T) {
		g := openGroupCommit(t)
		busy(g, 1)
		var wg sync.WaitGroup
		release := holdGroup(t, g, &wg)
		wg.Go(func() {
			if err := g.run(putKey("client")); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if err := g.runBackground(putKey("background")); err != nil {
				t.Error(err)
			}
		})
		waitFor(t, g, 2)
		close(release)
		wg.Wait()
		if groups, saves := groupsOf(g); groups != 2 || saves != 3 {
			t.Fatalf("%d groups of %d saves, want 2 of 3: the client's save and the background's share a group", groups, saves)
		}
		for i := range 5 {
			if err := g.run(putKey(fmt.Sprint("k", i))); err != nil {
				t.Fatal(err)
			}
		}
		if waits, _ := waitsOf(g); waits != 0 {
			t.Errorf("the lone client's saves waited %d times after its group with the background's", waits)
		}
	})
	t.Run("no wait once idle", func(t *testing.T) {
		g := openGroupCommit(t)
		busy(g, 16)
		g.lastEnd = time.Now().Add(-time.Minute)
		g.idle = time.Second
		if err := g.run(putKey("k")); err != nil {
			t.Fatal(err)
		}
		if waits, _ := waitsOf(g); waits != 0 {
			t.Errorf("a save long after the last commit waited %d times", waits)
		}
	})
}
