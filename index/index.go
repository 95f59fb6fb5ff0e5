package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bolterrors "go.etcd.io/bbolt/errors"

	"claimmark/internal/annotation"
)

// Options configure an Index. The zero value is usable.
type Options struct {
	// Logger receives progress of builds and replays, and errors that
	// are not returned (a failed sync after a durable write). Default
	// slog.Default().
	Logger *slog.Logger
	// SearchTimeout bounds every search. Default 2s.
	SearchTimeout time.Duration
	// BatchWait is how long a sync pass waits, after the first caller
	// arrives, for more callers to share its batch. Default 0: a pass
	// starts at once when the last pass served one caller, and waits
	// groupWait (1 ms) when it served several (writers are concurrent);
	// callers that arrive while a pass runs share the next one.
	BatchWait time.Duration
	// LockTimeout is how long Open waits for an index directory that
	// another process holds before it fails with ErrLocked. Default 1s.
	LockTimeout time.Duration
	// TrimEvery is how many applied changes live syncs leave in the
	// store's change log before trimming it; trimming costs two fsyncs and
	// the store's write lock, so doing it on every pass halves the rate of
	// concurrent saves. Open always trims what it replayed. Default 4096.
	TrimEvery int
	// PersistWait is how long bleve's persister waits, after it has
	// written the index to disk, before it writes what sync passes have
	// added since (see persisted.go): the longer, the fewer and larger the
	// segment files and fsyncs, and the more a crash makes Open replay
	// from the change log. Default 2s (claimbench, 16 clients: about a
	// quarter less CPU per save than 500ms, fewer merges and fsyncs).
	PersistWait time.Duration
	// SyncRetry is how long the sync goroutine waits before retrying a
	// failed pass; each further failure doubles the wait, up to 32 times
	// SyncRetry. Default 1s.
	SyncRetry time.Duration
	// ApplyWait is how long the sync goroutine lets annotation writes
	// made through Indexing accumulate before it applies them on its own
	// (a search applies them at once, and ApplyAt writes start a pass
	// sooner: see lazy.go). The longer, the larger and fewer the bleve
	// batches, and the more a search right after a burst of writes waits
	// for. Default 500ms.
	ApplyWait time.Duration
	// ApplyAt is how many noted annotation writes make the sync goroutine
	// apply them at once instead of waiting out ApplyWait; the writer
	// does not wait for that pass. Default 500, half of the backlog
	// (1,000) at which writers wait for the index; from that backlog up,
	// no pass starts early.
	ApplyAt int
}

// ErrLocked is wrapped in the error Open returns when another process
// holds the index directory. Open never rebuilds over such a directory.
var ErrLocked = errors.New("the search index is in use by another process")

// MaxClauses caps how many terms a wildcard, regexp or fuzzy query may
// expand to. Open sets bleve's process-wide
// searcher.DisjunctionMaxClauseCount to it once (bleve's default, 0, is
// unlimited: a bare * took 10 s on 100 000 annotations); past it a search
// fails with Invalid instead of running long.
const MaxClauses = 1024

var setGlobals sync.Once

