package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
)

// txn gives typed access to the tables in one transaction, as package
// store's txn does to its buckets, and collects the change-log entries of
// the write (flush numbers and stores them at commit). Its methods return
// plain errors for storage faults and *annotation.Error values only where
// the caller passes them on unchanged.
type txn struct {
	ctx     context.Context
	tx      querier
	changes []string // annotation ids, in the order changed
	// articleOf maps the annotation ids in changes that articleChanged
	// logged to their article (annotation.Change.Article); nil when none.
	articleOf map[string]string
	// articles holds the articles that articleChanged logged an entry of
	// their own for (no annotation id), in order; flush appends them
	// after changes.
	articles []string
	lastSeq  uint64  // the last sequence number flush assigned
	mem      *memory // where prefetch notes what it read; nil outside writes

	// made holds the speakers linkSpeaker created, remembered once the
	// write commits: "key:"+key → speaker.
	made map[string]*annotation.Speaker

	// speakerCache holds speakers prefetch read, by "id:"+id and
	// "key:"+key (nil: none), for LinkSpeaker; nil when unused.
	speakerCache map[string]*annotation.Speaker
}

// prefetch reads what putAnnotation needs of in in one round trip: its
// article (with text, locked for share), the stored annotation (locked
// for update), and the speakers LinkSpeaker will likely look up (by in's
// speaker id and by its speaker text's key), which it keeps in
// t.speakerCache.
func (t *txn) prefetch(in *annotation.Annotation) (art *articleRecord, artOK bool, old *annotation.Annotation, oldOK bool, err error) {
	p, ok := t.tx.(*pipe)
	if !ok {
		if art, artOK, err = t.article(in.ArticleID, true, forShare); err != nil {
			return
		}
		old, oldOK, err = t.annotation(in.ID, forUpdate)
		return
	}
	var artDoc, oldDoc []byte
	var text string
	optional := func(err error, found *bool) error {
		*found = err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	}
	p.queue.Queue("SELECT doc, text FROM articles WHERE id = $1"+forShare, in.ArticleID).QueryRow(func(row pgx.Row) error {
		return optional(row.Scan(&artDoc, &text), &artOK)
	})
	p.queue.Queue("SELECT doc FROM annotations WHERE id = $1"+forUpdate, in.ID).QueryRow(func(row pgx.Row) error {
		return optional(row.Scan(&oldDoc), &oldOK)
	})
	t.speakerCache = map[string]*annotation.Speaker{}
	speakerDocs := map[string]*[]byte{}
	lookup := func(cacheKey, sql, arg string) {
		doc := new([]byte)
		speakerDocs[cacheKey] = doc
		var found bool
		p.queue.Queue(sql, arg).QueryRow(func(row pgx.Row) error { return optional(row.Scan(doc), &found) })
	}
	if in.SpeakerID != "" {
		lookup("id:"+in.SpeakerID, "SELECT doc FROM speakers WHERE id = $1", in.SpeakerID)
	}
	if key := annotation.SpeakerKey(in.Speaker); key != "" {
		lookup("key:"+key, "SELECT s.doc FROM speaker_keys k JOIN speakers s ON s.id = k.speaker_id WHERE k.key = $1", key)
	}
	if err = p.send(t.ctx); err != nil {
		return
	}
	if artOK {
		art = new(articleRecord)
		if err = json.Unmarshal(artDoc, art); err != nil {
			return nil, false, nil, false, fmt.Errorf("decode article %s: %w", in.ArticleID, err)
		}
		art.Text = text
	}
	defer func() {
		if err == nil && t.mem != nil {
			t.mem.noteArticle(in.ArticleID, art)
			t.mem.noteSpeakers(t.speakerCache)
		}
	}()
	if oldOK {
		if old, err = decodeAnnotation(oldDoc); err != nil {
			return
		}
	}
	for k, doc := range speakerDocs {
		var sp *annotation.Speaker
		if len(*doc) > 0 {
			if sp, _, err = decodeSpeaker(*doc); err != nil {
				return
			}
		}
		t.speakerCache[k] = sp
	}
	return
}

