package store

import bolt "go.etcd.io/bbolt"

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
