package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// The lists (byarticle's annotation keys and counts, byspeaker) are kept
// in step with the annotations in two ways:
//
//   - A save (PutAnnotation, DeleteAnnotation, and so a batch's
//     operations) does not write them. In its own transaction it appends
//     one list change (listChange) to the listchanges bucket, which says
//     how the annotation's article, speaker and kind changed. The
//     bucket's keys grow with time, so the saves of a group commit append
//     to its last page. Writing the lists at each save cost a leaf and
//     its branch pages in byarticle and in byspeaker, at random places of
//     two large trees: about 5 of the 6.3 pages a save wrote.
//   - The list changes are applied to the lists, in order, and deleted,
//     in one transaction (settle): in the background once listApplyAt
//     are waiting or listApplyWait after the first (listQueue), by every
//     other write transaction that touches the lists, before its own work
//     (DB.update: article, speaker, import, copy and adopt writes; the
//     account, session, token, rejection and change-log writes never
//     touch the lists), and by Open and Close. Applied in groups of
//     hundreds, the saves of one article or speaker share their pages.
//   - A read transaction does not apply them: it sees them applied in
//     memory on top of the stored lists (listOverlay), built from the
//     listchanges bucket of its own snapshot.
//
// So every write other than a save finds the lists up to date, and every
// read sees the lists as of its snapshot, with every save that committed
// before it began: a save's list change commits with it. A read never
// waits for a commit.
//
// A process killed with list changes waiting loses nothing: they are in
// the file, committed with their saves, and Open applies them.

const (
	// listApplyAt is how many waiting list changes make the background
	// apply them at once.
	listApplyAt = 1000
	// listApplyWait is how long the background lets the first waiting
	// list change wait for others.
	listApplyWait = 200 * time.Millisecond
)

// listChange says how a save changed an annotation's entries in the
// lists: its article, speaker and kind before (had) and after (has).
// A new annotation had none; a deleted one has none.
type listChange struct {
	id       string
	had, has bool
	old, new listEntry
}

// listEntry is what the lists hold of an annotation.
type listEntry struct {
	article, speaker string
	kind             annotation.Kind
}

// entryOf returns the list entry of a.
func entryOf(a *annotation.Annotation) listEntry {
	return listEntry{article: a.ArticleID, speaker: a.SpeakerID, kind: a.Kind}
}

// listChangeOf returns the list change of a save that turns the stored
// annotation old (nil for a new one) into a (nil when it is deleted);
// ok is false when the lists do not change.
func listChangeOf(old, a *annotation.Annotation) (c listChange, ok bool) {
	if old != nil {
		c.id, c.had, c.old = old.ID, true, entryOf(old)
	}
	if a != nil {
		c.id, c.has, c.new = a.ID, true, entryOf(a)
	}
	return c, !(c.had && c.has && c.old == c.new)
}

// encode returns c as the listchanges bucket stores it: a byte of flags
// (1: had, 2: has), then the id and the present entries' article, speaker
// and kind, each as a uvarint length and its bytes.
func (c listChange) encode() []byte {
	n := 1 + 8 + len(c.id) + 3*8 + len(c.old.article) + len(c.old.speaker) + len(c.new.article) + len(c.new.speaker) + 16
	b := make([]byte, 1, n)
	if c.had {
		b[0] |= 1
	}
	if c.has {
		b[0] |= 2
	}
	b = appendString(b, c.id)
	for _, e := range []struct {
		present bool
		e       listEntry
	}{{c.had, c.old}, {c.has, c.new}} {
		if e.present {
			b = appendString(b, e.e.article)
			b = appendString(b, e.e.speaker)
			b = appendString(b, string(e.e.kind))
		}
	}
	return b
}

// appendString appends s to b with its uvarint length before it.
func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// errListChange is the error of decodeListChange for a value it cannot read.
var errListChange = errors.New("malformed list change")