// Index is a bleve index of the annotations of a Store. It is safe for
// concurrent use. Its contents follow the Store's change log: Sync brings
// it up to date, and a crash at any point is repaired at the next Open.
type Index struct {
	dir    string
	st     annotation.Store
	opt    Options
	log    *slog.Logger
	m      *mapping.IndexMappingImpl
	docs   *docBuilder
	titles *titleCache
	facets *facetCache

	// mu guards bi: searches and batches hold it for reading; swapping in
	// a rebuilt index and Close hold it for writing.
	mu sync.RWMutex
	bi bleve.Index // nil once closed

	// wmu serialises writers: sync passes and rebuilds. It guards the
	// fields below.
	wmu        sync.Mutex
	watermark  uint64 // last change-log seq applied to bi (searchable)
	trimmedTo  uint64 // the store's change log is trimmed up to here
	replayedTo uint64 // the watermark after Open's replay (see trim)
	rebuilding bool   // a Rebuild is reading the store: do not trim

	syncMu  sync.Mutex
	waiters []chan error // callers of Sync waiting for the next pass
	closed  bool
	kick    chan struct{} // capacity 1: "a caller is waiting"
	// trimKick (capacity 1) tells the sync loop that the durable
	// watermark has advanced: the change log may be trimmed.
	trimKick chan struct{}
	quit     chan struct{}
	exited   chan struct{}

	failing atomic.Pointer[syncFailure] // nil while syncs succeed; see Health

	// written counts the annotation writes that Indexing has noted after
	// their commit, and covered is the highest count a successful pass
	// read before it read the change log: a search waits for a pass
	// while written > covered (lazy.go). due (capacity 1) tells the sync
	// loop that written has grown, full (capacity 1) that Options.ApplyAt
	// writes are waiting.
	written atomic.Uint64
	covered atomic.Uint64
	due     chan struct{}
	full    chan struct{}
	// running describes the pass under way (nil between passes): a
	// search whose writes it covers waits for it instead of the next one
	// (lazy.go). passWaits counts such waits, for tests.
	running   atomic.Pointer[runningPass]
	passWaits atomic.Int64
	// catching, while not nil, holds searches back from a rebuilt index
	// until the changes it lacks are replayed (rebuild.go). gateWaits
	// counts the searches that waited for it, for tests.
	catching  atomic.Pointer[catchUpGate]
	gateWaits atomic.Int64

	// noWordsPath, set by tests only, keeps searches of plain words off
	// the fast path (searchfast.go); wordsFast counts the searches that
	// took it, for tests.
	noWordsPath bool
	wordsFast   atomic.Int64

	// handed holds the annotations saves made through Indexing have
	// stored, for the pass that applies them (handed.go); handedTaken
	// counts those passes took instead of reading them, for tests.
	handed      handedAnns
	handedTaken atomic.Int64

	// applied is a copy of watermark that WaitFor reads without waiting
	// for wmu, which a sync pass holds while it applies a batch.
	applied atomic.Uint64
	// durable is the highest watermark that bleve has persisted (see
	// persisted.go): the change log is never trimmed past it.
	durable atomic.Uint64
	// durableMu guards durableCh, which is closed (and replaced) each
	// time durable advances: Persist waits on it.
	durableMu sync.Mutex
	durableCh chan struct{}

	// batchFault, set by tests only, runs before each bleve batch of a
	// sync pass; its error or panic stands in for one of bleve's.
	batchFault atomic.Pointer[func() error]
	// passStart, set by tests only, runs in the sync goroutine before
	// each pass, after the pass has noted the catch-up gate it closes.
	passStart atomic.Pointer[func()]
	// beforeWalk, set by tests only before a Rebuild, runs when a build
	// has read titles and speakers, before it walks the Store.
	beforeWalk func()
	// beforeSwap, set by tests only before a Rebuild, runs when the new
	// index is built and closed, before it replaces the old one.
	beforeSwap func()
}

// Open opens the index in dir (e.g. <data>/index.bleve) over st and brings
// it up to date with st, building or rebuilding it as needed, with
// progress logged:
//   - missing: built from st.Walk, then the changes after the walk are
//     replayed;
//   - damaged (bleve cannot open or read it): moved aside to
//     dir.corrupt-<unix time> (only the latest such copy is kept) and
//     rebuilt;
//   - made with another mapping version, or ahead of the store's change
//     log (the store was replaced): rebuilt;
//   - behind: the missing changes are replayed from st's change log.
//
// Applied changes are trimmed from st's change log. A directory held by
// another process fails within opt.LockTimeout with an error wrapping
// ErrLocked. Open sets bleve's term-expansion cap, see MaxClauses.
func Open(dir string, st annotation.Store, opt Options) (*Index, error) {
	setGlobals.Do(func() { searcher.DisjunctionMaxClauseCount = MaxClauses })
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.SearchTimeout <= 0 {
		opt.SearchTimeout = 2 * time.Second
	}
	if opt.TrimEvery <= 0 {
		opt.TrimEvery = 4096
	}
	if opt.LockTimeout <= 0 {
		opt.LockTimeout = time.Second
	}
	if opt.PersistWait <= 0 {
		opt.PersistWait = 2 * time.Second
	}
	if opt.SyncRetry <= 0 {
		opt.SyncRetry = time.Second
	}
	if opt.ApplyWait <= 0 {
		opt.ApplyWait = 500 * time.Millisecond
	}
	if opt.ApplyAt <= 0 {
		opt.ApplyAt = applyAt
	}
	opt.ApplyAt = min(opt.ApplyAt, maxBacklog)
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	docs, err := newDocBuilder(m)
	if err != nil {
		return nil, err
	}
	ix := &Index{
		dir: dir, st: st, opt: opt, log: opt.Logger, m: m, docs: docs,
		titles: newTitleCache(st), facets: newFacetCache(docs.foldTag),
		kick: make(chan struct{}, 1), due: make(chan struct{}, 1), full: make(chan struct{}, 1), trimKick: make(chan struct{}, 1), quit: make(chan struct{}), exited: make(chan struct{}),
		durableCh: make(chan struct{}),
	}
	ctx := context.Background()
	if err := ix.open(ctx); err != nil {
		return nil, err
	}
	go ix.syncLoop()
	return ix, nil
}

