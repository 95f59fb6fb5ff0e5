package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// ErrLocked is wrapped in the error Open returns when another process holds
// the database file. Test for it with errors.Is.
var ErrLocked = errors.New("database file is locked")

// Options configures Open. The zero value is ready to use.
type Options struct {
	// Timeout is how long Open waits for the file lock held by another
	// process before it fails with ErrLocked. Zero means one second.
	Timeout time.Duration

	// Now returns the current time for Created, Updated and Modified
	// stamps. Nil means time.Now.
	Now func() time.Time
}

// DefaultTimeout is the lock wait Open uses when Options.Timeout is zero.
const DefaultTimeout = time.Second

// schemaVersion is stored under meta/"schema"; Open refuses other values,
// after migrating a file of version "1" (see migrateCounts) or "2" (which
// differs only in having no list changes: see lists.go).
const schemaVersion = "3"

// schemaError returns the error of Open for a file of schema version v,
// which is neither schemaVersion nor one it migrates. A file of a later
// version was written by a newer claimmark, and this one cannot go back:
// the error says what to do.
func schemaError(v string) error {
	cur, _ := strconv.Atoi(schemaVersion)
	if n, err := strconv.Atoi(v); err == nil && n > cur {
		return fmt.Errorf("the file has schema version %q, written by a newer claimmark (this one understands %q); upgrade claimmark, or restore a backup of the data directory", v, schemaVersion)
	}
	return fmt.Errorf("the file has schema version %q, this claimmark understands %q", v, schemaVersion)
}

// Bucket names.
var (
	bucketMeta        = []byte("meta")
	bucketArticles    = []byte("articles")
	bucketTexts       = []byte("texts")
	bucketCounts      = []byte("counts") // schema "1" only: see migrateCounts
	bucketURLs        = []byte("urls")
	bucketHashes      = []byte("hashes")
	bucketAnnotations = []byte("annotations")
	bucketByArticle   = []byte("byarticle")
	bucketChanges     = []byte("changes")
	bucketVersions    = []byte("versions")
	bucketSpeakers    = []byte("speakers")
	bucketSpeakerKeys = []byte("speakerkeys")
	bucketBySpeaker   = []byte("byspeaker")
	bucketLinksTo     = []byte("linksto")
	bucketListChanges = []byte("listchanges")
	// Accounts: see accounts.go.
	bucketUsers          = []byte("users")
	bucketUsernames      = []byte("usernames")
	bucketGroups         = []byte("groups")
	bucketMembers        = []byte("members")
	bucketMemberOf       = []byte("memberof")
	bucketSessions       = []byte("sessions")
	bucketSessionsByUser = []byte("sessionsbyuser")
	bucketSessionExpiry  = []byte("sessionexpiry")
	bucketTokens         = []byte("tokens")
	bucketTokenHashes    = []byte("tokenhashes")
	bucketTickets        = []byte("tickets")
	bucketTicketExpiry   = []byte("ticketexpiry")
	// Rejected suggestions: see rejections.go.
	bucketRejections = []byte("rejections")

	allBuckets = [][]byte{
		bucketMeta, bucketArticles, bucketTexts, bucketURLs,
		bucketHashes, bucketAnnotations, bucketByArticle, bucketChanges,
		bucketVersions, bucketSpeakers, bucketSpeakerKeys, bucketBySpeaker, bucketLinksTo, bucketListChanges,
		bucketUsers, bucketUsernames, bucketGroups, bucketMembers, bucketMemberOf,
		bucketSessions, bucketSessionsByUser, bucketSessionExpiry,
		bucketTokens, bucketTokenHashes, bucketTickets, bucketTicketExpiry,
		bucketRejections,
	}
	keySchema = []byte("schema")
	// keySpeakers is set in meta once every annotation is linked to a
	// speaker identity; files written before identities lack it.
	keySpeakers = []byte("speakers")
)

// DB is the bbolt-backed annotation.Store. It is safe for concurrent use by
// many goroutines; only one process can open a file at a time.
type DB struct {
	bolt *bolt.DB
	path string
	now  func() time.Time

	// saves commits annotation saves and deletes; see save.
	saves *groupCommit
	// lists follows the list changes saves leave waiting (lists.go).
	lists *listQueue
	// accountsGen counts the committed writes to the account buckets;
	// see AccountsGeneration.
	accountsGen atomic.Uint64
}

var (
	_ annotation.Store        = (*DB)(nil)
	_ annotation.Linker       = (*DB)(nil)
	_ annotation.AccountStore = (*DB)(nil)
)

// Open opens the database at path, creating the file and its parent
// directory if needed, and the buckets on first use. When another process
// has the file open, Open fails after opt.Timeout with an error that wraps
// ErrLocked and says what to do. Every commit is fsynced.
func Open(path string, opt Options) (*DB, error) {
	return open(path, opt, openHooks{})
}