// decodeListChange returns the list change that encode wrote as data.
func decodeListChange(data []byte) (c listChange, err error) {
	if len(data) == 0 || data[0]&^3 != 0 {
		return c, errListChange
	}
	c.had, c.has = data[0]&1 != 0, data[0]&2 != 0
	rest := data[1:]
	str := func() string {
		n, w := binary.Uvarint(rest)
		if w <= 0 || n > uint64(len(rest)-w) {
			err = errListChange
			return ""
		}
		s := string(rest[w : w+int(n)])
		rest = rest[w+int(n):]
		return s
	}
	c.id = str()
	if c.had {
		c.old = listEntry{article: str(), speaker: str(), kind: annotation.Kind(str())}
	}
	if c.has {
		c.new = listEntry{article: str(), speaker: str(), kind: annotation.Kind(str())}
	}
	if err == nil && len(rest) != 0 {
		err = errListChange
	}
	return c, err
}

// changeLists keeps the lists in step with a save that turns old (nil
// for a new annotation) into a (nil for a deletion), when it changes
// them: in a save's transaction (deferLists) it appends the list change
// to the listchanges bucket and tells t.lists once the transaction
// commits; in any other (settled) transaction it applies it at once.
func (t *txn) changeLists(old, a *annotation.Annotation) error {
	c, ok := listChangeOf(old, a)
	if !ok {
		return nil
	}
	if !t.deferLists {
		return applyList(t, c)
	}
	seq, err := t.listChanges.NextSequence()
	if err != nil {
		return err
	}
	if err := t.listChanges.Put(seqKey(seq), c.encode()); err != nil {
		return err
	}
	if q := t.lists; q != nil {
		t.tx.OnCommit(func() { q.noted(seq) })
	}
	return nil
}

// listWriter is where applyList writes: the lists themselves (a write
// transaction's txn) or a read transaction's view of them (listOverlay).
type listWriter interface {
	listArticle(article, id string) error
	unlistArticle(article, id string) error
	addCount(article string, k annotation.Kind, n int) error
	listSpeaker(speaker, id string, k annotation.Kind) error
	unlistSpeaker(speaker, id string) error
}

// applyList applies c to w, as a save that wrote the lists itself would
// have: keys that do not change are not written again.
func applyList(w listWriter, c listChange) error {
	if !(c.had && c.has && c.old.speaker == c.new.speaker && c.old.kind == c.new.kind) {
		if c.had && c.old.speaker != "" {
			if err := w.unlistSpeaker(c.old.speaker, c.id); err != nil {
				return err
			}
		}
		if c.has && c.new.speaker != "" {
			if err := w.listSpeaker(c.new.speaker, c.id, c.new.kind); err != nil {
				return err
			}
		}
	}
	if c.had && c.has && c.old.article == c.new.article {
		if c.old.kind == c.new.kind {
			return nil
		}
		if err := w.addCount(c.old.article, c.old.kind, -1); err != nil {
			return err
		}
		return w.addCount(c.new.article, c.new.kind, 1)
	}
	if c.had {
		if err := w.unlistArticle(c.old.article, c.id); err != nil {
			return err
		}
		if err := w.addCount(c.old.article, c.old.kind, -1); err != nil {
			return err
		}
	}
	if c.has {
		if err := w.addCount(c.new.article, c.new.kind, 1); err != nil {
			return err
		}
		return w.listArticle(c.new.article, c.id)
	}
	return nil
}

func (t *txn) listArticle(article, id string) error {
	return t.byArticle.Put(byArticleKey(article, id), nil)
}

func (t *txn) unlistArticle(article, id string) error {
	return t.byArticle.Delete(byArticleKey(article, id))
}

func (t *txn) listSpeaker(speaker, id string, k annotation.Kind) error {
	return t.bySpeaker.Put(byArticleKey(speaker, id), []byte(k))
}

func (t *txn) unlistSpeaker(speaker, id string) error {
	return t.bySpeaker.Delete(byArticleKey(speaker, id))
}

