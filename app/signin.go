package app

import (
	"context"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// Routes of the account pages.
const (
	SignInPath        = "/signin"
	AccountPath       = "/account"
	InvitePathPattern = `^/invite/[A-Za-z0-9_-]+$`
	GroupPathPattern  = `^/groups/[A-Za-z0-9_-]+$`
)

// signInPage is the sign-in form at /signin: username and password, the
// server's sentence when it refuses. ?link=expired says that the one-time
// link used was no good; ?next= is where to go once signed in. Signing in
// loads the app anew, for the user now signed in.
type signInPage struct {
	app.Compo
	s *session

	username, password string
	next               string
	expired            bool
	notice             string // why the page shows (session ended, offline)
	err                string
	busy               bool
	ready              bool // in the browser: the form shows
}

// OnNav reads the page's query and what the app knows of the user.
func (c *signInPage) OnNav(ctx app.Context) {
	ctx.Page().SetTitle("Sign in · claimmark")
	q := ctx.Page().URL().Query()
	c.expired = q.Get("link") == "expired"
	c.next = safeNext(q.Get("next"))
	c.ready = app.IsClient
	c.s.start()
	if !app.IsClient {
		return
	}
	ctx.Async(func() {
		who := c.s.waitIdentity(ctx)
		var waiting int
		ended := false
		if _, box := c.s.start(); box != nil && who.User.ID != "" {
			waiting, ended = len(box.Ops("")), box.Status().SignedOut
		}
		ctx.Dispatch(func(ctx app.Context) {
			c.notice = signInNotice(who, waiting, ended)
			if c.username == "" && who.User.Username != "" {
				c.username = who.User.Username
			}
		})
	})
}

// signInNotice returns what the sign-in page says first: why the user
// must sign in again (the session ended at start, or the server refused
// the outbox's changes since: ended), or that the server cannot be
// reached.
func signInNotice(who identity, waiting int, ended bool) string {
	switch {
	case ended || who.State == authSignedOut && who.User.ID != "":
		return sessionEndedText(waiting)
	case who.Unreachable:
		return "The server cannot be reached. Sign in once it is back."
	}
	return ""
}

// safeNext returns next if it is a path of this site, else "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

// signInError returns the sentence for a failed sign-in: the server's, and
// for too many attempts the wait it asked for when the sentence lacks it.
func signInError(err error) string {
	msg := errorText(err)
	if d := client.RetryAfter(err); d > 0 && !strings.Contains(msg, "try again") {
		msg += " Try again in " + plural(int(d.Seconds()+0.5), "second") + "."
	}
	return msg
}

// Render draws the form.
func (c *signInPage) Render() app.UI {
	expired := ""
	if c.expired {
		expired = "This sign-in link has expired or was already used. Sign in with your password, or ask for a new link."
	}
	if !c.ready {
		// The server's copy shows no form: what is typed before the app
		// starts would be lost.
		return accountShell(plainBar(), "Sign in", app.P().Class("loading").Role("status").Text("Loading…"))
	}
	return accountShell(plainBar(), "Sign in",
		slot("signin-expired-slot", notice("signin-expired", expired, true)),
		slot("signin-notice-slot", notice("signin-notice", c.notice, false)),
		formUI("signin-form", false, c.onSubmit, []field{
			{ID: "signin-username", Label: "Username", Auto: "username", Max: annotation.MaxUsernameChars, Required: true, Value: c.username, Bind: &c.username},
			{ID: "signin-password", Label: "Password", Type: "password", Auto: "current-password", Required: true, Bind: &c.password},
		}, "signin-submit", "Sign in", c.busy, slot("signin-error-slot", notice("signin-error", c.err, true))),
		app.P().Class("hint").Text("No account yet? Ask an owner of a group for an invitation link. The owner of this server can print a sign-in link with “claimmark user link USERNAME”."),
	)
}

// onSubmit signs in; on success the app starts anew at next.
func (c *signInPage) onSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if c.busy || c.s.acct == nil {
		return
	}
	c.busy, c.err = true, ""
	user, pw, next := strings.TrimSpace(c.username), c.password, c.next
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		me, err := c.s.acct.SignIn(rctx, user, pw)
		if err == nil {
			remember(c.s.keys(), me)
			goTo(next)
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			c.busy = false
			c.err = signInError(err)
		})
	})
}