// openHooks lets tests stop Open in the middle of a migration.
type openHooks struct {
	// countsMoved, when not nil, is called by migrateCounts after it has
	// moved the counts of n articles.
	countsMoved func(n int)
}

// open is Open with hooks.
func open(path string, opt Options, hooks openHooks) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: open: no database path given")
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	bopt := &bolt.Options{
		Timeout:      opt.Timeout,
		FreelistType: bolt.FreelistMapType,
		// The free-page list is not written at each commit, only by
		// Close: after a crash, Open finds the free pages by walking the
		// file instead. Writing it sorted every free page id on every
		// commit, and wrote them all: on a store of 100,000 annotations,
		// with the free pages an import and the trimmed change log
		// leave, that was a quarter of the CPU of each save. A file
		// written either way opens either way.
		NoFreelistSync: true,
	}
	if strconv.IntSize == 64 {
		// Reserve address space so that a long read transaction (Walk
		// feeding a rebuild) rarely blocks writers on a remap. On Linux
		// the file still grows only as data is written.
		bopt.InitialMmapSize = 1 << 30
	}
	bdb, err := bolt.Open(path, 0o600, bopt)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("store: %s is in use by another claimmark process; stop it or use another -data directory: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	var listSeq uint64
	err = bdb.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		// A new file (no version yet) has no counts bucket to migrate.
		// The migration and the new version commit together, or neither.
		switch v := meta.Get(keySchema); {
		case v == nil || string(v) == "1":
			if err := migrateCounts(tx, hooks.countsMoved); err != nil {
				return fmt.Errorf("move annotation counts into byarticle: %w", err)
			}
			fallthrough
		case string(v) == "2":
			// Schema "3" may hold list changes (lists.go), which an
			// older claimmark would not apply: it must refuse the file.
			if err := meta.Put(keySchema, []byte(schemaVersion)); err != nil {
				return err
			}
		case string(v) != schemaVersion:
			return schemaError(string(v))
		}
		// A process killed with list changes waiting left them here.
		if err := newTxn(tx).settle(); err != nil {
			return fmt.Errorf("apply the waiting list changes: %w", err)
		}
		listSeq = tx.Bucket(bucketListChanges).Sequence()
		if meta.Get(keySpeakers) == nil {
			if err := newTxn(tx).linkAll(opt.Now().UTC()); err != nil {
				return fmt.Errorf("link speakers: %w", err)
			}
			return meta.Put(keySpeakers, []byte("1"))
		}
		return nil
	})
	if err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db := &DB{bolt: bdb, path: path, now: opt.Now, saves: newGroupCommit(bdb), lists: newListQueue(listSeq)}
	go db.lists.run(db.settleLists)
	return db, nil
}

// newTxn returns the bucket accessors of tx, which tell db.lists of the
// list changes they apply.
func (db *DB) newTxn(tx *bolt.Tx) *txn {
	t := newTxn(tx)
	t.lists = db.lists
	return t
}

// saveTxn returns the accessors of a save's transaction tx (made with
// ctx, see newWriteTxn): it leaves list changes instead of writing the
// lists (lists.go).
func (db *DB) saveTxn(ctx context.Context, tx *bolt.Tx) *txn {
	t := newWriteTxn(ctx, tx)
	t.lists, t.deferLists = db.lists, true
	return t
}

// Close releases the file once running transactions have finished. Calls
// made after Close, and saves still waiting to join a group, fail.
//
// Before it lets go, Close writes the free-page list once, in an empty
// commit, so that the next Open reads it instead of walking the whole
// file (which costs seconds on a cold disk, brings the whole file into
// memory, and crashes the process in bbolt's walker on a damaged page).
// Only a start after a crash walks the file.
func (db *DB) Close() error {
	db.lists.stop()
	// The waiting list changes are applied first, so that the next Open
	// usually finds none (it applies them otherwise: a failure here loses
	// nothing).
	_ = db.bolt.Update(func(tx *bolt.Tx) error { return db.newTxn(tx).settle() })
	_ = db.bolt.Update(func(*bolt.Tx) error {
		db.bolt.NoFreelistSync = false // read by bbolt's commit, under the writer lock held here
		return nil
	})
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", db.path, err)
	}
	return nil
}

// Path returns the path of the database file.
func (db *DB) Path() string { return db.path }

// save runs fn in a write transaction for PutAnnotation and
// DeleteAnnotation. A lone save commits at once (unless saves came in
// groups just before: then it waits a little for others, see
// groupCommit); saves that arrive while others commit share the next
// transaction and its fsync (group commit). fn may be run more than once, so it must keep no
// effects outside the transaction other than results it resets each run.
func (db *DB) save(fn func(*bolt.Tx) error) error { return db.saves.run(fn) }

// stamp returns the current time as stored: UTC, without a monotonic
// reading, so that values written back to callers equal what they read later.
func (db *DB) stamp() time.Time { return db.now().UTC() }

// wrap adds context to a non-nil *err, keeping it reachable by errors.As.
func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf("store: "+format+": %w", append(args, *err)...)
	}
}
