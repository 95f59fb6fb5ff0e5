package annotation

import (
	"context"
	"slices"
	"time"
)

// Limits on rejected suggestions.
const (
	// MaxRejections is how many rejected suggestions one person may keep
	// on one article, and how many keys one change may add or remove.
	MaxRejections = 2000
	// MaxRejectionKeyChars is the length of one key, in bytes (keys are
	// ASCII).
	MaxRejectionKeyChars = 100
)

// Rejections are the attribution suggestions one person rejected on one
// article, named by keys the client makes (the reader's are
// "s-START-END-KIND"): the reader hides them on every device. Keys are
// sorted and unique; Updated is the time of the last change that altered
// them, zero when none ever did.
type Rejections struct {
	ArticleID string    `json:"articleId"`
	Keys      []string  `json:"keys"`
	Updated   time.Time `json:"updated,omitzero"`
}

// ValidRejectionKey reports whether k can name a rejected suggestion: 1 to
// MaxRejectionKeyChars ASCII letters, digits, '-', '_', '.' or ':'.
func ValidRejectionKey(k string) bool {
	if k == "" || len(k) > MaxRejectionKeyChars {
		return false
	}
	for _, c := range []byte(k) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// ApplyRejections returns the set keys with add added and remove removed,
// sorted and without repeats, and whether it differs from keys (which it
// does not change). A key that is not ValidRejectionKey, or that is both
// added and removed, is Invalid; add or remove longer than MaxRejections,
// or a result longer than MaxRejections, is TooLarge. Adding a key that
// is there, or removing one that is not, is no error: a change sent twice
// (an offline client retrying) gives the same set.
func ApplyRejections(keys, add, remove []string) (_ []string, changed bool, err error) {
	if len(add) > MaxRejections || len(remove) > MaxRejections {
		return nil, false, Errorf(TooLarge, "A change may add or remove at most %d rejected suggestions at once.", MaxRejections)
	}
	drop := map[string]bool{}
	for _, k := range remove {
		if !ValidRejectionKey(k) {
			return nil, false, invalidRejectionKey(k)
		}
		drop[k] = true
	}
	set := map[string]bool{}
	for _, k := range keys {
		set[k] = true
	}
	for _, k := range add {
		switch {
		case !ValidRejectionKey(k):
			return nil, false, invalidRejectionKey(k)
		case drop[k]:
			return nil, false, Errorf(Invalid, "The suggestion %q is both rejected and restored in one change; send one or the other.", k)
		}
		if !set[k] {
			set[k], changed = true, true
		}
	}
	for k := range drop {
		if set[k] {
			delete(set, k)
			changed = true
		}
	}
	if len(set) > MaxRejections {
		return nil, false, Errorf(TooLarge, "At most %d suggestions of one article can be rejected; restore some first.", MaxRejections)
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out, changed, nil
}

func invalidRejectionKey(k string) error {
	if len(k) > 40 {
		k = k[:40] + "…"
	}
	return Errorf(Invalid, "%q does not name a suggestion: use 1 to %d letters, digits, '-', '_', '.' or ':'.", k, MaxRejectionKeyChars)
}

// RejectionStore keeps each person's rejected suggestions per article
// beside a Store's articles, with the same durability. The bbolt store
// (package store), the PostgreSQL store (package pgstore) and the
// in-memory store of package servertest implement it; a Store without it keeps no rejections (the server then
// answers 501 and readers remember rejections on each device only).
// userID is the person's user id, or "" on a server without accounts
// (one set per article for everyone). Deleting an article deletes its
// rejections with it.
//
// Errors are *Error values: NotFound for a missing article, Invalid and
// TooLarge as ApplyRejections says.
type RejectionStore interface {
	// Rejections returns the keys userID rejected on article articleID:
	// empty Keys (not nil) and a zero Updated when there are none.
	Rejections(ctx context.Context, userID, articleID string) (*Rejections, error)

	// UpdateRejections adds add to and removes remove from the keys
	// userID rejected on article articleID (ApplyRejections), in one
	// transaction, and returns the stored set. Updated is set only when
	// the set changes, so a change sent again changes nothing.
	UpdateRejections(ctx context.Context, userID, articleID string, add, remove []string) (*Rejections, error)
}
