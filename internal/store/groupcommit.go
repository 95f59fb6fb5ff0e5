package store

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// maxGroup is the most saves one group commit runs: bbolt's Batch's
// default MaxBatchSize.
const maxGroup = 1000

// groupCommit runs saves in write transactions, each fsynced before its
// saves are answered, with as few commits as it can. A save that arrives
// while no group is committing starts a group, which closes at once
// unless recent groups held more saves than it yet does (then it waits
// for them, at most fillWait: see gather); saves that arrive while a
// group commits wait for it and then run together in the next
// transaction.
//
// bbolt's Batch closed a group a fixed delay after its first save, even
// while the group before it was still committing, and so split the saves
// queued behind one commit among several groups: a commit writes the
// branch pages of every bucket it changes, the meta page and two fsyncs
// once for all its saves, so the fewer the groups, the less CPU each save
// costs. Under claimbench's 16 clients a commit held 5.1 saves instead
// of 3.7, and with 16 clients that spend CPU between saves
// (BenchmarkPutAnnotationClients) the store's CPU per save fell from
// 0.28-0.30 ms to 0.21 ms, with more saves per second and a lower p50.
type groupCommit struct {
	db *bolt.DB

	mu      sync.Mutex
	waiting []groupCall // saves for the next group, in arrival order
	running bool        // a goroutine is committing a group and will start the next
	// groups and saves count the groups committed and their saves.
	groups, saves int
	// recent holds how many saves (background work left out) the last
	// len(recent) groups that held any had, at next % len(recent): gather
	// waits a little for the next group to hold as many as the largest.
	recent [recentGroups]int
	next   int
	// lastEnd is when the last group's commit ended.
	lastEnd time.Time
	// joined (capacity 1) is signalled each time a save joins the
	// waiting ones, for gather.
	joined chan struct{}
	// fill and idle are fillWait and idleAfter (tests change them).
	fill, idle time.Duration
	// waits and timeouts count gather's waits, and those that ended
	// with fewer saves than it waited for.
	waits, timeouts int
}

// recentGroups is how many groups' sizes gather looks back on.
const recentGroups = 16

// groupCall is one save of a group: its function and where its result
// goes. A background call (the lists' settling) counts in no group's
// size for gather: it would make a lone client's next saves wait for a
// second one.
type groupCall struct {
	fn         func(*bolt.Tx) error
	done       chan<- error
	background bool
}

// newGroupCommit returns a groupCommit that commits to db.
func newGroupCommit(db *bolt.DB) *groupCommit {
	return &groupCommit{db: db, joined: make(chan struct{}, 1), fill: fillWait, idle: idleAfter}
}

// errSolo tells a save that its function failed in a group: it runs again
// in a transaction of its own, so that its error is its own and not the
// effect of the saves before it.
var errSolo = errors.New("store: run the save alone")

// run runs fn in a write transaction, with other saves or alone, and
// returns its error or the commit's. fn may be run more than once (a
// group whose function fails is rolled back and run again without it),
// so it must keep no effects outside the transaction other than results
// it resets each run, as for bbolt's Batch.
func (g *groupCommit) run(fn func(*bolt.Tx) error) error { return g.runCall(fn, false) }

// runBackground is run for the store's background work, which gather
// does not count as a save to wait for.
func (g *groupCommit) runBackground(fn func(*bolt.Tx) error) error { return g.runCall(fn, true) }

// runCall is run and runBackground.
func (g *groupCommit) runCall(fn func(*bolt.Tx) error, background bool) error {
	done := make(chan error, 1)
	g.mu.Lock()
	g.waiting = append(g.waiting, groupCall{fn: fn, done: done, background: background})
	lead := !g.running
	g.running = true
	g.mu.Unlock()
	select {
	case g.joined <- struct{}{}:
	default: // already signalled
	}
	if lead {
		g.commitNext()
	}
	if err := <-done; err != errSolo {
		return err
	}
	return g.db.Update(fn)
}

// commitNext commits the waiting saves (up to maxGroup) as one group.
// Saves that arrive meanwhile are committed next by a new goroutine, so
// that the caller, whose save was in this group, is answered without
// waiting for them.
func (g *groupCommit) commitNext() {
	g.gather()
	g.mu.Lock()
	n := min(len(g.waiting), maxGroup)
	calls := slices.Clone(g.waiting[:n])
	g.waiting = slices.Delete(g.waiting, 0, n)
	if saves := clientSaves(calls); saves > 0 {
		g.recent[g.next%recentGroups] = saves
		g.next++
	}
	g.groups++
	g.saves += n
	g.mu.Unlock()

	// Deferred, so that a panic escaping bbolt's Update (a commit
	// handler, an assertion on a damaged page) or a Goexit in a save
	// does not leave running set and every later save waiting forever.
	defer func() {
		g.mu.Lock()
		g.lastEnd = time.Now()
		more := len(g.waiting) > 0
		g.running = more
		g.mu.Unlock()
		if more {
			go g.commitNext()
		}
	}()
	g.commit(calls)
}