// Row locks that the lookups can take.
const (
	noLock      = ""
	forShare    = " FOR SHARE"
	forUpdate   = " FOR UPDATE"
	forKeyShare = " FOR KEY SHARE"
)

// articleRecord is the doc of an articles row: the article without its
// text, with the text's length in code points and the number and date of
// the current text version, as package store keeps them.
type articleRecord struct {
	annotation.Article
	Chars       int       `json:"chars"`
	TextVersion int       `json:"textVersion"`
	TextSince   time.Time `json:"textSince"`
}

// summary returns the library entry of r with counts c.
func (r *articleRecord) summary(c annotation.Counts) annotation.ArticleSummary {
	s := r.Article.Summary(c)
	s.Chars = r.Chars
	return s
}

// versionRecord is the doc of an article_versions row (the text is a
// column of its own).
type versionRecord struct {
	Version int       `json:"version"`
	Hash    string    `json:"hash"`
	Created time.Time `json:"created"`
	Chars   int       `json:"chars"`
}

func (t *txn) exec(sql string, args ...any) error {
	_, err := t.tx.Exec(t.ctx, sql, args...)
	return err
}

// article returns the record of article id, with its Text when withText;
// ok is false when there is none. lock is one of the row locks.
func (t *txn) article(id string, withText bool, lock string) (rec *articleRecord, ok bool, err error) {
	var doc []byte
	var text string
	q := "SELECT doc, '' FROM articles WHERE id = $1"
	if withText {
		q = "SELECT doc, text FROM articles WHERE id = $1"
	}
	err = t.tx.QueryRow(t.ctx, q+lock, id).Scan(&doc, &text)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	rec = new(articleRecord)
	if err := json.Unmarshal(doc, rec); err != nil {
		return nil, false, fmt.Errorf("decode article %s: %w", id, err)
	}
	rec.Text = text
	return rec, true, nil
}

// mustArticle is article, with the NotFound error of articleNotFound
// when there is none.
func (t *txn) mustArticle(id string, withText bool, lock string) (*articleRecord, error) {
	rec, ok, err := t.article(id, withText, lock)
	if err == nil && !ok {
		err = annotation.ArticleNotFound(id)
	}
	return rec, err
}

// duplicate returns the id of another article (not a.ID) with a's URL or
// text hash, and what they share ("web address" or "text"); id is "" when
// there is none.
func (t *txn) duplicate(a *annotation.Article) (id, what string, err error) {
	err = t.tx.QueryRow(t.ctx, `SELECT id, CASE WHEN url = $2 THEN 'web address' ELSE 'text' END FROM articles
		WHERE id <> $1 AND (url = $2 OR text_hash = $3) ORDER BY url = $2 DESC LIMIT 1`,
		a.ID, nullable(a.URL), a.TextHash).Scan(&id, &what)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", nil
	}
	return id, what, err
}

// title returns the title of article id for messages, or its id when it
// cannot be read.
func (t *txn) title(id string) string {
	rec, ok, err := t.article(id, false, noLock)
	if err != nil || !ok {
		return id
	}
	return rec.Title
}