// invitePage is /invite/{secret}: signed in, a button joins the group;
// otherwise a form creates an account that joins it, or a link signs in
// first. The link the members page copies carries the group's name and
// the role (?group=&role=), only to say what the button does.
type invitePage struct {
	app.Compo
	s *session

	secret, group, role string
	query               string // the page's raw query
	who                 identity
	known               bool
	username, display   string
	password            string
	err                 string
	busy                bool
}

// OnNav reads the secret and waits to know who uses the app.
func (c *invitePage) OnNav(ctx app.Context) {
	ctx.Page().SetTitle("Invitation · claimmark")
	u := ctx.Page().URL()
	c.secret = strings.TrimPrefix(u.Path, "/invite/")
	c.group, c.role, c.query = u.Query().Get("group"), u.Query().Get("role"), u.RawQuery
	c.s.start()
	if !app.IsClient {
		return
	}
	ctx.Async(func() {
		who := c.s.waitIdentity(ctx)
		ctx.Dispatch(func(ctx app.Context) { c.who, c.known = who, true })
	})
}

// joinText is the label of the join button.
func joinText(group, role string) string {
	switch {
	case group != "" && role != "":
		return "Join ‘" + group + "’ as " + role
	case group != "":
		return "Join ‘" + group + "’"
	}
	return "Join the group"
}

// Render draws the page.
func (c *invitePage) Render() app.UI {
	errUI := slot("invite-error-slot", notice("invite-error", c.err, true))
	join := joinText(c.group, c.role)
	switch {
	case !c.known:
		return accountShell(plainBar(), "Invitation", app.P().Class("loading").Role("status").Text("Loading…"))
	case c.who.State == authSignedIn:
		return accountShell(plainBar(), "Invitation",
			app.P().Text("You are signed in as "+c.who.User.Name()+"."),
			errUI,
			app.Button().Type("button").Class("primary").ID("invite-join").Attr("disabled", boolAttr(c.busy)).Text(join).OnClick(c.onJoin),
		)
	}
	next := "/invite/" + c.secret
	if c.query != "" {
		next += "?" + c.query
	}
	return accountShell(plainBar(), "Invitation",
		app.P().Body(
			app.Text("Create an account to accept this invitation, or "),
			app.A().ID("invite-signin").Href(SignInPath+"?next="+url.QueryEscape(next)).Text("sign in first"),
			app.Text(" if you have one."),
		),
		formUI("invite-form", false, c.onCreate, []field{
			{ID: "invite-username", Label: "Username", Auto: "username", Max: annotation.MaxUsernameChars, Required: true, Bind: &c.username},
			{ID: "invite-display", Label: "Display name", Auto: "name", Max: annotation.MaxDisplayNameChars, Bind: &c.display},
			{ID: "invite-password", Label: "Password", Type: "password", Auto: "new-password", Min: annotation.MinPasswordChars, Required: true, Bind: &c.password},
		}, "invite-create", "Create account and join", c.busy, errUI),
	)
}

func (c *invitePage) onJoin(ctx app.Context, e app.Event) { c.accept(ctx, nil) }

func (c *invitePage) onCreate(ctx app.Context, e app.Event) {
	e.PreventDefault()
	c.accept(ctx, &client.NewAccount{Username: strings.TrimSpace(c.username), DisplayName: strings.TrimSpace(c.display), Password: c.password})
}

// accept takes the invitation (creating acc first when not nil); the app
// then starts anew in the group joined.
func (c *invitePage) accept(ctx app.Context, acc *client.NewAccount) {
	if c.busy || c.s.acct == nil {
		return
	}
	c.busy, c.err = true, ""
	secret := c.secret
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		me, err := c.s.acct.AcceptInvite(rctx, secret, acc)
		if err == nil {
			if me.User.ID != "" {
				remember(c.s.keys(), me)
			}
			uid := me.User.ID
			if uid == "" {
				uid = c.who.User.ID
			}
			if me.Group != nil && uid != "" {
				c.s.keys().Set(groupKey(uid), me.Group.ID)
			}
			goTo("/")
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			c.busy = false
			c.err = errorText(err)
		})
	})
}
