package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// articleRecord is what the articles bucket holds: the article with an
// empty Text (the text lives in the texts bucket) and the text's length in
// code points, so that the library can be listed without reading texts.
type articleRecord struct {
	annotation.Article
	Chars int `json:"chars"`
	// TextVersion numbers the current text among the article's text
	// versions, from 1; TextSince is when it was stored. Records written
	// before versions were kept lack both: see textVersion and textSince.
	TextVersion int       `json:"textVersion,omitempty"`
	TextSince   time.Time `json:"textSince,omitzero"`
}

// textVersion returns the number of the current text version.
func (r *articleRecord) textVersion() int { return max(r.TextVersion, 1) }

// textSince returns when the current text was stored.
func (r *articleRecord) textSince() time.Time {
	if r.TextSince.IsZero() {
		return r.Created
	}
	return r.TextSince
}

// summary returns the library entry of r with counts c.
func (r *articleRecord) summary(c annotation.Counts) annotation.ArticleSummary {
	s := r.Article.Summary(c)
	s.Chars = r.Chars
	return s
}

// txn gives typed access to the buckets of one bbolt transaction. Its
// methods return plain errors for storage faults and *annotation.Error
// values only where the caller passes them on unchanged.
type txn struct {
	tx          *bolt.Tx
	articles    *bolt.Bucket
	texts       *bolt.Bucket
	urls        *bolt.Bucket
	hashes      *bolt.Bucket
	annotations *bolt.Bucket
	byArticle   *bolt.Bucket
	changes     *bolt.Bucket
	versions    *bolt.Bucket
	speakers    *bolt.Bucket
	speakerKeys *bolt.Bucket
	bySpeaker   *bolt.Bucket
	linksTo     *bolt.Bucket
	listChanges *bolt.Bucket
	// deferLists, set for saves (DB.saveTxn), makes putAnnotation and
	// deleteAnnotation append a list change instead of writing byarticle
	// and byspeaker (lists.go). Every other write finds them settled and
	// writes them itself.
	deferLists bool
	// lists, when not nil, is told of the list changes appended and
	// applied once the transaction commits.
	lists *listQueue
	// listView and listViewErr are what overlay built, in a read
	// transaction with list changes waiting.
	listView    *listOverlay
	listViewErr error
	lastSeq     uint64 // the last sequence number appendChange assigned
	// logged, when not nil, collects the change-log entries appended
	// (ImportCommitted hands them to the index).
	logged *[]annotation.Change
	// pendingCounts, when not nil, holds article counts changed by
	// addCount and not yet written: an import, which changes an article's
	// counts once per annotation, writes each once (flushCounts).
	pendingCounts map[string]annotation.Counts
}

// newTxn returns the bucket accessors of tx. Open created every bucket.
func newTxn(tx *bolt.Tx) *txn {
	t := &txn{
		tx:          tx,
		articles:    tx.Bucket(bucketArticles),
		texts:       tx.Bucket(bucketTexts),
		urls:        tx.Bucket(bucketURLs),
		hashes:      tx.Bucket(bucketHashes),
		annotations: tx.Bucket(bucketAnnotations),
		byArticle:   tx.Bucket(bucketByArticle),
		changes:     tx.Bucket(bucketChanges),
		versions:    tx.Bucket(bucketVersions),
		speakers:    tx.Bucket(bucketSpeakers),
		speakerKeys: tx.Bucket(bucketSpeakerKeys),
		bySpeaker:   tx.Bucket(bucketBySpeaker),
		linksTo:     tx.Bucket(bucketLinksTo),
		listChanges: tx.Bucket(bucketListChanges),
	}
	if tx.Writable() {
		t.changes.FillPercent = 1 // append-only: pack pages full
		t.listChanges.FillPercent = 1
	}
	return t
}

// newWriteTxn returns newTxn(tx) for a write made with ctx: once tx
// commits, the last sequence number the write logged goes to ctx's
// Position (annotation.NoteLogPosition). A transaction that rolls back, as
// a group commit's may before running its functions again, notes nothing.
func newWriteTxn(ctx context.Context, tx *bolt.Tx) *txn {
	t := newTxn(tx)
	tx.OnCommit(func() { annotation.NoteLogPosition(ctx, t.lastSeq) })
	return t
}

// article returns the record of article id; ok is false when there is none.
func (t *txn) article(id string) (rec *articleRecord, ok bool, err error) {
	data := t.articles.Get([]byte(id))
	if data == nil {
		return nil, false, nil
	}
	rec = new(articleRecord)
	if err := json.Unmarshal(data, rec); err != nil {
		return nil, false, fmt.Errorf("decode article %s: %w", id, err)
	}
	return rec, true, nil
}