// putArticle stores a (complete, with TextHash set) over old, the stored
// record of the same id (with its text) or nil for a new article, as
// package store does: the group and creator of an existing article are
// kept (annotation.StampArticle, in a too); when a field shown with search
// hits changed, a change is appended for every annotation of the article;
// when the text changes, the old text is kept as a version. Re-anchoring
// the annotations is the caller's job.
func (t *txn) putArticle(old *articleRecord, a *annotation.Article) error {
	var oldArticle *annotation.Article
	if old != nil {
		oldArticle = &old.Article
	}
	annotation.StampArticle(a, oldArticle)
	rec := articleRecord{Article: *a, Chars: annotation.RuneLen(a.Text), TextVersion: 1, TextSince: a.Updated}
	rec.Text = ""
	if old != nil {
		rec.TextVersion, rec.TextSince = old.TextVersion, old.TextSince
		if old.TextHash != a.TextHash {
			if err := t.putVersion(old); err != nil {
				return err
			}
			rec.TextVersion, rec.TextSince = old.TextVersion+1, a.Updated
		}
		if old.Title != a.Title || old.URL != a.URL || old.Source != a.Source ||
			!old.Published.Equal(a.Published) || old.TextHash != a.TextHash {
			ids, err := t.annotationIDs("article_id", a.ID)
			if err != nil {
				return err
			}
			t.articleChanged(a.ID, ids)
		}
	}
	doc, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode article %s: %w", a.ID, err)
	}
	if old == nil {
		return t.exec(`INSERT INTO articles (id, url, text_hash, created, group_id, creator, doc, text)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			a.ID, nullable(a.URL), a.TextHash, a.Created, a.GroupID, a.Creator, doc, a.Text)
	}
	return t.exec(`UPDATE articles SET url = $2, text_hash = $3, created = $4, group_id = $5, creator = $6, doc = $7,
		text = CASE WHEN $9 THEN $8 ELSE text END WHERE id = $1`,
		a.ID, nullable(a.URL), a.TextHash, a.Created, a.GroupID, a.Creator, doc, a.Text, old.TextHash != a.TextHash)
}

// putVersion keeps the current text of the stored article old as a
// version, before it is replaced.
func (t *txn) putVersion(old *articleRecord) error {
	doc, err := json.Marshal(versionRecord{Version: old.TextVersion, Hash: old.TextHash, Created: old.TextSince, Chars: old.Chars})
	if err != nil {
		return err
	}
	return t.exec(`INSERT INTO article_versions (article_id, version, hash, doc, text)
		SELECT id, $2, $3, $4, text FROM articles WHERE id = $1
		ON CONFLICT (article_id, version) DO UPDATE SET hash = EXCLUDED.hash, doc = EXCLUDED.doc, text = EXCLUDED.text`,
		old.ID, old.TextVersion, old.TextHash, doc)
}

// versionText returns the text of the earlier version of article id whose
// hash is hash; ok is false when there is none.
func (t *txn) versionText(id, hash string) (text string, ok bool, err error) {
	err = t.tx.QueryRow(t.ctx, "SELECT text FROM article_versions WHERE article_id = $1 AND hash = $2 ORDER BY version LIMIT 1",
		id, hash).Scan(&text)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return text, err == nil, err
}

// deleteArticle removes article id and every annotation of it, appending
// changes as articleChanged does: a server following the log forgets the
// title, which an article created again with the same id must not show.
func (t *txn) deleteArticle(id string) error {
	ids, err := t.annotationIDs("article_id", id)
	if err != nil {
		return err
	}
	if err := t.exec("DELETE FROM annotations WHERE article_id = $1", id); err != nil {
		return err
	}
	t.articleChanged(id, ids)
	return t.exec("DELETE FROM articles WHERE id = $1", id) // versions go with it
}

// articleChanged appends the changes of a write that changed article
// (a field shown with search hits, or its existence), whose annotations
// are ids: one entry per annotation, naming the article
// (annotation.Change.Article), or, when it has none, one entry naming
// only the article, so that servers following the log still forget the
// title they cache.
func (t *txn) articleChanged(article string, ids []string) {
	if len(ids) == 0 {
		t.articles = append(t.articles, article)
		return
	}
	if t.articleOf == nil {
		t.articleOf = map[string]string{}
	}
	t.changes = append(t.changes, ids...)
	for _, id := range ids {
		t.articleOf[id] = article
	}
}

// annotationIDs returns the ids of the annotations whose column col
// (article_id or speaker_id) is v, in id order.
func (t *txn) annotationIDs(col, v string) ([]string, error) {
	rows, _ := t.tx.Query(t.ctx, "SELECT id FROM annotations WHERE "+col+" = $1 ORDER BY id", v)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// annotation returns annotation id; ok is false when there is none.
func (t *txn) annotation(id string, lock string) (a *annotation.Annotation, ok bool, err error) {
	var doc []byte
	err = t.tx.QueryRow(t.ctx, "SELECT doc FROM annotations WHERE id = $1"+lock, id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	a, err = decodeAnnotation(doc)
	return a, err == nil, err
}

// annotations returns the annotations that query (selecting doc) finds,
// in its order; empty, not nil, when none.
func (t *txn) annotations(query string, args ...any) ([]*annotation.Annotation, error) {
	rows, _ := t.tx.Query(t.ctx, query, args...)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*annotation.Annotation, error) {
		var doc []byte
		if err := row.Scan(&doc); err != nil {
			return nil, err
		}
		return decodeAnnotation(doc)
	})
	if list == nil {
		list = []*annotation.Annotation{}
	}
	return list, err
}

func decodeAnnotation(doc []byte) (*annotation.Annotation, error) {
	a := new(annotation.Annotation)
	if err := json.Unmarshal(doc, a); err != nil {
		return nil, fmt.Errorf("decode annotation: %w", err)
	}
	return a, nil
}

// putAnnotation stores a (complete and valid) over old, the stored
// annotation of the same id, read under this transaction's lock, or nil
// when there is none (the row is then inserted, never replaced): links a to its speaker
// (annotation.LinkSpeaker, which sets a.SpeakerID and may create a
// speaker, Created now), keeps the relations in step and appends a change.
func (t *txn) putAnnotation(old, a *annotation.Annotation, now time.Time) error {
	if err := t.linkSpeaker(old, a, now); err != nil {
		return err
	}
	save := t.saveAnnotation
	if old == nil {
		save = t.insertAnnotation
	}
	if err := save(a); err != nil {
		return err
	}
	if err := t.putLinks(a); err != nil {
		return err
	}
	t.changes = append(t.changes, a.ID)
	return nil
}

// insertAnnotation writes a's row as saveAnnotation does, but only as a
// new row: when a concurrent transaction created the same id after this
// one found none, the insert fails with a unique violation and the write
// is run again (retryable), reading the row that now exists under its lock,
// so that the permission check and If-Match see it instead of the write
// silently replacing it.
func (t *txn) insertAnnotation(a *annotation.Annotation) error {
	doc, err := encodeAnnotation(a)
	if err != nil {
		return err
	}
	return t.exec(`INSERT INTO annotations (id, article_id, group_id, creator, visibility, speaker_id, kind, created, modified, revision, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		a.ID, a.ArticleID, a.GroupID, a.Creator, string(a.Visibility), nullable(a.SpeakerID), string(a.Kind),
		a.Created, a.Modified, a.Revision, doc)
}

// saveAnnotation writes a's row (insert or update), its columns derived
// from a.
func (t *txn) saveAnnotation(a *annotation.Annotation) error {
	doc, err := encodeAnnotation(a)
	if err != nil {
		return err
	}
	return t.exec(`INSERT INTO annotations (id, article_id, group_id, creator, visibility, speaker_id, kind, created, modified, revision, doc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET article_id = EXCLUDED.article_id, group_id = EXCLUDED.group_id,
			creator = EXCLUDED.creator, visibility = EXCLUDED.visibility, speaker_id = EXCLUDED.speaker_id,
			kind = EXCLUDED.kind, created = EXCLUDED.created, modified = EXCLUDED.modified,
			revision = EXCLUDED.revision, doc = EXCLUDED.doc`,
		a.ID, a.ArticleID, a.GroupID, a.Creator, string(a.Visibility), nullable(a.SpeakerID), string(a.Kind),
		a.Created, a.Modified, a.Revision, doc)
}

// putLinks makes the relations rows of a (stored) those of a.Relations.
func (t *txn) putLinks(a *annotation.Annotation) error {
	targets := relationTargets(a)
	if err := t.exec("DELETE FROM relations WHERE source_id = $1 AND NOT (target_id = ANY($2))", a.ID, targets); err != nil {
		return err
	}
	if len(targets) == 0 {
		return nil
	}
	return t.exec(`INSERT INTO relations (target_id, source_id) SELECT unnest($2::text[]), $1
		ON CONFLICT DO NOTHING`, a.ID, targets)
}

// encodeAnnotation returns a as stored in the doc column.
func encodeAnnotation(a *annotation.Annotation) ([]byte, error) {
	doc, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("encode annotation %s: %w", a.ID, err)
	}
	return doc, nil
}

