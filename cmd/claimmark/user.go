package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
	"claimmark/internal/pgstore"
)

// signInLinkTTL is how long a sign-in link printed by `user add` and
// `user link` works.
const signInLinkTTL = 24 * time.Hour

const userSynopsis = `add USERNAME [-name "Display Name"] [-password-stdin] [-data ./data | -store postgres://…] [-base URL]
  claimmark user passwd USERNAME -password-stdin [-data ./data | -store postgres://…]
  claimmark user list [-data ./data | -store postgres://…]
  claimmark user token USERNAME -name NAME [-data ./data | -store postgres://…]
  claimmark user link USERNAME [-data ./data | -store postgres://…] [-base URL]`

// user is the `user` command, which manages accounts in a data directory
// (not through a server, so it refuses to run while one holds it), or
// with -store in the PostgreSQL database that servers share (while they
// run):
//
//	claimmark user add USERNAME [-name N] [-password-stdin]  adds a user; without a password, prints a sign-in link
//	claimmark user passwd USERNAME -password-stdin           sets the password and signs the user out everywhere
//	claimmark user list                                      lists the users
//	claimmark user token USERNAME -name NAME                 makes an API token and prints its secret once
//	claimmark user link USERNAME                             prints a one-time sign-in link valid 24 hours
//
// A password comes from the first line of standard input, never from the
// command line (where other users of the machine could see it).
func (c *cli) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usagef("user needs a subcommand: add, passwd, list, token or link")
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "add":
		return c.userAdd(ctx, rest)
	case "passwd":
		return c.userPasswd(ctx, rest)
	case "list":
		return c.userList(ctx, rest)
	case "token":
		return c.userToken(ctx, rest)
	case "link":
		return c.userLink(ctx, rest)
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(c.stdout, "Usage: claimmark user %s\n", userSynopsis)
		return nil
	}
	return usagef("unknown user subcommand %q: use add, passwd, list, token or link", sub)
}

// userFlags holds the flags the user subcommands share.
type userFlags struct {
	dataDir, store, base *string
}

// newUserFlagSet returns the flag set of `user sub` with -data, -store
// and, when withBase, -base.
func (c *cli) newUserFlagSet(sub, synopsis string, withBase bool) (*flag.FlagSet, userFlags) {
	fs := c.newFlagSet("user "+sub, synopsis)
	f := userFlags{dataDir: fs.String("data", defaultDataDir(), "data `directory`; env CLAIMMARK_DATA"),
		store: fs.String("store", os.Getenv("CLAIMMARK_STORE"), "PostgreSQL `URL` (postgres://…) of the store servers share, in place of -data; env CLAIMMARK_STORE")}
	if withBase {
		f.base = fs.String("base", envOr("CLAIMMARK_BASE", "http://"+envOr("CLAIMMARK_ADDR", "127.0.0.1:8080")),
			"public base `URL` of the server, for links; env CLAIMMARK_BASE")
	}
	return fs, f
}

// oneUsername returns the single positional argument of `user sub`.
func oneUsername(sub string, pos []string) (string, error) {
	if len(pos) != 1 {
		return "", usagef("user %s needs one USERNAME; got %d arguments", sub, len(pos))
	}
	return pos[0], nil
}

// readPassword reads a password from the first line of r and checks it.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, annotation.MaxPasswordBytes+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	pw := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if err := accounts.CheckPassword(pw); err != nil {
		return "", fmt.Errorf("the password on standard input: %w", err)
	}
	return pw, nil
}