// maxYields bounds how many times gather lets other goroutines run.
const maxYields = 4

// fillWait is the longest gather waits for a group to fill.
const fillWait = 2 * time.Millisecond

// idleAfter is how long after the last commit gather no longer expects
// the clients of recent groups: they have stopped saving one after the
// other, and a save that comes now is not kept waiting for them.
const idleAfter = 4 * fillWait

// clientSaves returns how many of calls are not background work.
func clientSaves(calls []groupCall) int {
	n := 0
	for _, c := range calls {
		if !c.background {
			n++
		}
	}
	return n
}

// gather lets more saves join the group before it closes, in two steps.
//
// First it lets the goroutines that are ready to run do so
// (runtime.Gosched), as long as each turn brings more saves, at most
// maxYields times. Under load the handlers whose saves are about to
// arrive are such goroutines: on 2 cores busy with HTTP and indexing,
// they joined the next group, not this one. A lone save loses no time: a
// yield with nothing else to run returns at once, and brings no save.
// BenchmarkPutAnnotationClients (16 clients): 6.1-7.4 → 8.4-10.8 saves
// per commit, store CPU per save 0.20-0.22 → 0.15-0.19 ms.
//
// Then, while the group holds fewer saves than the largest of the last
// recentGroups groups, it waits for more, at most fillWait. Clients that
// wait for each answer before they send the next save come back one by
// one after a commit, and many are still on their way when the yields
// end; the largest recent group says how many there are. A lone client
// makes groups of one and never waits (the background's settling of the
// lists, which may share its group, is not counted); when clients leave,
// one group waits fillWait and gives up, and the groups after it expect
// no more saves than it held; none waits once idleAfter has passed since
// the last commit.
func (g *groupCommit) gather() {
	for range maxYields {
		g.mu.Lock()
		before := len(g.waiting)
		g.mu.Unlock()
		runtime.Gosched()
		g.mu.Lock()
		after := len(g.waiting)
		g.mu.Unlock()
		if after == before {
			break
		}
	}
	var deadline *time.Timer
	for {
		g.mu.Lock()
		n, want := clientSaves(g.waiting), slices.Max(g.recent[:])
		idle := time.Since(g.lastEnd) > g.idle
		if n >= want || idle && deadline == nil {
			g.mu.Unlock()
			return
		}
		if deadline == nil {
			g.waits++
		}
		g.mu.Unlock()
		if deadline == nil {
			deadline = time.NewTimer(g.fill)
			defer deadline.Stop()
		}
		select {
		case <-g.joined:
		case <-deadline.C:
			// Fewer clients than the recent groups had: forget those,
			// so that the next groups expect no more than this one.
			g.mu.Lock()
			g.timeouts++
			clear(g.recent[:])
			g.mu.Unlock()
			return
		}
	}
}

// commit runs calls in one write transaction and answers each. A call
// whose function fails or panics is taken out and told to run alone
// (errSolo), and the others run again without it, as bbolt's Batch does;
// but the error of a call that was alone is its own, and goes to it
// (a panic is run again, to panic in the caller's goroutine). The
// commit's own error goes to every call of the group.
func (g *groupCommit) commit(calls []groupCall) {
	defer func() {
		// Only when a panic or Goexit escaped Update (callSafely catches a
		// save function's own): answer the calls still unanswered.
		for _, c := range calls {
			c.done <- errCommitAborted
		}
	}()
	for len(calls) > 0 {
		failed := -1
		err := g.db.Update(func(tx *bolt.Tx) error {
			for i, c := range calls {
				if err := callSafely(c.fn, tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if failed >= 0 {
			if len(calls) == 1 && !errors.As(err, new(panicked)) {
				calls[0].done <- err
				calls = nil
				return
			}
			calls[failed].done <- errSolo
			calls = slices.Delete(calls, failed, failed+1)
			continue
		}
		for _, c := range calls {
			c.done <- err
		}
		calls = nil
		return
	}
}

// errCommitAborted answers the saves of a group whose commit panicked;
// they may or may not have been committed.
var errCommitAborted = errors.New("store: the group commit was aborted")

// callSafely calls fn, turning a panic into an error, so that one save's
// panic reaches its own goroutine (which runs it again alone) and not the
// goroutine committing the group.
func callSafely(fn func(*bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicked{p}
		}
	}()
	return fn(tx)
}

// panicked is the error of a save function that panicked with value.
type panicked struct{ value any }

func (p panicked) Error() string { return fmt.Sprintf("store: save panicked: %v", p.value) }
