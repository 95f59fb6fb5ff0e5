package annotation

import (
	"context"
	"time"
)

// Copier stores another store's records exactly as given, without the
// validation and stamping of the Store methods: ids, stamps, revisions,
// password and token hashes are kept. claimmark migrate copies a library
// between stores with it (bbolt into PostgreSQL and back); the records
// come from a store that has already checked them.
type Copier interface {
	// CopyAccounts stores users, groups, members and tokens as given,
	// replacing those of the same ids, in one transaction.
	CopyAccounts(ctx context.Context, acc AccountsCopy) error
	// CopySpeakers stores speakers as given (with their name and alias
	// keys), replacing those of the same ids, in one transaction. A key
	// that another stored speaker holds is a Conflict.
	CopySpeakers(ctx context.Context, speakers []Speaker) error
	// CopyArticle stores article a (with its text, TextHash, stamps,
	// Version, group and creator as given), its earlier text versions
	// (oldest first, with Text; Current is ignored; the current text is
	// version len(versions)+1, stored since textSince) and exactly the annotations anns, replacing what
	// the store held for a, in one transaction, with a change-log entry
	// for every annotation written or deleted. Speakers the annotations
	// name must be copied first. Copying the same article again replaces
	// it, so an interrupted copy can be run again.
	CopyArticle(ctx context.Context, a *Article, versions []TextVersion, textSince time.Time, anns []*Annotation) error
}

// UserRecord is a user with the hash of their password.
type UserRecord struct {
	User
	PasswordHash string
}

// AccountsCopy is what Copier.CopyAccounts copies: users, groups, members
// (in the order they were added to each group) and API tokens (with
// Hash). Sessions and one-time tickets are not copied: people sign in
// again.
type AccountsCopy struct {
	Users   []UserRecord
	Groups  []Group
	Members []Member
	Tokens  []Token
}
