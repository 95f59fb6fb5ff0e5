package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/pgstore"
	"claimmark/internal/server"
)

// migrateSource is what migrate reads of a store, and what it compares
// on both sides.
type migrateSource interface {
	annotation.Store
	annotation.SpeakerStore
	annotation.AccountStore
	annotation.RejectionStore
	server.Versions
}

// migrateTarget is a store migrate copies into: PostgreSQL, or the bbolt
// store of a new data directory.
type migrateTarget interface {
	migrateSource
	annotation.Copier
}

// migrate is the `migrate` command: it copies the store of a data
// directory (accounts: users, groups, members and API tokens; speakers;
// articles with their text versions, annotations and the suggestions
// each person rejected on them) into a PostgreSQL
// database, or back (migrateBack), the articles one per transaction, then
// checks the copy: the
// same counts, and for every article the same hash of the article, its
// versions, its annotations and its rejections, as read back through the
// stores (a copied rejection set is dated by the copy: the stores date
// only changes they make); the
// same hash of the speakers and of the accounts. Sessions and one-time
// links are not copied: people sign in again. An article already copied
// identically is skipped, so a copy that was interrupted (killed, a lost
// connection) finishes when run again.
func (c *cli) migrate(ctx context.Context, args []string) (err error) {
	fs := c.newFlagSet("migrate", "-from ./data -to postgres://user@host/db, or -from postgres://user@host/db -to ./new-data")
	from := fs.String("from", "", "data `directory` whose store (claimmark.db) to copy, or a PostgreSQL URL to copy back from")
	to := fs.String("to", "", "PostgreSQL `URL` to copy into (postgres://user:password@host:port/database), or a new data directory")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usagef("migrate takes no arguments, got %q", strings.Join(pos, " "))
	case *from == "" || *to == "":
		return usagef("migrate needs -from DIR and -to postgres://…, or -from postgres://… and -to DIR")
	case pgstore.IsURL(*from) && pgstore.IsURL(*to):
		return usagef("migrate copies between a data directory and PostgreSQL; to copy one database into another, use pg_dump")
	case pgstore.IsURL(*from):
		return c.migrateBack(ctx, *from, *to)
	case !pgstore.IsURL(*to):
		return usagef("-to takes a PostgreSQL URL (postgres://…), got %q; to copy into a data directory, copy from PostgreSQL (-from postgres://…)", *to)
	}
	if _, err := os.Stat(filepath.Join(*from, "claimmark.db")); err != nil {
		return fmt.Errorf("%s holds no claimmark store (claimmark.db): %w", *from, err)
	}
	src, err := openStore(*from, 0)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, src.Close()) }()
	dst, err := pgstore.Open(ctx, *to, pgstore.Options{})
	if err != nil {
		return err
	}
	defer dst.Close()
	return copyStore(ctx, c, src, dst)
}

