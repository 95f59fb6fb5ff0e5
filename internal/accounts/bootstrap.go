package accounts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"claimmark/internal/annotation"
)

// First-start names (docs: teams.md).
const (
	OwnerUsername    = "owner"
	OwnerDisplayName = "Owner"
	TeamName         = "Team"
	// SignInLinkLifetime is how long a console sign-in link works.
	SignInLinkLifetime = 24 * time.Hour
)

// unsetPrefix marks a password hash that no password matches: the
// account signs in by link until its user sets a password.
const unsetPrefix = "!unset"

// UnsetPassword returns a password hash that no password matches and that
// PasswordUnset recognises. It keeps a random argon2id hash after the mark
// so that it looks like any other stored hash in size.
func UnsetPassword() string { return unsetPrefix + HashPassword(NewSecret()) }

// PasswordUnset reports whether hash was made by UnsetPassword.
func PasswordUnset(hash string) bool { return strings.HasPrefix(hash, unsetPrefix) }

// Bootstrapped is what Bootstrap did.
type Bootstrapped struct {
	// Created reports that the owner account and the Team group were made.
	Created bool
	// Owner is the owner user (nil when Bootstrap found users and no owner).
	Owner *annotation.User
	// Team is the group made for existing data (only when Created).
	Team *annotation.Group
	// Articles and Annotations count what Adopt gave to Team.
	Articles, Annotations int
	// SignIn is the secret of a one-time sign-in link for the owner, who
	// has never set a password; "" otherwise. The link is
	// <base>/signin/<SignIn>, valid SignInLinkLifetime.
	SignIn string
}

// Bootstrap prepares accounts on every start of a server. On a store
// without users it creates the user "owner" ("Owner") with an unset
// password, their Personal group and the group "Team" with them as
// owner, and gives Team every article and annotation made before
// accounts (AccountStore.Adopt). Then, while the owner has not set a
// password, it issues a fresh one-time sign-in link for them.
func Bootstrap(ctx context.Context, st annotation.AccountStore, now time.Time) (*Bootstrapped, error) {
	users, err := st.Users(ctx)
	if err != nil {
		return nil, err
	}
	var b Bootstrapped
	if len(users) == 0 {
		u := &annotation.User{Username: OwnerUsername, DisplayName: OwnerDisplayName}
		if _, err := st.CreateUser(ctx, u, UnsetPassword()); err != nil {
			return nil, fmt.Errorf("creating the owner account: %w", err)
		}
		team := &annotation.Group{Name: TeamName}
		if err := st.PutGroup(ctx, team, u.ID); err != nil {
			return nil, fmt.Errorf("creating the group %s: %w", TeamName, err)
		}
		b.Created, b.Team = true, team
		if b.Articles, b.Annotations, err = st.Adopt(ctx, team.ID, u.ID); err != nil {
			return nil, fmt.Errorf("giving existing articles to %s: %w", TeamName, err)
		}
	}
	u, hash, err := st.UserByUsername(ctx, OwnerUsername)
	if annotation.ErrorCode(err) == annotation.NotFound {
		return &b, nil
	} else if err != nil {
		return nil, err
	}
	b.Owner = u
	if PasswordUnset(hash) {
		if b.SignIn, err = NewSignInLink(ctx, st, u.ID, now, SignInLinkLifetime); err != nil {
			return nil, err
		}
	}
	return &b, nil
}
