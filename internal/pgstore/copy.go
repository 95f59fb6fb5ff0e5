package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"claimmark/internal/annotation"
)

// These methods write records exactly as given, without the validation
// and stamping of the Store methods: they copy another store's contents
// (claimmark migrate), whose records that store has already checked.

// TextVersion is an earlier text of an article, with the text, as
// CopyArticle takes it.
type TextVersion = annotation.TextVersion

var _ annotation.Copier = (*Store)(nil)

// CopySpeakers stores speakers as they are (ids, names, aliases, stamps
// and revisions), replacing stored ones of the same ids, with their name
// and alias keys, in one transaction. A key that another speaker of the
// database holds is a Conflict.
func (s *Store) CopySpeakers(ctx context.Context, speakers []annotation.Speaker) (err error) {
	defer wrap(&err, "copy %d speakers", len(speakers))
	return s.write(ctx, func(t *txn) error {
		for i := range speakers {
			sp := speakers[i]
			old, _, err := t.speaker(sp.ID, forUpdate)
			if err != nil {
				return err
			}
			if err := t.putSpeaker(old, &sp); err != nil {
				return err
			}
		}
		return nil
	})
}

// CopyArticle stores article a (with its text, TextHash, stamps, Version,
// group and creator as given), its earlier text versions (oldest first;
// the current text is version len(versions)+1, stored since textSince)
// and exactly the annotations anns (those the database held for a and
// that anns lacks are deleted), in one transaction, with a change-log
// entry for every annotation written or deleted. Speakers the
// annotations name must be stored (CopySpeakers) first. Copying the same
// article again replaces it: a copy interrupted part way can be run
// again.
func (s *Store) CopyArticle(ctx context.Context, a *annotation.Article, versions []TextVersion, textSince time.Time, anns []*annotation.Annotation) (err error) {
	defer wrap(&err, "copy article %s", a.ID)
	rec := articleRecord{Article: *a, Chars: annotation.RuneLen(a.Text), TextVersion: len(versions) + 1, TextSince: textSince}
	rec.Text = ""
	doc, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *txn) error {
		if err := t.exec(`INSERT INTO articles (id, url, text_hash, created, group_id, creator, doc, text)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, text_hash = EXCLUDED.text_hash, created = EXCLUDED.created,
				group_id = EXCLUDED.group_id, creator = EXCLUDED.creator, doc = EXCLUDED.doc, text = EXCLUDED.text`,
			a.ID, nullable(a.URL), a.TextHash, a.Created, a.GroupID, a.Creator, doc, a.Text); err != nil {
			return err
		}
		if err := t.exec("DELETE FROM article_versions WHERE article_id = $1", a.ID); err != nil {
			return err
		}
		for _, v := range versions {
			vdoc, err := json.Marshal(versionRecord{Version: v.Version, Hash: v.Hash, Created: v.Created, Chars: v.Chars})
			if err != nil {
				return err
			}
			if err := t.exec("INSERT INTO article_versions (article_id, version, hash, doc, text) VALUES ($1, $2, $3, $4, $5)",
				a.ID, v.Version, v.Hash, vdoc, v.Text); err != nil {
				return err
			}
		}
		stored, err := t.annotationIDs("article_id", a.ID)
		if err != nil {
			return err
		}
		keep := map[string]bool{}
		for _, x := range anns {
			keep[x.ID] = true
		}
		for _, id := range stored {
			if !keep[id] {
				if err := t.deleteAnnotation(id); err != nil {
					return err
				}
			}
		}
		ids := make([]string, 0, len(anns))
		for _, x := range anns {
			if x.ArticleID != a.ID {
				return fmt.Errorf("annotation %s belongs to article %s, not %s", x.ID, x.ArticleID, a.ID)
			}
			if err := t.saveAnnotation(x); err != nil {
				return err
			}
			if err := t.putLinks(x); err != nil {
				return err
			}
			ids = append(ids, x.ID)
		}
		t.articleChanged(a.ID, ids) // the copy may replace an article a server caches
		return nil
	})
}

// UserRecord is a user with the hash of their password.
type UserRecord = annotation.UserRecord

// Accounts is what CopyAccounts copies (see annotation.AccountsCopy).
type Accounts = annotation.AccountsCopy

// CopyAccounts stores users, groups, members and tokens exactly as given
// (ids, stamps, password and token hashes), replacing those of the same
// ids, in one transaction.
func (s *Store) CopyAccounts(ctx context.Context, acc Accounts) (err error) {
	defer wrap(&err, "copy accounts")
	return s.write(ctx, func(t *txn) error {
		for _, u := range acc.Users {
			if err := t.exec(`INSERT INTO users (id, username, username_key, display_name, created, password_hash) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, username_key = EXCLUDED.username_key,
					display_name = EXCLUDED.display_name, created = EXCLUDED.created, password_hash = EXCLUDED.password_hash`,
				u.ID, u.Username, annotation.UsernameKey(u.Username), u.DisplayName, u.Created, u.PasswordHash); err != nil {
				return err
			}
		}
		for _, g := range acc.Groups {
			if err := t.exec(`INSERT INTO groups (id, name, personal, created) VALUES ($1, $2, $3, $4)
				ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, personal = EXCLUDED.personal, created = EXCLUDED.created`,
				g.ID, g.Name, g.Personal, g.Created); err != nil {
				return err
			}
		}
		for _, m := range acc.Members {
			if err := t.exec(`INSERT INTO members (group_id, user_id, role, added) VALUES ($1, $2, $3, $4)
				ON CONFLICT (group_id, user_id) DO UPDATE SET role = EXCLUDED.role, added = EXCLUDED.added`,
				m.GroupID, m.UserID, string(m.Role), m.Added); err != nil {
				return err
			}
		}
		for _, tk := range acc.Tokens {
			if err := t.exec(`INSERT INTO tokens (id, user_id, name, hash, created, last_used) VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, name = EXCLUDED.name, hash = EXCLUDED.hash,
					created = EXCLUDED.created, last_used = EXCLUDED.last_used`,
				tk.ID, tk.UserID, tk.Name, tk.Hash, tk.Created, nullTime(tk.LastUsed)); err != nil {
				return err
			}
		}
		return nil
	})
}