// copyStore copies src into dst and verifies the copy; see migrate.
func copyStore(ctx context.Context, c *cli, src migrateSource, dst migrateTarget) error {
	acc, err := readAccounts(ctx, src)
	if err != nil {
		return fmt.Errorf("reading the accounts: %w", err)
	}
	if err := dst.CopyAccounts(ctx, acc); err != nil {
		return fmt.Errorf("copying the accounts: %w", err)
	}
	speakers, err := src.Speakers(ctx, "")
	if err != nil {
		return err
	}
	list := make([]annotation.Speaker, len(speakers))
	for i, s := range speakers {
		list[i] = s.Speaker
	}
	if err := dst.CopySpeakers(ctx, list); err != nil {
		return fmt.Errorf("copying the speakers: %w", err)
	}
	people := []string{""} // the rejections of a server without accounts, then each user's
	for _, u := range acc.Users {
		people = append(people, u.ID)
	}
	arts, err := src.Articles(ctx)
	if err != nil {
		return err
	}
	prog := newProgress(c.stderr)
	var copied, skipped, anns int
	for i, s := range arts {
		if err := ctx.Err(); err != nil {
			return err
		}
		prog.Set("copying article %d of %d", i+1, len(arts))
		want, n, err := articleDigest(ctx, src, s.ID, people)
		if err != nil {
			return err
		}
		anns += n
		have, _, err := articleDigest(ctx, dst, s.ID, people)
		if err != nil && annotation.ErrorCode(err) != annotation.NotFound {
			return err
		}
		if have == want {
			skipped++
			continue
		}
		if err := copyArticle(ctx, src, dst, s.ID, people); err != nil {
			return err
		}
		copied++
	}
	prog.Clear()

	// Verify, reading everything back from the database.
	var bad []string
	for _, s := range arts {
		want, _, err := articleDigest(ctx, src, s.ID, people)
		if err != nil {
			return err
		}
		if have, _, err := articleDigest(ctx, dst, s.ID, people); err != nil || have != want {
			bad = append(bad, s.ID)
		}
	}
	srcSp, err := speakersDigest(ctx, src)
	if err != nil {
		return err
	}
	dstSp, err := speakersDigest(ctx, dst)
	if err != nil {
		return err
	}
	dstArts, err := dst.Articles(ctx)
	if err != nil {
		return err
	}
	srcAcc, err := accountsDigest(ctx, src)
	if err != nil {
		return err
	}
	dstAcc, err := accountsDigest(ctx, dst)
	if err != nil {
		return err
	}
	same := map[bool]string{true: "match", false: "differ"}
	if len(bad) > 0 || srcSp != dstSp || srcAcc != dstAcc || len(dstArts) != len(arts) {
		return fmt.Errorf("the copy differs from the source: %d of %d articles differ (first: %v), speakers %s, accounts %s, %d articles in the database for %d in the source; run migrate again, or copy into an empty database",
			len(bad), len(arts), bad[:min(len(bad), 3)], same[srcSp == dstSp], same[srcAcc == dstAcc], len(dstArts), len(arts))
	}
	fmt.Fprintf(c.stdout, "copied %d articles (%d were already there), %d annotations, %d speakers and %d users; verified: counts and hashes match\n",
		copied, skipped, anns, len(list), len(acc.Users))
	return nil
}