// articleHead is what a save needs of an article's record: its text hash
// and group, decoded without the rest.
type articleHead struct {
	TextHash string `json:"textHash"`
	GroupID  string `json:"groupId"`
}

// articleHead returns the head of article id's record; ok is false when
// there is none.
func (t *txn) articleHead(id string) (h articleHead, ok bool, err error) {
	data := t.articles.Get([]byte(id))
	if data == nil {
		return h, false, nil
	}
	if h, err = decodeArticleHead(data); err != nil {
		return h, false, fmt.Errorf("decode article %s: %w", id, err)
	}
	return h, true, nil
}

// decodeArticleHead returns the head of the article record data: what
// json.Unmarshal gives for a record json.Marshal wrote (all the store
// writes), scanned without it when the record allows (scanString). A
// record holding the same key twice in different cases, which
// json.Marshal never writes, may be read differently: json.Unmarshal
// matches keys regardless of case, the scan exactly.
func decodeArticleHead(data []byte) (h articleHead, err error) {
	if th, ok := scanString(data, `"textHash":"`); ok {
		if g, ok := scanString(data, `"groupId":"`); ok {
			return articleHead{TextHash: th, GroupID: g}, nil
		}
	}
	err = json.Unmarshal(data, &h)
	return h, err
}

// scanString returns the string value that follows key (a quoted key, its
// colon and the value's opening quote, as json.Marshal writes them) in
// the JSON object data, without decoding the rest; ok is false unless key
// occurs exactly once and the value holds no escape. In JSON text a quote
// inside a string is escaped, so key cannot match inside another value.
// A record whose key is at its top level, like an articleRecord (which
// has no nested objects), is all it can be sure of: callers fall back to
// json.Unmarshal when ok is false.
func scanString(data []byte, key string) (string, bool) {
	i := bytes.Index(data, []byte(key))
	if i < 0 || bytes.Contains(data[i+len(key):], []byte(key)) {
		return "", false
	}
	v := data[i+len(key):]
	end := bytes.IndexByte(v, '"')
	if end < 0 || bytes.IndexByte(v[:end], '\\') >= 0 {
		return "", false
	}
	return string(v[:end]), true
}

// mustArticle returns the record of article id, or the NotFound error
// of articleNotFound when there is none.
func (t *txn) mustArticle(id string) (*articleRecord, error) {
	rec, ok, err := t.article(id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, annotation.ArticleNotFound(id)
	}
	return rec, nil
}

// text returns a copy of the text of article id; ok is false when there is
// no such article.
func (t *txn) text(id string) (text string, ok bool) {
	data := t.texts.Get([]byte(id))
	if data == nil {
		return "", false
	}
	return string(data), true
}

// duplicate returns the id of another article (not a.ID) with a's URL or
// text hash, and what they share ("web address" or "text"); id is "" when
// there is none.
func (t *txn) duplicate(a *annotation.Article) (id, what string) {
	if a.URL != "" {
		if v := t.urls.Get([]byte(a.URL)); v != nil && string(v) != a.ID {
			return string(v), "web address"
		}
	}
	if v := t.hashes.Get([]byte(a.TextHash)); v != nil && string(v) != a.ID {
		return string(v), "text"
	}
	return "", ""
}

// title returns the title of article id for messages, or its id when the
// record cannot be read.
func (t *txn) title(id string) string {
	rec, ok, err := t.article(id)
	if err != nil || !ok {
		return id
	}
	return rec.Title
}

