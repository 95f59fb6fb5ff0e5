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

// versionRecord is what the versions bucket holds: an earlier text of an
// article, with its number, hash, length in code points and the time it
// was first stored.
type versionRecord struct {
	Version int       `json:"version"`
	Hash    string    `json:"hash"`
	Created time.Time `json:"created"`
	Chars   int       `json:"chars"`
	Text    string    `json:"text"`
}

// versionKey returns the versions-bucket key of text version n of article
// id: the id, "/" and n as 4 bytes big-endian, so that an article's
// versions sort in order under the prefix id + "/".
func versionKey(id string, n int) []byte {
	return binary.BigEndian.AppendUint32([]byte(id+"/"), uint32(n))
}

// putVersion keeps the current text of the stored article old as a
// version, before it is replaced.
func (t *txn) putVersion(old *articleRecord) error {
	text, ok := t.text(old.ID)
	if !ok {
		return fmt.Errorf("article %s has no text", old.ID)
	}
	return putJSON(t.versions, versionKey(old.ID, old.textVersion()), versionRecord{
		Version: old.textVersion(), Hash: old.TextHash, Created: old.textSince(),
		Chars: old.Chars, Text: text,
	})
}

// eachVersion calls fn with every stored earlier version of article id, in
// order, until fn returns false or an error.
func (t *txn) eachVersion(id string, fn func(*versionRecord) (bool, error)) error {
	prefix := []byte(id + "/")
	c := t.versions.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var rec versionRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return fmt.Errorf("decode version %x of article %s: %w", k[len(prefix):], id, err)
		}
		more, err := fn(&rec)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// versionText returns the text of the earlier version of article id whose
// hash is hash; ok is false when there is none.
func (t *txn) versionText(id, hash string) (text string, ok bool, err error) {
	err = t.eachVersion(id, func(r *versionRecord) (bool, error) {
		if r.Hash == hash {
			text, ok = r.Text, true
			return false, nil
		}
		return true, nil
	})
	return text, ok, err
}

// deleteVersions removes every earlier version of article id.
func (t *txn) deleteVersions(id string) error {
	prefix := []byte(id + "/")
	var keys [][]byte
	c := t.versions.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k)) // k may not outlive a Delete
	}
	for _, k := range keys {
		if err := t.versions.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// ArticleVersions lists the text versions of article id, oldest first; the
// last entry is the current text. Each entry is an ArticleSummary of which
// only these fields are set: ID (the article's), Version (the text version
// number, from 1), TextHash, Chars and Created (when that text was first
// stored). Text versions count changes of the text only, so they are not
// Article.Version numbers. A missing article is NotFound.
func (db *DB) ArticleVersions(ctx context.Context, id string) (_ []annotation.ArticleSummary, err error) {
	defer wrap(&err, "versions of article %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var list []annotation.ArticleSummary
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		rec, err := t.mustArticle(id)
		if err != nil {
			return err
		}
		err = t.eachVersion(id, func(r *versionRecord) (bool, error) {
			list = append(list, annotation.ArticleSummary{
				ID: id, Version: r.Version, TextHash: r.Hash, Chars: r.Chars, Created: r.Created,
			})
			return true, nil
		})
		list = append(list, annotation.ArticleSummary{
			ID: id, Version: rec.textVersion(), TextHash: rec.TextHash, Chars: rec.Chars, Created: rec.textSince(),
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// ArticleVersion returns article id with the text of text version n (see
// ArticleVersions): the current article's title, URL, source and published
// date, with Text and TextHash of that version, Version = n and Created
// and Updated = when that text was first stored. An unknown article or
// version is NotFound.
func (db *DB) ArticleVersion(ctx context.Context, id string, n int) (_ *annotation.Article, err error) {
	defer wrap(&err, "version %d of article %s", n, id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var a *annotation.Article
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := newTxn(tx)
		rec, err := t.mustArticle(id)
		if err != nil {
			return err
		}
		a = &rec.Article
		if n == rec.textVersion() {
			a.Text, _ = t.text(id)
			a.Version, a.Created, a.Updated = n, rec.textSince(), rec.textSince()
			return nil
		}
		if n < 1 || n > rec.textVersion() {
			return annotation.VersionNotFound(id, n, rec.textVersion())
		}
		data := t.versions.Get(versionKey(id, n))
		if data == nil {
			return annotation.VersionNotFound(id, n, rec.textVersion())
		}
		var v versionRecord
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("decode version %d of article %s: %w", n, id, err)
		}
		a.Text, a.TextHash, a.Version, a.Created, a.Updated = v.Text, v.Hash, n, v.Created, v.Created
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
