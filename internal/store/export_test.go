package store

import (
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
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
