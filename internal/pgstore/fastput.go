package pgstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
)

// A new annotation is saved in one round trip when the store remembers
// what the save depends on: its article's text, hash and group, and the
// speaker its speaker text links to. putNew validates and completes the
// annotation against that memory, as putAnnotation does against the
// database, and sends it to claimmark_put_new (migration 5), which checks
// under the same locks that the memory still holds and writes the
// annotation, its relations and its change-log entry in one statement.
// When the memory is missing or stale, or the id is taken, the save takes
// putAnnotation's general path (prefetch, then writes and commit: two
// round trips), which refreshes the memory. The memory only decides which
// path is tried first: what is stored is the same either way.

// memory is what a Store remembers between saves. It is safe for
// concurrent use.
type memory struct {
	mu        sync.Mutex
	articles  map[string]*rememberedArticle // by id
	textBytes int                           // the sum of the texts' lengths
	speakers  map[string]string             // "id:"+id → id, "key:"+key → id of the speaker that owns key
}

// rememberedArticle is what a save needs of an article.
type rememberedArticle struct {
	text, textHash, groupID string
}

// Bounds of the memory: past them it forgets everything and starts again,
// which costs each article and speaker one save on the general path.
const (
	maxRememberedArticles  = 256
	maxRememberedText      = 32 << 20 // bytes
	maxRememberedSpeakers  = 4096
	maxRememberedTextPiece = 4 << 20 // longer texts are not remembered
)

func newMemory() *memory {
	return &memory{articles: map[string]*rememberedArticle{}, speakers: map[string]string{}}
}

// article returns what is remembered of article id, or nil.
func (m *memory) article(id string) *rememberedArticle {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.articles[id]
}

// noteArticle remembers the article rec (with its text) as read in a
// transaction; nil rec forgets article id.
func (m *memory) noteArticle(id string, rec *articleRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old := m.articles[id]; old != nil {
		m.textBytes -= len(old.text)
		delete(m.articles, id)
	}
	if rec == nil || len(rec.Text) > maxRememberedTextPiece {
		return
	}
	if len(m.articles) >= maxRememberedArticles || m.textBytes+len(rec.Text) > maxRememberedText {
		clear(m.articles)
		m.textBytes = 0
	}
	m.articles[id] = &rememberedArticle{text: rec.Text, textHash: rec.TextHash, groupID: rec.GroupID}
	m.textBytes += len(rec.Text)
}

// noteSpeakers remembers the outcome of speaker lookups, as prefetch
// keeps them: "id:"+id or "key:"+key → the speaker found, or nil for none.
func (m *memory) noteSpeakers(found map[string]*annotation.Speaker) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.speakers)+len(found) > maxRememberedSpeakers {
		clear(m.speakers)
	}
	for k, sp := range found {
		if sp == nil {
			delete(m.speakers, k)
		} else {
			m.speakers[k] = sp.ID
		}
	}
}

// speaker returns the id remembered under k ("id:"+id or "key:"+key).
func (m *memory) speaker(k string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id, ok := m.speakers[k]
	return id, ok
}

// errUnknown is how putNew's lookups say that the memory cannot answer.
var errUnknown = errors.New("not remembered")

// rememberedSpeakers gives annotation.LinkSpeaker the memory's answers,
// and records which check claimmark_put_new must make of the one it used.
type rememberedSpeakers struct {
	m   *memory
	key string // the key looked up, "" when the speaker was found by id
}

func (r *rememberedSpeakers) HasSpeaker(id string) (bool, error) {
	if _, ok := r.m.speaker("id:" + id); ok {
		return true, nil
	}
	return false, errUnknown
}

func (r *rememberedSpeakers) SpeakerIDByKey(key string) (string, bool, error) {
	r.key = key
	if id, ok := r.m.speaker("key:" + key); ok {
		return id, true, nil
	}
	return "", false, errUnknown
}

// newSave is a save of a new annotation prepared from the memory alone,
// on its way through a batch (see batcher).
type newSave struct {
	out        annotation.Annotation // as stored, when done
	textHash   string                // of the remembered article
	speakerKey *string               // the check of the speaker; nil: by id
	doc        []byte
	targets    []string

	// Set by the batch that carries it, before wake is sent false.
	seq  int64 // its change-log number; 0 when the checks failed
	err  error
	wake chan bool // true: lead the next batch; false: done
}

// prepareNew readies the save of in as a new annotation (ifMatch empty)
// from the memory alone. ok is false when the memory cannot answer
// something, or when in does not validate against the remembered
// article, or check (unless nil) refuses it there (the memory may be
// stale: the general path then gives the error).
//
// check is called as it would be in the write's transaction when the
// batch writes in: with no stored annotation and the remembered group,
// which claimmark_put_new requires of the id and the article under its
// locks.
func (s *Store) prepareNew(in annotation.Annotation, now time.Time, check annotation.WriteCheck) (_ *newSave, ok bool, err error) {
	if !annotation.ValidID(in.ID) || !annotation.ValidID(in.ArticleID) {
		return nil, false, nil
	}
	art := s.mem.article(in.ArticleID)
	if art == nil {
		return nil, false, nil
	}
	if check != nil && check(&in, nil, art.groupID, true) != nil {
		return nil, false, nil
	}
	curHash := ""
	if in.Target.TextHash != "" {
		curHash = art.textHash
	}
	earlier := func(string) (string, bool, error) { return "", false, errUnknown }
	if err := anchor.Resolve(&in, art.text, curHash, earlier, true); err != nil {
		return nil, false, nil
	}
	annotation.StampAnnotation(&in, nil, art.groupID)
	in.Modified, in.Revision = now, 1
	in.Created = in.Created.UTC()
	if in.Created.IsZero() || in.Created.After(now) {
		in.Created = now
	}
	look := &rememberedSpeakers{m: s.mem}
	created, err := annotation.LinkSpeaker(&in, nil, look, now)
	if err != nil || created != nil {
		return nil, false, nil
	}
	doc, err := encodeAnnotation(&in)
	if err != nil {
		return nil, false, err
	}
	n := &newSave{out: in, textHash: art.textHash, doc: doc, targets: relationTargets(&in), wake: make(chan bool, 1)}
	if look.key != "" {
		n.speakerKey = &look.key
	}
	return n, true, nil
}