// putArticle stores a (complete, with TextHash set) over old, the stored
// record of the same id or nil for a new article. It keeps the URL and hash
// indexes in step and, when a field shown with search hits changed, appends
// a change for every annotation of the article so derived indexes refresh.
// When the text changes, the old text is kept as a version (see
// putVersion); re-anchoring the annotations is the caller's job. The
// group and creator of an existing article are kept
// (annotation.StampArticle), in a too.
func (t *txn) putArticle(old *articleRecord, a *annotation.Article) error {
	if old != nil {
		annotation.StampArticle(a, &old.Article)
	}
	id := []byte(a.ID)
	rec := articleRecord{Article: *a, Chars: annotation.RuneLen(a.Text), TextVersion: 1, TextSince: a.Updated}
	rec.Text = ""
	if old != nil {
		rec.TextVersion, rec.TextSince = old.textVersion(), old.textSince()
		if old.TextHash != a.TextHash {
			if err := t.putVersion(old); err != nil {
				return err
			}
			rec.TextVersion, rec.TextSince = old.textVersion()+1, a.Updated
		}
		if old.URL != "" && old.URL != a.URL && string(t.urls.Get([]byte(old.URL))) == a.ID {
			if err := t.urls.Delete([]byte(old.URL)); err != nil {
				return err
			}
		}
		if old.TextHash != a.TextHash && string(t.hashes.Get([]byte(old.TextHash))) == a.ID {
			if err := t.hashes.Delete([]byte(old.TextHash)); err != nil {
				return err
			}
		}
		if old.Title != a.Title || old.URL != a.URL || old.Source != a.Source ||
			!old.Published.Equal(a.Published) || old.TextHash != a.TextHash {
			ids, err := t.annotationIDs(a.ID)
			if err != nil {
				return err
			}
			for _, annID := range ids {
				if err := t.appendArticleChange(annID, a.ID); err != nil {
					return err
				}
			}
		}
	}
	if a.URL != "" {
		if err := t.urls.Put([]byte(a.URL), id); err != nil {
			return err
		}
	}
	if err := t.hashes.Put([]byte(a.TextHash), id); err != nil {
		return err
	}
	if old == nil || old.TextHash != a.TextHash {
		if err := t.texts.Put(id, []byte(a.Text)); err != nil {
			return err
		}
	}
	return putJSON(t.articles, id, rec)
}

// deleteArticle removes article rec and every annotation of it, appending
// a change for each annotation.
func (t *txn) deleteArticle(rec *articleRecord) error {
	ids, err := t.annotationIDs(rec.ID)
	if err != nil {
		return err
	}
	for _, annID := range ids {
		old, ok, err := t.annotation(annID)
		if err != nil {
			return err
		}
		if ok {
			if err := t.unlinkSpeaker(old); err != nil {
				return err
			}
			if err := t.putLinks(old, nil); err != nil {
				return err
			}
		}
		if err := t.annotations.Delete([]byte(annID)); err != nil {
			return err
		}
		if err := t.byArticle.Delete(byArticleKey(rec.ID, annID)); err != nil {
			return err
		}
		if err := t.appendChange(annID); err != nil {
			return err
		}
	}
	id := []byte(rec.ID)
	if rec.URL != "" && string(t.urls.Get([]byte(rec.URL))) == rec.ID {
		if err := t.urls.Delete([]byte(rec.URL)); err != nil {
			return err
		}
	}
	if string(t.hashes.Get([]byte(rec.TextHash))) == rec.ID {
		if err := t.hashes.Delete([]byte(rec.TextHash)); err != nil {
			return err
		}
	}
	if err := t.deleteVersions(rec.ID); err != nil {
		return err
	}
	if err := t.deleteRejections(rec.ID); err != nil {
		return err
	}
	delete(t.pendingCounts, rec.ID)
	if err := t.byArticle.Delete(countsKey(rec.ID)); err != nil {
		return err
	}
	for _, b := range []*bolt.Bucket{t.texts, t.articles} {
		if err := b.Delete(id); err != nil {
			return err
		}
	}
	return nil
}

// annotationIDs returns the ids of the annotations of article id, in id
// order: its byarticle keys but the last, that of its counts (countsKey),
// with the waiting list changes applied (listOverlay) in a read
// transaction.
func (t *txn) annotationIDs(articleID string) ([]string, error) {
	prefix := byArticleKey(articleID, "")
	var ids []string
	c := t.byArticle.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if id := k[len(prefix):]; len(id) != 1 || id[0] != countsMark {
			ids = append(ids, string(id))
		}
	}
	o, err := t.overlay()
	if err != nil {
		return nil, err
	}
	return o.articleIDs(articleID, ids), nil
}

// annotation returns annotation id; ok is false when there is none.
func (t *txn) annotation(id string) (a *annotation.Annotation, ok bool, err error) {
	return readAnnotation(t.annotations, id)
}

// readAnnotation returns annotation id of the annotations bucket b; ok is
// false when there is none. A read of one annotation opens b alone:
// newTxn opens every bucket.
func readAnnotation(b *bolt.Bucket, id string) (a *annotation.Annotation, ok bool, err error) {
	data := b.Get([]byte(id))
	if data == nil {
		return nil, false, nil
	}
	// DecodeAnnotation copies data (valid only in the transaction) and
	// reads json.Marshal's form without reflection.
	a, err = annotation.DecodeAnnotation(data)
	if err != nil {
		return nil, false, fmt.Errorf("decode annotation %s: %w", id, err)
	}
	return a, true, nil
}