// listOverlay is what a read transaction sees of the lists once the list
// changes waiting in it are applied, kept in memory on top of the stored
// lists: a read does not write (it would wait for a commit and its fsync
// while saves keep coming), and sees every save that committed before it
// began, as the annotations bucket does.
type listOverlay struct {
	t *txn
	// counts holds the counts of the articles the changes touch.
	counts map[string]annotation.Counts
	// articles says, for the annotations the changes touch, whether each
	// article lists them.
	articles map[string]map[string]bool
	// speakers gives, for the annotations the changes touch, the kind
	// under which each speaker lists them ("" when it does not).
	speakers map[string]map[string]annotation.Kind
}

// overlay returns t's view of the waiting list changes, built on first
// use, or nil when none wait or t is a write transaction (which settles
// them before it reads the lists: DB.update).
func (t *txn) overlay() (*listOverlay, error) {
	if t.tx.Writable() {
		return nil, nil
	}
	if t.listView != nil || t.listViewErr != nil {
		return t.listView, t.listViewErr
	}
	c := t.listChanges.Cursor()
	k, v := c.First()
	if k == nil {
		return nil, nil
	}
	o := &listOverlay{t: t, counts: map[string]annotation.Counts{}, articles: map[string]map[string]bool{}, speakers: map[string]map[string]annotation.Kind{}}
	for ; k != nil; k, v = c.Next() {
		ch, err := decodeListChange(v)
		if err == nil {
			err = applyList(o, ch)
		}
		if err != nil {
			t.listViewErr = fmt.Errorf("list change %d: %w", binary.BigEndian.Uint64(k), err)
			return nil, t.listViewErr
		}
	}
	t.listView = o
	return o, nil
}

func (o *listOverlay) listArticle(article, id string) error {
	setIn(o.articles, article, id, true)
	return nil
}

func (o *listOverlay) unlistArticle(article, id string) error {
	setIn(o.articles, article, id, false)
	return nil
}

// setIn sets m[list][id] to v, making m[list] when needed.
func setIn[V any](m map[string]map[string]V, list, id string, v V) {
	inner := m[list]
	if inner == nil {
		inner = map[string]V{}
		m[list] = inner
	}
	inner[id] = v
}

// addCount is txn.addCount on the overlay's counts, which start as stored.
func (o *listOverlay) addCount(article string, k annotation.Kind, n int) error {
	c, ok := o.counts[article]
	if !ok {
		var err error
		if c, err = o.t.storedCounts(article); err != nil {
			return err
		}
	}
	o.counts[article] = addClamped(c, k, n)
	return nil
}

// countsOf returns the counts of article id once the changes are
// applied; ok is false when they do not touch it (or o is nil).
func (o *listOverlay) countsOf(id string) (c annotation.Counts, ok bool) {
	if o == nil {
		return c, false
	}
	c, ok = o.counts[id]
	return c, ok
}