// putNew saves in, a new annotation, in a batch when the memory and
// check allow (see prepareNew); done is false, with nothing written, when
// the save must take the general path.
func (s *Store) putNew(ctx context.Context, in annotation.Annotation, now time.Time, check annotation.WriteCheck) (out annotation.Annotation, done bool, err error) {
	n, ok, err := s.prepareNew(in, now, check)
	if err != nil || !ok {
		return out, false, err
	}
	s.batches.submit(ctx, n)
	var pe *pgconn.PgError
	switch {
	case n.err != nil && (errors.As(n.err, &pe) || pgconn.SafeToRetry(n.err)) && ctx.Err() == nil:
		return out, false, nil // the statement failed whole: the general path will say why, or retry
	case n.err != nil:
		return out, false, n.err
	case n.seq == 0:
		return out, false, nil
	}
	annotation.NoteLogPosition(ctx, uint64(n.seq))
	return n.out, true, nil
}

// batcher groups the new annotations that are saved at the same time
// into batches of one claimmark_put_new call each, so that under load a
// save costs a fraction of a round trip and of a commit, and alone costs
// what it did. At most maxBatches run at once; a save that arrives while
// they all run waits in pending, and the first waiter leads the next
// batch, with every save pending then, when one ends.
type batcher struct {
	pool *pgxpool.Pool

	mu      sync.Mutex
	running int        // batches running; guarded by mu
	pending []*newSave // guarded by mu

	stored atomic.Int64 // annotations that batches have stored, for tests
}

// maxBatches is how many batches of new annotations run at once.
const maxBatches = 2

// maxBatch caps the saves in one batch.
const maxBatch = 256

// submit saves n in a batch and returns once that batch has ended, with
// n.seq and n.err set.
func (b *batcher) submit(ctx context.Context, n *newSave) {
	b.mu.Lock()
	if b.running < maxBatches {
		b.running++
		b.mu.Unlock()
		b.lead(ctx, n)
		return
	}
	b.pending = append(b.pending, n)
	b.mu.Unlock()
	if <-n.wake {
		b.lead(ctx, n)
	}
}

// lead runs a batch of first and the saves pending, then hands its place
// among the running batches to the first save still pending, if any.
func (b *batcher) lead(ctx context.Context, first *newSave) {
	b.mu.Lock()
	k := min(len(b.pending), maxBatch-1)
	batch := append([]*newSave{first}, b.pending[:k]...)
	b.pending = b.pending[k:]
	b.mu.Unlock()

	// The batch carries other saves than the leader's: it runs to its end
	// even if the leader's request is cancelled.
	b.run(context.WithoutCancel(ctx), batch)
	for _, n := range batch[1:] {
		n.wake <- false
	}

	b.mu.Lock()
	if len(b.pending) > 0 {
		next := b.pending[0]
		b.pending = b.pending[1:]
		b.mu.Unlock()
		next.wake <- true
		return
	}
	b.running--
	b.mu.Unlock()
}

// run sends batch as one claimmark_put_new call and sets each save's seq,
// or the error of the call on every save.
func (b *batcher) run(ctx context.Context, batch []*newSave) {
	var (
		ids, articles, hashes, groups, creators, visibilities, kinds = cols(batch), cols(batch), cols(batch), cols(batch), cols(batch), cols(batch), cols(batch)
		speakers, keys                                               = make([]*string, len(batch)), make([]*string, len(batch))
		created, modified                                            = make([]time.Time, len(batch)), make([]time.Time, len(batch))
		docs                                                         = make([][]byte, len(batch))
		relOf                                                        []int32
		relTarget                                                    []string
	)
	for i, n := range batch {
		a := &n.out
		ids[i], articles[i], hashes[i], groups[i], creators[i] = a.ID, a.ArticleID, n.textHash, a.GroupID, a.Creator
		visibilities[i], kinds[i] = string(a.Visibility), string(a.Kind)
		if a.SpeakerID != "" {
			speakers[i] = &a.SpeakerID
		}
		keys[i], created[i], modified[i], docs[i] = n.speakerKey, a.Created, a.Modified, n.doc
		for _, t := range n.targets {
			relOf, relTarget = append(relOf, int32(i+1)), append(relTarget, t)
		}
	}
	var seqs []pgtype.Int8
	err := b.pool.QueryRow(ctx, "SELECT claimmark_put_new($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
		ids, articles, hashes, groups, creators, visibilities, speakers, keys, kinds, created, modified, docs,
		relOf, relTarget).Scan(&seqs)
	if err == nil && len(seqs) != len(batch) {
		err = fmt.Errorf("claimmark_put_new answered %d numbers for %d annotations", len(seqs), len(batch))
	}
	for i, n := range batch {
		if n.err = err; err == nil && seqs[i].Valid {
			n.seq = seqs[i].Int64
			b.stored.Add(1)
		}
	}
}

// cols returns a column of the batch's parameters.
func cols(batch []*newSave) []string { return make([]string, len(batch)) }
