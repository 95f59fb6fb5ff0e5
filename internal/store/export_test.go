package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// BucketLen returns the number of keys in bucket name, for tests that
// check that indexes do not keep stale entries.
func (db *DB) BucketLen(name string) int {
	n := 0
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Bucket([]byte(name)).Stats().KeyN
		return nil
	})
	return n
}

// Lookups returns the entries of the byarticle, byspeaker and linksto
// buckets that name annotation id, as "byarticle ARTICLE",
// "byspeaker SPEAKER KIND" and "linksto TARGET", sorted, once the
// waiting list changes are applied.
func (db *DB) Lookups(id string) []string {
	var out []string
	suffix := "/" + id
	_ = db.settleLists()
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		for _, b := range []string{"byarticle", "byspeaker", "linksto"} {
			_ = tx.Bucket([]byte(b)).ForEach(func(k, v []byte) error {
				if key := string(k); strings.HasSuffix(key, suffix) {
					e := b + " " + strings.TrimSuffix(key, suffix)
					if b == "byspeaker" {
						e += " " + string(v)
					}
					out = append(out, e)
				}
				return nil
			})
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// SaveGroup saves anns (new or replacing) in one transaction, as
// groupCommit does for concurrent PutAnnotation calls, and returns the
// pages bbolt wrote for it, the meta page included.
func (db *DB) SaveGroup(anns []*annotation.Annotation) (pages int64, err error) {
	before := writes(db.bolt)
	now := db.stamp()
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.saveTxn(context.Background(), tx)
		for _, a := range anns {
			if _, _, err := putAnnotation(t, *a.Clone(), "", now, nil); err != nil {
				return err
			}
		}
		return nil
	})
	return writes(db.bolt) - before, err
}

// writes returns the pages db has written since it was opened.
func writes(db *bolt.DB) int64 {
	s := db.Stats()
	return s.TxStats.GetWrite()
}

// Groups returns how many groups of saves db has committed and how many
// saves they held.
func (db *DB) Groups() (groups, saves int) {
	db.saves.mu.Lock()
	defer db.saves.mu.Unlock()
	return db.saves.groups, db.saves.saves
}

// BucketPages returns the ids of the pages of every top-level bucket of
// db, by bucket name, read from the file of the last commit: a bucket's
// root page and every page below it (an inline bucket has none). bbolt
// writes a changed page to a new id and keeps the id of a page it did not
// change, so the ids in a result that are not in an earlier one are the
// pages the commits between them wrote.
func (db *DB) BucketPages() (map[string]map[uint64]bool, error) {
	f, err := os.Open(db.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := db.bolt.Info().PageSize
	out := map[string]map[uint64]bool{}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			ids := map[uint64]bool{}
			out[string(name)] = ids
			if root := uint64(b.Root()); root != 0 {
				return walkPages(f, size, root, ids)
			}
			return nil
		})
	})
	return out, err
}

// walkPages adds id and the pages below it to ids. A page begins with a
// 16-byte header (id, flags, element count, overflow pages); a branch
// page's elements are 16 bytes each, the child page id in their last 8.
func walkPages(f *os.File, size int, id uint64, ids map[uint64]bool) error {
	ids[id] = true
	head := make([]byte, size)
	if _, err := f.ReadAt(head, int64(id)*int64(size)); err != nil {
		return err
	}
	le := binary.LittleEndian
	flags, count, overflow := le.Uint16(head[8:]), int(le.Uint16(head[10:])), uint64(le.Uint32(head[12:]))
	for i := range overflow {
		ids[id+1+i] = true
	}
	const branch = 0x01
	if flags&branch == 0 {
		return nil
	}
	data := head
	if overflow > 0 {
		data = make([]byte, size*int(overflow+1))
		if _, err := f.ReadAt(data, int64(id)*int64(size)); err != nil {
			return err
		}
	}
	for i := range count {
		child := le.Uint64(data[16+16*i+8:])
		if err := walkPages(f, size, child, ids); err != nil {
			return err
		}
	}
	return nil
}

// WaitingListChanges returns how many list changes wait in the file, read
// without applying them (lists.go).
func (db *DB) WaitingListChanges() int {
	n := 0
	_ = db.bolt.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketListChanges).Stats().KeyN
		return nil
	})
	return n
}

// CopyUnsettled writes a copy of the file as it is, list changes waiting
// included, to path: the file a process killed now would leave.
func (db *DB) CopyUnsettled(path string) error {
	return db.bolt.View(func(tx *bolt.Tx) error { return tx.CopyFile(path, 0o600) })
}

// CheckLists returns an error unless the lists hold exactly what the
// stored annotations say: first as a read sees them (the stored lists
// with the waiting list changes applied in memory: article counts, the
// ids of each article's annotations, speaker counts), then, once the
// waiting list changes are applied, as byarticle (keys and counts) and
// byspeaker hold them.
func (db *DB) CheckLists() error {
	if err := db.bolt.View(func(tx *bolt.Tx) error { return checkReadLists(newTxn(tx)) }); err != nil {
		return fmt.Errorf("as a read sees them: %w", err)
	}
	if err := db.settleLists(); err != nil {
		return err
	}
	return db.bolt.View(func(tx *bolt.Tx) error { return checkStoredLists(newTxn(tx)) })
}

