package store

import (
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
// "byspeaker SPEAKER KIND" and "linksto TARGET", sorted.
func (db *DB) Lookups(id string) []string {
	var out []string
	suffix := "/" + id
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
		t := newTxn(tx)
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