// relationTargets returns the ids a's relations point to, each once, in
// order; empty, not nil, when none.
func relationTargets(a *annotation.Annotation) []string {
	targets := []string{}
	for _, r := range a.Relations {
		if !slices.Contains(targets, r.Target) {
			targets = append(targets, r.Target)
		}
	}
	return targets
}

// deleteAnnotation removes the stored annotation id (its links from go
// with it) and appends a change.
func (t *txn) deleteAnnotation(id string) error {
	if err := t.exec("DELETE FROM annotations WHERE id = $1", id); err != nil {
		return err
	}
	t.changes = append(t.changes, id)
	return nil
}

// flush numbers the changes collected in t from change_numbers, in
// order (those of t.articles last), and stores them, and notifies the
// channel ChangesChannel with the last number, delivered at commit. On a
// pipe the statement is only queued, to go with the COMMIT; t.lastSeq is
// set when it has run.
func (t *txn) flush() error {
	if len(t.changes) == 0 && len(t.articles) == 0 {
		return nil
	}
	sql := `WITH ins AS (INSERT INTO changes (seq, annotation_id)
			SELECT nextval('change_numbers'), id FROM (SELECT u.id FROM unnest($1::text[]) WITH ORDINALITY AS u(id, i) ORDER BY u.i) o
			RETURNING seq)
		SELECT max(seq), pg_notify('` + ChangesChannel + `', max(seq)::text) FROM ins`
	args := []any{t.changes}
	if t.articleOf != nil || t.articles != nil {
		sql = `WITH ins AS (INSERT INTO changes (seq, annotation_id, article_id)
			SELECT nextval('change_numbers'), id, NULLIF(art, '') FROM (SELECT u.id, u.art FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(id, art, i) ORDER BY u.i) o
			RETURNING seq)
		SELECT max(seq), pg_notify('` + ChangesChannel + `', max(seq)::text) FROM ins`
		ids := slices.Concat(t.changes, make([]string, len(t.articles)))
		arts := make([]string, len(t.changes), len(ids))
		for i, id := range t.changes {
			arts[i] = t.articleOf[id]
		}
		args = []any{ids, append(arts, t.articles...)}
	}
	if p, ok := t.tx.(*pipe); ok {
		p.queueRow(sql, args, &t.lastSeq, nil)
		return nil
	}
	if err := t.tx.QueryRow(t.ctx, sql, args...).Scan(&t.lastSeq, nil); err != nil {
		return fmt.Errorf("append %d changes: %w", len(t.changes), err)
	}
	return nil
}