// putAnnotation stores a (complete and valid) over old, the stored
// annotation of the same id or nil, keeping the lists (the article's
// annotations and counts, the speaker's) in step or leaving a list change
// (changeLists), links a to its speaker (annotation.LinkSpeaker, which
// sets a.SpeakerID and may create a speaker, Created now) and appends a
// change.
func (t *txn) putAnnotation(old, a *annotation.Annotation, now time.Time) error {
	if err := t.createSpeaker(old, a, now); err != nil {
		return err
	}
	if err := t.changeLists(old, a); err != nil {
		return err
	}
	if err := t.putLinks(old, a); err != nil {
		return err
	}
	if err := putAnnotationJSON(t.annotations, a); err != nil {
		return err
	}
	return t.appendChange(a.ID)
}

// deleteAnnotation removes the stored annotation a and appends a change.
func (t *txn) deleteAnnotation(a *annotation.Annotation) error {
	if err := t.changeLists(a, nil); err != nil {
		return err
	}
	if err := t.annotations.Delete([]byte(a.ID)); err != nil {
		return err
	}
	if err := t.putLinks(a, nil); err != nil {
		return err
	}
	return t.appendChange(a.ID)
}

// putLinks keeps the linksto bucket in step when the stored annotation
// old (or nil) becomes a (or nil, when it is deleted): the keys of
// targets old links to and a does not are removed, those of a added.
func (t *txn) putLinks(old, a *annotation.Annotation) error {
	if (a == nil || len(a.Relations) == 0) && (old == nil || len(old.Relations) == 0) {
		return nil
	}
	keep := map[string]bool{}
	if a != nil {
		for _, r := range a.Relations {
			keep[r.Target] = true
		}
	}
	had := map[string]bool{}
	if old != nil {
		for _, r := range old.Relations {
			had[r.Target] = true
			if !keep[r.Target] {
				if err := t.linksTo.Delete(byArticleKey(r.Target, old.ID)); err != nil {
					return err
				}
			}
		}
	}
	for target := range keep {
		if had[target] {
			continue // kept: its key is there already
		}
		if err := t.linksTo.Put(byArticleKey(target, a.ID), nil); err != nil {
			return err
		}
	}
	return nil
}

// linkingIDs returns the ids of the annotations that link to annotation
// id, in id order.
func (t *txn) linkingIDs(id string) []string {
	prefix := byArticleKey(id, "")
	var ids []string
	c := t.linksTo.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, string(k[len(prefix):]))
	}
	return ids
}

// appendChange appends a change-log entry for annotation id with the next
// sequence number.
func (t *txn) appendChange(id string) error { return t.appendArticleChange(id, "") }

// appendArticleChange appends a change-log entry for annotation id, logged
// because fields of its article (article, when not "") shown with hits
// changed (annotation.Change.Article).
func (t *txn) appendArticleChange(id, article string) error {
	seq, err := t.changes.NextSequence()
	if err != nil {
		return fmt.Errorf("next change sequence: %w", err)
	}
	t.lastSeq = seq
	c := annotation.Change{Seq: seq, AnnotationID: id, Article: article}
	if t.logged != nil {
		*t.logged = append(*t.logged, c)
	}
	return putJSON(t.changes, seqKey(seq), c)
}

// byArticleKey returns the byarticle key of annotation annID of article
// articleID. IDs never contain '/', so the prefix articleID+"/" selects
// exactly that article's annotations, and its counts (countsKey).
func byArticleKey(articleID, annID string) []byte {
	return []byte(articleID + "/" + annID)
}

// seqKey returns the changes-bucket key of seq: 8 bytes, big-endian, so
// that keys sort in sequence order.
func seqKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64(make([]byte, 0, 8), seq)
}

// putJSON stores the JSON encoding of v under key in b.
func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put(key, data)
}

// putAnnotationJSON stores the JSON of a under its id in b: the bytes
// json.Marshal gives, written without reflection (annotation.AppendJSON).
func putAnnotationJSON(b *bolt.Bucket, a *annotation.Annotation) error {
	data, err := annotation.AppendJSON(nil, a)
	if err != nil {
		return fmt.Errorf("encode annotation %s: %w", a.ID, err)
	}
	return b.Put([]byte(a.ID), data)
}

// annotationsOf returns the stored annotations of ids, in that order,
// leaving out ids with none; the slice is empty, not nil, when none are.
func (t *txn) annotationsOf(ids []string) ([]*annotation.Annotation, error) {
	list := []*annotation.Annotation{}
	for _, id := range ids {
		a, ok, err := t.annotation(id)
		if err != nil {
			return nil, err
		}
		if ok {
			list = append(list, a)
		}
	}
	return list, nil
}