// copyArticle copies article id with its versions, its annotations and
// the rejections of people (user ids; "" for a server without accounts).
func copyArticle(ctx context.Context, src migrateSource, dst migrateTarget, id string, people []string) error {
	a, err := src.Article(ctx, id)
	if err != nil {
		return err
	}
	vs, err := src.ArticleVersions(ctx, id)
	if err != nil {
		return err
	}
	var versions []annotation.TextVersion
	for _, v := range vs[:len(vs)-1] {
		old, err := src.ArticleVersion(ctx, id, v.Version)
		if err != nil {
			return err
		}
		versions = append(versions, annotation.TextVersion{Version: v.Version, Hash: v.TextHash, Created: v.Created, Chars: v.Chars, Text: old.Text})
	}
	anns, err := src.Annotations(ctx, id)
	if err != nil {
		return err
	}
	if err := dst.CopyArticle(ctx, a, versions, vs[len(vs)-1].Created, anns); err != nil {
		return err
	}
	for _, p := range people {
		want, err := src.Rejections(ctx, p, id)
		if err != nil {
			return err
		}
		have, err := dst.Rejections(ctx, p, id)
		if err != nil {
			return err
		}
		var extra []string
		for _, k := range have.Keys {
			if !slices.Contains(want.Keys, k) {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 || len(want.Keys) > 0 {
			if _, err := dst.UpdateRejections(ctx, p, id, want.Keys, extra); err != nil {
				return fmt.Errorf("copying the rejections of article %s: %w", id, err)
			}
		}
	}
	return nil
}

// articleDigest returns a hash of article id as st gives it: the article
// with its text, its text versions with their texts, its annotations and
// the sets of suggestions people rejected on it (without their dates);
// and the number of annotations.
func articleDigest(ctx context.Context, st migrateSource, id string, people []string) (string, int, error) {
	h := sha256.New()
	a, err := st.Article(ctx, id)
	if err != nil {
		return "", 0, err
	}
	vs, err := st.ArticleVersions(ctx, id)
	if err != nil {
		return "", 0, err
	}
	anns, err := st.Annotations(ctx, id)
	if err != nil {
		return "", 0, err
	}
	if err := writeJSON(h, a, vs, anns); err != nil {
		return "", 0, err
	}
	for _, v := range vs[:len(vs)-1] {
		old, err := st.ArticleVersion(ctx, id, v.Version)
		if err != nil {
			return "", 0, err
		}
		h.Write([]byte(old.Text))
	}
	for _, p := range people {
		r, err := st.Rejections(ctx, p, id)
		if err != nil {
			return "", 0, err
		}
		if len(r.Keys) > 0 {
			if err := writeJSON(h, p, slices.Sorted(slices.Values(r.Keys))); err != nil {
				return "", 0, err
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), len(anns), nil
}

// readAccounts reads the users (with their password hashes), the groups
// they belong to, the members of those groups and the users' tokens.
func readAccounts(ctx context.Context, st migrateSource) (annotation.AccountsCopy, error) {
	var acc annotation.AccountsCopy
	users, err := st.Users(ctx)
	if err != nil {
		return acc, err
	}
	seen := map[string]bool{}
	for _, u := range users {
		_, hash, err := st.UserByUsername(ctx, u.Username)
		if err != nil {
			return acc, err
		}
		acc.Users = append(acc.Users, annotation.UserRecord{User: u, PasswordHash: hash})
		ms, err := st.Memberships(ctx, u.ID)
		if err != nil {
			return acc, err
		}
		for _, m := range ms {
			if !seen[m.Group.ID] {
				seen[m.Group.ID] = true
				acc.Groups = append(acc.Groups, m.Group)
			}
		}
		tokens, err := st.Tokens(ctx, u.ID)
		if err != nil {
			return acc, err
		}
		acc.Tokens = append(acc.Tokens, tokens...)
	}
	for _, g := range acc.Groups {
		members, err := st.Members(ctx, g.ID)
		if err != nil {
			return acc, err
		}
		acc.Members = append(acc.Members, members...)
	}
	return acc, nil
}

// accountsDigest returns a hash of the accounts as st gives them: users
// with their password hashes, groups, members and tokens with their
// hashes. Times count to the microsecond, as PostgreSQL keeps them.
func accountsDigest(ctx context.Context, st migrateSource) (string, error) {
	acc, err := readAccounts(ctx, st)
	if err != nil {
		return "", err
	}
	const µs = time.Microsecond
	for i := range acc.Users {
		acc.Users[i].Created = acc.Users[i].Created.Truncate(µs)
	}
	for i := range acc.Groups {
		acc.Groups[i].Created = acc.Groups[i].Created.Truncate(µs)
	}
	for i := range acc.Members {
		acc.Members[i].Added = acc.Members[i].Added.Truncate(µs)
	}
	for i := range acc.Tokens {
		acc.Tokens[i].Created = acc.Tokens[i].Created.Truncate(µs)
		acc.Tokens[i].LastUsed = acc.Tokens[i].LastUsed.Truncate(µs)
	}
	h := sha256.New()
	if err := writeJSON(h, acc.Users, acc.Groups, acc.Members, acc.Tokens); err != nil {
		return "", err
	}
	for _, t := range acc.Tokens {
		h.Write([]byte(t.Hash + "\n")) // json:"-" on Token
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// speakersDigest returns a hash of every speaker with its counts.
func speakersDigest(ctx context.Context, st migrateSource) (string, error) {
	list, err := st.Speakers(ctx, "")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if err := writeJSON(h, list); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func writeJSON(h hash.Hash, vs ...any) error {
	enc := json.NewEncoder(h)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	return nil
}
