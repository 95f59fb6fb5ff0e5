package store

import (
	"context"
	"encoding/json"

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
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		articles, annotations = 0, 0
		t, at := newTxn(tx), newAccTxn(tx)
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
				return err
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
		var changed []*annotation.Annotation
		err = t.annotations.ForEach(func(k, v []byte) error {
			a := new(annotation.Annotation)
			if err := json.Unmarshal(v, a); err != nil {
				return err
			}
			if annotation.AdoptAnnotation(a, groups[a.ArticleID], userID) {
				changed = append(changed, a)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i, a := range changed {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := putJSON(t.annotations, []byte(a.ID), a); err != nil {
				return err
			}
			if err := t.appendChange(a.ID); err != nil {
				return err
			}
		}
		annotations = len(changed)
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return articles, annotations, nil
}