// listsOf returns what the lists should hold for the annotations t stores.
func listsOf(t *txn) (ids map[string][]string, counts map[string]annotation.Counts, speakers map[string]annotation.Counts, speakerKeys map[string]string, err error) {
	ids, counts = map[string][]string{}, map[string]annotation.Counts{}
	speakers, speakerKeys = map[string]annotation.Counts{}, map[string]string{}
	err = t.annotations.ForEach(func(k, v []byte) error {
		a, _, err := readAnnotation(t.annotations, string(k))
		if err != nil {
			return err
		}
		ids[a.ArticleID] = append(ids[a.ArticleID], a.ID)
		c := counts[a.ArticleID]
		c.Add(a.Kind, 1)
		counts[a.ArticleID] = c
		if a.SpeakerID != "" {
			sc := speakers[a.SpeakerID]
			sc.Add(a.Kind, 1)
			speakers[a.SpeakerID] = sc
			speakerKeys[string(byArticleKey(a.SpeakerID, a.ID))] = string(a.Kind)
		}
		return nil
	})
	return ids, counts, speakers, speakerKeys, err
}

// checkReadLists compares what t's read helpers give with listsOf.
func checkReadLists(t *txn) error {
	ids, counts, speakers, _, err := listsOf(t)
	if err != nil {
		return err
	}
	err = t.articles.ForEach(func(k, _ []byte) error {
		id := string(k)
		got, err := t.annotationIDs(id)
		if err != nil {
			return err
		}
		want := ids[id]
		slices.Sort(want)
		if !slices.Equal(got, want) {
			return fmt.Errorf("article %s lists %q, want %q", id, got, want)
		}
		c, err := t.articleCounts(id)
		if err != nil {
			return err
		}
		if c != counts[id] {
			return fmt.Errorf("counts of article %s: %+v, want %+v", id, c, counts[id])
		}
		return nil
	})
	if err != nil {
		return err
	}
	return t.speakers.ForEach(func(k, _ []byte) error {
		c, err := t.speakerCounts(string(k))
		if err != nil {
			return err
		}
		if c != speakers[string(k)] {
			return fmt.Errorf("counts of speaker %s: %+v, want %+v", k, c, speakers[string(k)])
		}
		return nil
	})
}

// checkStoredLists compares byarticle and byspeaker with listsOf, and
// checks that no list change waits.
func checkStoredLists(t *txn) error {
	if k, _ := t.listChanges.Cursor().First(); k != nil {
		return fmt.Errorf("list change %x still waits after they were applied", k)
	}
	ids, wantCounts, _, wantSpeakers, err := listsOf(t)
	if err != nil {
		return err
	}
	wantKeys := map[string]bool{}
	for article, list := range ids {
		for _, id := range list {
			wantKeys[string(byArticleKey(article, id))] = true
		}
	}
	counted := map[string]bool{}
	err = t.byArticle.ForEach(func(k, v []byte) error {
		if len(k) > 0 && k[len(k)-1] == countsMark {
			id := string(k[:len(k)-2])
			c, err := t.storedCounts(id)
			if err != nil {
				return err
			}
			if c != wantCounts[id] {
				return fmt.Errorf("stored counts of article %s: %+v, want %+v", id, c, wantCounts[id])
			}
			counted[id] = true
			return nil
		}
		if !wantKeys[string(k)] {
			return fmt.Errorf("byarticle holds %q, which no stored annotation has", k)
		}
		delete(wantKeys, string(k))
		return nil
	})
	if err != nil {
		return err
	}
	for k := range wantKeys {
		return fmt.Errorf("byarticle lacks %q", k)
	}
	for id, c := range wantCounts {
		if !counted[id] && c != (annotation.Counts{}) {
			return fmt.Errorf("article %s has no stored counts, want %+v", id, c)
		}
	}
	err = t.bySpeaker.ForEach(func(k, v []byte) error {
		want, ok := wantSpeakers[string(k)]
		if !ok || want != string(v) {
			return fmt.Errorf("byspeaker holds %q → %q, want %q (stored: %v)", k, v, want, ok)
		}
		delete(wantSpeakers, string(k))
		return nil
	})
	if err != nil {
		return err
	}
	for k := range wantSpeakers {
		return fmt.Errorf("byspeaker lacks %q", k)
	}
	return nil
}

// StopBackgroundLists stops applying list changes in the background, so
// that a test decides when they are applied: by a read, another write,
// Close or Open.
func (db *DB) StopBackgroundLists() { db.lists.stop() }

// SettleLists applies the waiting list changes.
func (db *DB) SettleLists() error { return db.settleLists() }

// PagesWritten returns the pages db has written since it was opened.
func (db *DB) PagesWritten() int64 { return writes(db.bolt) }