// open opens or builds ix.bi and catches up with the store.
func (ix *Index) open(ctx context.Context) error {
	bi, why, err := ix.openExisting()
	if err != nil {
		return err
	}
	if bi != nil {
		ix.bi = bi
		_ = os.RemoveAll(ix.dir + ".rebuild") // left by an interrupted Rebuild; ours now (we hold dir)
		if _, _, err := ix.titles.load(ctx); err != nil {
			ix.log.Warn("index: listing article titles failed; loading them as needed", "err", err)
		}
		err := ix.catchUp(ctx, true)
		if err == nil {
			return nil
		}
		_ = ix.closeBleve()
		if !errors.Is(err, errNeedRebuild) {
			return err
		}
		why = err.Error()
	}
	ix.log.Info("index: building the search index from the store", "dir", ix.dir, "reason", why)
	if err := ix.buildInPlace(ctx, ix.logProgress("index: building")); err != nil {
		return err
	}
	return ix.catchUp(ctx, true)
}

// errNeedRebuild reports that the index cannot follow the store and must
// be rebuilt.
var errNeedRebuild = errors.New("index: needs a rebuild")

// openExisting opens the index directory. It returns (nil, reason, nil)
// when the index is missing, damaged (then moved aside) or of another
// mapping version, an error wrapping ErrLocked when another process holds
// it, and the open index with its watermark loaded otherwise.
func (ix *Index) openExisting() (bi bleve.Index, why string, err error) {
	if _, err := os.Stat(ix.dir); errors.Is(err, os.ErrNotExist) {
		return nil, "missing", nil
	}
	bi, err = ix.openBleve(ix.dir)
	switch {
	case errors.Is(err, bolterrors.ErrTimeout): // bleve's own bbolt file (store/root.bolt) is locked
		return nil, "", fmt.Errorf("index: open %s: %w (waited %v)", ix.dir, ErrLocked, ix.opt.LockTimeout)
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist) || isEmptyDir(ix.dir):
		if rmErr := os.RemoveAll(ix.dir); rmErr != nil {
			return nil, "", fmt.Errorf("index: remove empty %s: %w", ix.dir, rmErr)
		}
		return nil, "missing", nil
	case err != nil:
		return nil, "damaged: " + err.Error(), ix.moveAside(err)
	}
	ver, err := bi.GetInternal(keyMapping)
	if err != nil {
		_ = bi.Close()
		return nil, "damaged: " + err.Error(), ix.moveAside(err)
	}
	if len(ver) == 0 { // bleve could not load the last snapshot and opened an empty one
		_ = bi.Close()
		err := errors.New("the index has no mapping version (its last snapshot could not be loaded)")
		return nil, "damaged: " + err.Error(), ix.moveAside(err)
	}
	if string(ver) != mappingVersion {
		_ = bi.Close()
		if err := os.RemoveAll(ix.dir); err != nil {
			return nil, "", fmt.Errorf("index: remove outdated %s: %w", ix.dir, err)
		}
		return nil, fmt.Sprintf("mapping version %q, want %q", ver, mappingVersion), nil
	}
	wm, err := bi.GetInternal(keyWatermark)
	if err == nil && len(wm) != 8 {
		err = fmt.Errorf("watermark is %d bytes", len(wm))
	}
	if err == nil {
		err = ix.check(bi)
	}
	if err != nil {
		_ = bi.Close()
		return nil, "damaged: " + err.Error(), ix.moveAside(err)
	}
	watermark := binary.BigEndian.Uint64(wm)
	trimmed, err := readTrimmed(ix.trimPath())
	if err != nil {
		ix.log.Warn("index: cannot read the trim point; rebuilding to be safe", "err", err)
		trimmed = math.MaxUint64
	}
	if watermark < trimmed {
		_ = bi.Close()
		if err := os.RemoveAll(ix.dir); err != nil {
			return nil, "", fmt.Errorf("index: remove stale %s: %w", ix.dir, err)
		}
		return nil, fmt.Sprintf("the index has applied changes up to %d, but the store's change log was trimmed up to %d", watermark, trimmed), nil
	}
	ix.watermark = watermark
	ix.applied.Store(watermark)
	ix.durable.Store(watermark) // read back from disk
	ix.durableAdvanced()
	return bi, "", nil
}

