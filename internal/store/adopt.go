package store

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// Adopt implements annotation.AccountStore with the rules of
// annotation.AdoptArticle and AdoptAnnotation, in one transaction: every
// article without a group, then every annotation whose creator is empty or
// whose group is not its article's, each of which gets a change-log entry.
// Revisions and Modified stay as they are.
func (db *DB) Adopt(ctx context.Context, groupID, userID string) (articles, annotations int, err error) {
	defer wrap(&err, "adopt into group %s", groupID)
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	err = db.update(func(tx *bolt.Tx) error {
		articles, annotations = 0, 0
		t, at := newWriteTxn(ctx, tx), db.newAccTxn(tx)
		if _, err := at.mustGroup(groupID); err != nil {
			return err
		}
		if _, ok, err := at.user(userID); err != nil || !ok {
			if err == nil {
				err = annotation.UserNotFound(userID)
			}
			return err
		}
		groups := map[string]string{} // article id → group
		var adopted []*articleRecord
		err := t.articles.ForEach(func(k, v []byte) error {
			rec := new(articleRecord)
			if err := json.Unmarshal(v, rec); err != nil {
				return fmt.Errorf("decode article %s: %w", k, err)
			}
			if annotation.AdoptArticle(&rec.Article, groupID, userID) {
				adopted = append(adopted, rec)
			}
			groups[rec.ID] = rec.GroupID
			return nil
		})
		if err != nil {
			return err
		}
		for _, rec := range adopted {
			if err := putJSON(t.articles, []byte(rec.ID), rec); err != nil {
				return err
			}
		}
		articles = len(adopted)
		// The first pass keeps only the ids of the annotations to change,
		// so that a large library is not held in memory.
		var ids []string
		err = t.annotations.ForEach(func(k, v []byte) error {
			var a annotation.Annotation
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("decode annotation %s: %w", k, err)
			}
			if annotation.AdoptAnnotation(&a, groups[a.ArticleID], userID) {
				ids = append(ids, a.ID)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i, id := range ids {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			a, ok, err := t.annotation(id)
			if err != nil || !ok {
				return err
			}
			annotation.AdoptAnnotation(a, groups[a.ArticleID], userID)
			if err := putAnnotationJSON(t.annotations, a); err != nil {
				return err
			}
			if err := t.appendChange(a.ID); err != nil {
				return err
			}
		}
		annotations = len(ids)
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return articles, annotations, nil
}
