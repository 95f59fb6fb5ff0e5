package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// countsMark is the last byte of the byarticle key of an article's
// annotation counts (countsKey). Article and annotation ids are
// annotation.ValidID ones, of ASCII letters, digits, '-' and '_' (the
// store writes no other: Store methods and CopyArticle check them), so
// no id holds "/" or countsMark; and countsMark sorts after every byte of
// an id, so the counts key follows the article's annotation keys.
const countsMark = 0xff

// countsKey returns the byarticle key of the annotation counts of article
// id: the id, "/" and countsMark. It sorts after every annotation key of
// the article, beside the newest of those with time-ordered ids: a save
// of a new annotation changes the article's counts and adds its key, and
// both usually land on one page, which a commit writes once.
func countsKey(articleID string) []byte {
	return append([]byte(articleID+"/"), countsMark)
}

// articleCounts returns the annotation counts of article id, with the
// waiting list changes applied (listOverlay) in a read transaction.
func (t *txn) articleCounts(id string) (annotation.Counts, error) {
	if c, ok := t.pendingCounts[id]; ok {
		return c, nil
	}
	o, err := t.overlay()
	if err != nil {
		return annotation.Counts{}, err
	}
	if c, ok := o.countsOf(id); ok {
		return c, nil
	}
	return t.storedCounts(id)
}

// storedCounts returns the annotation counts of article id as byarticle
// holds them.
func (t *txn) storedCounts(id string) (annotation.Counts, error) {
	data := t.byArticle.Get(countsKey(id))
	if data == nil {
		return annotation.Counts{}, nil
	}
	c, err := decodeCounts(data)
	if err != nil {
		return c, fmt.Errorf("decode counts of article %s: %w", id, err)
	}
	return c, nil
}

// The counts are stored as the JSON of annotation.Counts. A settle reads
// and writes those of nearly every article its saves touch, one per
// save: encoding/json's reflection was a third of the settle's CPU. So
// they are written and, in that form, read without it.

// appendCounts appends c to b as json.Marshal writes it:
// {"claim":N,"denial":N,"proposal":N}.
func appendCounts(b []byte, c annotation.Counts) []byte {
	b = append(b, `{"claim":`...)
	b = strconv.AppendInt(b, int64(c.Claim), 10)
	b = append(b, `,"denial":`...)
	b = strconv.AppendInt(b, int64(c.Denial), 10)
	b = append(b, `,"proposal":`...)
	b = strconv.AppendInt(b, int64(c.Proposal), 10)
	return append(b, '}')
}

// decodeCounts returns the counts data holds. It reads what
// appendCounts writes itself when every count has at most maxCountDigits
// digits (every count a store holds), and anything else with
// encoding/json, with its errors: the result is json.Unmarshal's.
func decodeCounts(data []byte) (annotation.Counts, error) {
	var n [3]int
	rest, ok := data, true
	for i, name := range [3]string{`{"claim":`, `,"denial":`, `,"proposal":`} {
		if rest, ok = bytes.CutPrefix(rest, []byte(name)); !ok {
			break
		}
		if n[i], rest, ok = cutCount(rest); !ok {
			break
		}
	}
	if ok && string(rest) == "}" {
		return annotation.Counts{Claim: n[0], Denial: n[1], Proposal: n[2]}, nil
	}
	var c annotation.Counts
	err := json.Unmarshal(data, &c)
	return c, err
}

// maxCountDigits is how many digits cutCount reads: 18 with a 64-bit int,
// 9 with a 32-bit one, so that any number of them fits an int.
const maxCountDigits = strconv.IntSize * 9 / 32

// cutCount reads the decimal number at the start of b, as appendCounts
// writes it (an optional '-', then digits without leading zeros, at most
// maxCountDigits of them), and returns it and the rest of b; ok is false
// when b does not start so.
func cutCount(b []byte) (n int, rest []byte, ok bool) {
	neg := len(b) > 0 && b[0] == '-'
	i := 0
	if neg {
		i = 1
	}
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		n = n*10 + int(b[i]-'0')
		i++
	}
	if digits := i - start; digits == 0 || digits > maxCountDigits || (digits > 1 && b[start] == '0') {
		return 0, b, false
	}
	if neg {
		n = -n
	}
	return n, b[i:], true
}

// addCount adds n to the count of kind k of article id.
func (t *txn) addCount(id string, k annotation.Kind, n int) error {
	c, err := t.articleCounts(id)
	if err != nil {
		return err
	}
	c = addClamped(c, k, n)
	if t.pendingCounts != nil {
		t.pendingCounts[id] = c
		return nil
	}
	return t.byArticle.Put(countsKey(id), appendCounts(nil, c))
}

// addClamped returns c with n added to the count of kind k, no count
// below 0.
func addClamped(c annotation.Counts, k annotation.Kind, n int) annotation.Counts {
	c.Add(k, n)
	return annotation.Counts{Claim: max(c.Claim, 0), Denial: max(c.Denial, 0), Proposal: max(c.Proposal, 0)}
}

// flushCounts writes the pending counts and stops keeping them.
func (t *txn) flushCounts() error {
	for id, c := range t.pendingCounts {
		if err := t.byArticle.Put(countsKey(id), appendCounts(nil, c)); err != nil {
			return err
		}
	}
	t.pendingCounts = nil
	return nil
}

// migrateCounts moves the annotation counts of a file of schema "1",
// where they had a bucket of their own (article id → JSON
// annotation.Counts), into byarticle under countsKey, unchanged, and
// deletes the counts bucket. A file without the bucket (a new one) is
// left alone. Open calls it in the transaction that records the new
// schema version, so a process killed during the migration leaves the
// file as it was, and the next Open migrates it again. moved, when not
// nil, is called after the counts of each article have been moved, with
// how many have.
func migrateCounts(tx *bolt.Tx, moved func(n int)) error {
	counts := tx.Bucket(bucketCounts)
	if counts == nil {
		return nil
	}
	byArticle := tx.Bucket(bucketByArticle)
	n := 0
	err := counts.ForEach(func(k, v []byte) error {
		if err := byArticle.Put(countsKey(string(k)), bytes.Clone(v)); err != nil {
			return err
		}
		n++
		if moved != nil {
			moved(n)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.DeleteBucket(bucketCounts)
}