func isEmptyDir(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) == 0
}

// openBleve opens the bleve index at path, turning a panic (seen with
// damaged segment files) into an error.
func (ix *Index) openBleve(path string) (bi bleve.Index, err error) {
	defer func() {
		if p := recover(); p != nil {
			bi, err = nil, fmt.Errorf("index: open %s: panic: %v", path, p)
		}
	}()
	bi, err = bleve.OpenUsing(path, liveConfig(ix.opt))
	if err != nil {
		return nil, err
	}
	return bi, nil
}

// check reads every segment of bi once (the facet arrays are built from
// them), which finds damaged segments at Open rather than at the first
// search, and warms the facet cache.
func (ix *Index) check(bi bleve.Index) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	if _, err := bi.DocCount(); err != nil {
		return err
	}
	req := bleve.NewSearchRequestOptions(&facetQuery{Query: bleve.NewMatchAllQuery(), run: &facetRun{cache: ix.facets}}, 1, 0, false)
	_, err = bi.Search(req)
	return err
}

// moveAside renames the damaged index directory to dir.corrupt-<unix>,
// removing older such copies, so that a rebuild can take its place and
// the damaged files stay for inspection.
func (ix *Index) moveAside(cause error) error {
	old, _ := filepath.Glob(ix.dir + ".corrupt-*")
	for _, o := range old {
		_ = os.RemoveAll(o)
	}
	to := ix.dir + ".corrupt-" + strconv.FormatInt(time.Now().Unix(), 10)
	ix.log.Warn("index: the search index is damaged; moving it aside and rebuilding", "dir", ix.dir, "to", to, "err", cause)
	if err := os.Rename(ix.dir, to); err != nil {
		return fmt.Errorf("index: move damaged index aside: %w", err)
	}
	return nil
}

// logProgress returns a progress function that logs about every 10%.
func (ix *Index) logProgress(msg string) func(done, total int) {
	next, start := 0, time.Now()
	return func(done, total int) {
		if done < next && done != total {
			return
		}
		next = done + max(total/10, 1000)
		ix.log.Info(msg, "done", done, "total", total, "elapsed", time.Since(start).Round(time.Millisecond))
	}
}

// DocCount returns the number of annotations in the index.
func (ix *Index) DocCount() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return 0, errUnavailable
	}
	return ix.bi.DocCount()
}

// Watermark returns the sequence number of the last change-log entry
// applied to the index.
func (ix *Index) Watermark() uint64 {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	return ix.watermark
}

// Close stops the sync loop (pending Sync calls fail with Unavailable),
// trims the change log up to what bleve has persisted and closes the
// index; the next Open replays the changes applied since (at most about
// Options.PersistWait of them) and the annotation writes not yet applied
// (at most about Options.ApplyWait of them, see lazy.go). Searches after Close fail with Unavailable. Close the
// Index before the Store it follows.
func (ix *Index) Close() error {
	ix.syncMu.Lock()
	if ix.closed {
		ix.syncMu.Unlock()
		return nil
	}
	ix.closed = true
	ix.syncMu.Unlock()
	ix.handed.close()
	close(ix.quit)
	<-ix.exited
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	ix.trim(context.Background(), true)
	return ix.closeBleve()
}

func (ix *Index) closeBleve() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.bi == nil {
		return nil
	}
	err := ix.bi.Close()
	ix.bi = nil
	return err
}

// warm builds the facet arrays and sort keys of persisted segments not
// seen before (scorch merges segments in the background), so that the
// first search after a merge does not pay for it (facetCache.warm).
func (ix *Index) warm() {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return
	}
	adv, err := ix.bi.Advanced()
	if err != nil {
		return
	}
	r, err := adv.Reader()
	if err != nil {
		return
	}
	defer r.Close()
	if err := ix.facets.warm(r); err != nil {
		ix.log.Warn("index: reading a segment failed", "err", err)
	}
}