// articleIDs returns stored, the ids byarticle lists for article (in
// order), once the changes are applied, in order.
func (o *listOverlay) articleIDs(article string, stored []string) []string {
	if o == nil || o.articles[article] == nil {
		return stored
	}
	changed := o.articles[article]
	out := stored[:0:0]
	for _, id := range stored {
		if _, ok := changed[id]; !ok {
			out = append(out, id)
		}
	}
	for id, listed := range changed {
		if listed {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// speakerKinds returns, for the annotations the changes touch, the kind
// under which speaker lists each ("" when it does not); nil when o is nil.
func (o *listOverlay) speakerKinds(speaker string) map[string]annotation.Kind {
	if o == nil {
		return nil
	}
	return o.speakers[speaker]
}

func (o *listOverlay) listSpeaker(speaker, id string, k annotation.Kind) error {
	setIn(o.speakers, speaker, id, k)
	return nil
}

func (o *listOverlay) unlistSpeaker(speaker, id string) error {
	setIn(o.speakers, speaker, id, "")
	return nil
}

// settle applies the waiting list changes of t's (writable) transaction
// to the lists, in order, and deletes them; once the transaction
// commits, it tells t.lists (when set) how far the lists are applied.
// Several saves' changes to one article's counts are written once.
func (t *txn) settle() error {
	c := t.listChanges.Cursor()
	k, v := c.First()
	if k == nil {
		return nil
	}
	// Counts are written once per article (flushCounts), unless t keeps
	// them for its caller already.
	own := t.pendingCounts == nil
	if own {
		t.pendingCounts = map[string]annotation.Counts{}
		defer func() { t.pendingCounts = nil }()
	}
	var last uint64
	for ; k != nil; k, v = c.First() {
		ch, err := decodeListChange(v)
		if err != nil {
			return fmt.Errorf("list change %d: %w", binary.BigEndian.Uint64(k), err)
		}
		if err := applyList(t, ch); err != nil {
			return err
		}
		last = binary.BigEndian.Uint64(k)
		if err := c.Delete(); err != nil {
			return err
		}
	}
	if own {
		if err := t.flushCounts(); err != nil {
			return err
		}
	}
	if q := t.lists; q != nil {
		t.tx.OnCommit(func() { q.appliedTo(last) })
	}
	return nil
}

// listQueue follows the list changes waiting in the file, by their
// sequence numbers, and applies them in the background (see the comment
// at the top of this file).
type listQueue struct {
	// high is the highest sequence number of a committed list change,
	// applied the highest applied by a committed settle. Changes are
	// waiting while high > applied.
	high, applied atomic.Uint64
	wake          chan struct{} // capacity 1: high grew
	quit          chan struct{} // closed by stop
	done          chan struct{} // closed when the background goroutine returns
	stopOnce      sync.Once
}

// newListQueue returns a queue whose changes up to seq are applied.
func newListQueue(seq uint64) *listQueue {
	q := &listQueue{wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
	q.high.Store(seq)
	q.applied.Store(seq)
	return q
}

// noted records that list change seq has committed.
func (q *listQueue) noted(seq uint64) {
	atomicMax(&q.high, seq)
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// appliedTo records that the list changes up to seq have been applied.
func (q *listQueue) appliedTo(seq uint64) { atomicMax(&q.applied, seq) }

// waiting returns how many committed list changes are not yet applied.
func (q *listQueue) waiting() uint64 {
	applied := q.applied.Load()
	high := q.high.Load()
	if high <= applied {
		return 0
	}
	return high - applied
}

// atomicMax raises v to n unless it is already higher.
func atomicMax(v *atomic.Uint64, n uint64) {
	for {
		cur := v.Load()
		if cur >= n || v.CompareAndSwap(cur, n) {
			return
		}
	}
}

// run applies waiting list changes with apply, listApplyWait after the
// first arrives or at once when listApplyAt are waiting, until stop.
// A failed apply is tried again at the next change.
func (q *listQueue) run(apply func() error) {
	defer close(q.done)
	for {
		select {
		case <-q.quit:
			return
		case <-q.wake:
		}
		if q.waiting() == 0 {
			continue // a read or another write applied them
		}
		timer := time.NewTimer(listApplyWait)
	wait:
		for q.waiting() < listApplyAt {
			select {
			case <-q.quit:
				timer.Stop()
				return
			case <-timer.C:
				break wait
			case <-q.wake:
			}
		}
		timer.Stop()
		if q.waiting() > 0 {
			_ = apply() // the next read, write or Close applies them, or reports the error
		}
	}
}

// stop ends run and waits for it.
func (q *listQueue) stop() {
	q.stopOnce.Do(func() { close(q.quit) })
	<-q.done
}

// settleLists applies the waiting list changes, if any, in a transaction
// of the save group commit (serialized with the saves, and shared with
// those that arrive meanwhile): the background's work.
func (db *DB) settleLists() error {
	if db.lists.waiting() == 0 {
		return nil
	}
	return db.saves.runBackground(func(tx *bolt.Tx) error { return db.newTxn(tx).settle() })
}

// update runs fn in a write transaction, after the waiting list changes
// have been applied in it: fn may read and write the lists directly.
func (db *DB) update(fn func(*bolt.Tx) error) error {
	return db.bolt.Update(func(tx *bolt.Tx) error {
		if err := db.newTxn(tx).settle(); err != nil {
			return fmt.Errorf("apply the waiting list changes: %w", err)
		}
		return fn(tx)
	})
}
