package app

import (
	"context"
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// actGroupChanged is the action posted when the user switches group: the
// library lists the new group's articles.
const actGroupChanged = "claimmark/group-changed"

// accountMenu is the account button of the top bar: the user's display
// name; open, the group switcher, Members…, API tokens…, Sign out and
// Sign out everywhere (which warn first when changes are waiting). Once
// the app learns that nobody is signed in, it opens the sign-in page.
type accountMenu struct {
	app.Compo
	s *session

	who     identity
	known   bool
	open    bool
	group   string
	confirm string // "one" or "all": the sign-out awaiting confirmation
	waiting int
	err     string
	busy    bool
}

// OnMount learns who uses the app.
func (m *accountMenu) OnMount(ctx app.Context) {
	if m.s == nil || !app.IsClient {
		return
	}
	if who := m.s.identity(); who.State != authNone {
		m.learn(ctx, who)
		return
	}
	ctx.Async(func() {
		who := m.s.waitIdentity(ctx)
		ctx.Dispatch(func(ctx app.Context) { m.learn(ctx, who) })
	})
}

// learn shows who; nobody signed in, it opens the sign-in page, to come
// back here after.
func (m *accountMenu) learn(ctx app.Context, who identity) {
	m.who, m.known, m.group = who, true, m.s.group()
	if who.State == authSignedOut {
		u := ctx.Page().URL()
		next := u.Path
		if u.RawQuery != "" {
			next += "?" + u.RawQuery
		}
		ctx.Navigate(SignInPath + "?next=" + url.QueryEscape(next))
	}
}

// Render draws the button and, open, the menu.
func (m *accountMenu) Render() app.UI {
	if !m.known || !m.who.HasUser() {
		return app.Span().Class("account")
	}
	name := m.who.User.Name()
	if m.who.State == authOffline {
		name += " (offline)"
	}
	btn := app.Button().Type("button").Class("account-button").ID("account-button").
		Aria("haspopup", "true").Aria("expanded", boolText(m.open)).Aria("controls", "account-menu").
		Text(name).OnClick(m.onToggle)
	if !m.open {
		return app.Div().Class("account").Body(btn)
	}
	opts := make([]app.UI, 0, len(m.who.Memberships))
	for _, ms := range m.who.Memberships {
		opts = append(opts, app.Option().Value(ms.Group.ID).Selected(ms.Group.ID == m.group).
			Text(groupName(ms)+" ("+string(ms.Role)+")"))
	}
	var confirm app.UI
	if m.confirm != "" {
		label := "Sign out anyway"
		if m.confirm == "all" {
			label = "Sign out everywhere anyway"
		}
		confirm = app.Div().Class("confirm", "notice", "notice-error").ID("signout-warning").Role("alert").Body(
			app.P().Text(signOutWarning(m.waiting)),
			button("signout-confirm", "danger", label, m.busy, m.onConfirm),
			button("signout-cancel", "", "Cancel", false, m.onCancel),
		)
	}
	return app.Div().Class("account").Body(
		btn,
		app.Div().Class("account-menu").ID("account-menu").Body(
			app.Label().For("group-switch").Text("Group"),
			app.Select().ID("group-switch").Body(opts...).OnChange(m.onGroup),
			link("menu-members", "/groups/"+m.group, "Members…"),
			link("menu-account", AccountPath, "API tokens…"),
			button("menu-signout", "link", "Sign out", m.busy, m.onSignOutOne),
			button("menu-signout-all", "link", "Sign out everywhere", m.busy, m.onSignOutAll),
			slot("signout-confirm-slot", confirm),
			slot("signout-error-slot", notice("signout-error", m.err, true)),
		),
	)
}

func (m *accountMenu) onToggle(ctx app.Context, e app.Event) {
	m.open, m.confirm, m.err = !m.open, "", ""
}

// onGroup switches group: the library shows it (the page opens if
// another one shows).
func (m *accountMenu) onGroup(ctx app.Context, e app.Event) {
	g := ctx.JSSrc().Get("value").String()
	m.s.setGroup(g)
	m.group = g
	if ctx.Page().URL().Path == "/" {
		ctx.NewAction(actGroupChanged)
		return
	}
	if strings.HasPrefix(ctx.Page().URL().Path, "/groups/") {
		ctx.Navigate("/groups/" + g)
		return
	}
	ctx.Navigate("/")
}

func (m *accountMenu) onSignOutOne(ctx app.Context, e app.Event) { m.askSignOut(ctx, "one") }
func (m *accountMenu) onSignOutAll(ctx app.Context, e app.Event) { m.askSignOut(ctx, "all") }

// askSignOut signs out (which: "one" or "all"), after a warning when
// changes wait in the outbox.
func (m *accountMenu) askSignOut(ctx app.Context, which string) {
	_, box := m.s.start()
	n := 0
	if box != nil {
		n = box.Status().Waiting
	}
	if n > 0 {
		m.confirm, m.waiting = which, n
		ctx.Defer(func(app.Context) { focusSelector("#signout-cancel") })
		return
	}
	m.signOut(ctx, which == "all")
}

func (m *accountMenu) onConfirm(ctx app.Context, e app.Event) { m.signOut(ctx, m.confirm == "all") }

func (m *accountMenu) onCancel(ctx app.Context, e app.Event) { m.confirm = "" }

// signOut ends the session (or every session) and clears the device; the
// sign-in page opens. When the server cannot be told, nothing is deleted.
func (m *accountMenu) signOut(ctx app.Context, everywhere bool) {
	if m.busy {
		return
	}
	m.busy, m.err = true, ""
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		err := m.s.signOut(rctx, everywhere)
		if err == nil {
			return // the page is being replaced
		}
		ctx.Dispatch(func(ctx app.Context) {
			m.busy = false
			m.err = "Could not sign out: " + errorText(err) + " Nothing was deleted from this device."
		})
	})
}