// reanchorArticle re-attaches every stored annotation of article id to its
// new text, which replaced the text whose hash is prevHash (see
// anchor.Reanchor). Annotations that change get the next revision and
// Modified = now; no change-log entries are appended, since putArticle has
// appended one for every annotation of an article whose text changed.
func (t *txn) reanchorArticle(id, prevHash, text string, now time.Time) (annotation.Reanchored, error) {
	anns, err := t.annotations("SELECT doc FROM annotations WHERE article_id = $1 ORDER BY id FOR UPDATE", id)
	if err != nil {
		return annotation.Reanchored{}, err
	}
	changed, rep := anchor.Reanchor(anns, prevHash, text)
	for _, i := range changed {
		a := anns[i]
		a.Revision++
		a.Modified = now
		if err := t.saveAnnotation(a); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// resolve validates in against the text its target was made on and
// completes it, for PutAnnotation (put set) and Import; see
// anchor.Resolve. cur and curHash are the current text of in's article
// and its hash.
func (t *txn) resolve(in *annotation.Annotation, cur, curHash string, put bool) error {
	earlier := func(hash string) (string, bool, error) { return t.versionText(in.ArticleID, hash) }
	return anchor.Resolve(in, cur, curHash, earlier, put)
}

// nullable returns nil for "" (stored as NULL), else s.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// saveArticleRecord writes the doc, group and creator of the stored
// article rec (whose text and hashes do not change).
func (t *txn) saveArticleRecord(rec *articleRecord) error {
	r := *rec
	r.Text = ""
	doc, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode article %s: %w", r.ID, err)
	}
	return t.exec("UPDATE articles SET doc = $2, group_id = $3, creator = $4 WHERE id = $1", r.ID, doc, r.GroupID, r.Creator)
}