// userAdd is `claimmark user add`.
func (c *cli) userAdd(ctx context.Context, args []string) (err error) {
	fs, f := c.newUserFlagSet("add", `USERNAME [-name "Display Name"] [-password-stdin] [-data ./data | -store postgres://…] [-base URL]`, true)
	name := fs.String("name", "", "display `name` (default: the username)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input; without it, print a one-time sign-in link")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	username, err := oneUsername("add", pos)
	if err != nil {
		return err
	}
	var hash string
	if *fromStdin {
		pw, err := readPassword(c.stdin)
		if err != nil {
			return err
		}
		hash = accounts.HashPassword(pw)
	} else {
		// Nobody knows this password: the user signs in by link and
		// sets one; marked unset, so that serve knows no password was
		// ever chosen.
		hash = accounts.UnsetPassword()
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	u := &annotation.User{Username: username, DisplayName: *name}
	if _, err := db.CreateUser(ctx, u, hash); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "added user %s (%s), id %s\n", u.Username, u.Name(), u.ID)
	if *fromStdin {
		return nil
	}
	link, err := signInLink(ctx, db, u.ID, *f.base, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Sign in as %s (once, within 24 hours): %s\n", u.Username, link)
	return nil
}

// userPasswd is `claimmark user passwd`.
func (c *cli) userPasswd(ctx context.Context, args []string) (err error) {
	fs, f := c.newUserFlagSet("passwd", "USERNAME -password-stdin [-data ./data | -store postgres://…]", false)
	fromStdin := fs.Bool("password-stdin", false, "read the new password from the first line of standard input (required)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	username, err := oneUsername("passwd", pos)
	if err != nil {
		return err
	}
	if !*fromStdin {
		return usagef("user passwd reads the new password from standard input: add -password-stdin")
	}
	pw, err := readPassword(c.stdin)
	if err != nil {
		return err
	}
	return onUser(ctx, f, username, func(db accountStore, u *annotation.User) error {
		if err := db.UpdateUser(ctx, u, accounts.HashPassword(pw)); err != nil {
			return err
		}
		if err := db.DeleteSessions(ctx, u.ID); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "set the password of %s and signed them out everywhere\n", u.Username)
		return nil
	})
}

// userList is `claimmark user list`.
func (c *cli) userList(ctx context.Context, args []string) (err error) {
	fs, f := c.newUserFlagSet("list", "[-data ./data | -store postgres://…]", false)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("user list takes no arguments, got %q", strings.Join(pos, " "))
	}
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	users, err := db.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(c.stdout, "no users yet; `claimmark serve` makes the owner on its first start, or add one with `claimmark user add`")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "USERNAME\tNAME\tCREATED\tID")
	for _, u := range users {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, u.Name(), u.Created.Format("2006-01-02"), u.ID)
	}
	return tw.Flush()
}

// userToken is `claimmark user token`.
func (c *cli) userToken(ctx context.Context, args []string) (err error) {
	fs, f := c.newUserFlagSet("token", "USERNAME -name NAME [-data ./data | -store postgres://…]", false)
	name := fs.String("name", "", "`name` of the token, saying where it is used (required)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	username, err := oneUsername("token", pos)
	if err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return usagef("user token needs -name, saying where the token is used (such as -name laptop)")
	}
	return onUser(ctx, f, username, func(db accountStore, u *annotation.User) error {
		secret := accounts.NewSecret()
		tok := &annotation.Token{UserID: u.ID, Name: *name, Hash: accounts.HashSecret(secret)}
		if err := db.PutToken(ctx, tok); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "made the token %q (id %s) for %s; its secret, shown only now:\n%s\n", tok.Name, tok.ID, u.Username, secret)
		fmt.Fprintf(c.stderr, "use it with: export CLAIMMARK_TOKEN=<the secret above>\n")
		return nil
	})
}

// userLink is `claimmark user link`.
func (c *cli) userLink(ctx context.Context, args []string) (err error) {
	fs, f := c.newUserFlagSet("link", "USERNAME [-data ./data | -store postgres://…] [-base URL]", true)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	username, err := oneUsername("link", pos)
	if err != nil {
		return err
	}
	return onUser(ctx, f, username, func(db accountStore, u *annotation.User) error {
		link, err := signInLink(ctx, db, u.ID, *f.base, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "Sign in as %s (once, within 24 hours): %s\n", u.Username, link)
		return nil
	})
}

// accountStore is the store the user commands work on: a data
// directory's (*store.DB) or PostgreSQL (*pgstore.Store).
type accountStore interface {
	annotation.AccountStore
	Close() error
}

// open opens the store the flags name: the PostgreSQL database of -store
// when given, else the data directory's.
func (f userFlags) open(ctx context.Context) (accountStore, error) {
	if *f.store == "" {
		db, err := openStore(*f.dataDir, 0)
		if err != nil {
			return nil, err // not db: a nil *store.DB in an interface is not nil
		}
		return db, nil
	}
	if !pgstore.IsURL(*f.store) {
		return nil, usagef("-store takes a PostgreSQL URL (postgres://user:password@host:port/database), got %q", *f.store)
	}
	st, err := pgstore.Open(ctx, *f.store, pgstore.Options{MaxConns: 2})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// onUser opens the store the flags name, finds the user named username
// (any case; NotFound otherwise) and calls fn with both, closing the
// store after.
func onUser(ctx context.Context, f userFlags, username string, fn func(db accountStore, u *annotation.User) error) (err error) {
	db, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	u, _, err := db.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	return fn(db, u)
}

// signInLink stores a new SignInTicket for userID, valid for
// signInLinkTTL from now, and returns its link: base + "/signin/" + the
// secret.
func signInLink(ctx context.Context, st annotation.AccountStore, userID, base string, now time.Time) (string, error) {
	secret := accounts.NewSecret()
	now = now.UTC()
	t := &annotation.Ticket{Hash: accounts.HashSecret(secret), Kind: annotation.SignInTicket, UserID: userID,
		Created: now, Expires: now.Add(signInLinkTTL)}
	if err := st.PutTicket(ctx, t); err != nil {
		return "", err
	}
	return strings.TrimRight(base, "/") + "/signin/" + secret, nil
}
