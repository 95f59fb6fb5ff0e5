package app

import (
	"context"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// accountPage is /account: the display name, the password, and the API
// tokens (create, with the secret shown once and a copy button; list with
// their last use; revoke).
type accountPage struct {
	app.Compo
	s *session

	who                 identity
	display             string
	current, password   string
	tokens              []annotation.Token
	tokenName           string
	secret              string // the secret of the token just made, shown once
	msg, err            string
	busy                bool
	loaded              bool
	confirmRevoke       string
	passwordMsg, tokErr string
}

// OnNav loads the user and the tokens.
func (c *accountPage) OnNav(ctx app.Context) {
	ctx.Page().SetTitle("Account · claimmark")
	c.s.start()
	if c.s.acct == nil {
		return
	}
	ctx.Async(func() {
		who := c.s.waitIdentity(ctx)
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		list, err := c.s.acct.Tokens(rctx)
		ctx.Dispatch(func(ctx app.Context) {
			c.who, c.display, c.loaded = who, who.User.DisplayName, true
			c.tokens = list
			if err != nil {
				c.tokErr = "Could not load the tokens: " + errorText(err)
			}
		})
	})
}

// Render draws the page.
func (c *accountPage) Render() app.UI {
	rows := make([]app.UI, 0, len(c.tokens)+1)
	for _, t := range c.tokens {
		rows = append(rows, c.renderToken(t))
	}
	if len(c.tokens) == 0 && c.loaded {
		rows = append(rows, app.Li().Class("empty").Text("No tokens yet."))
	}
	var secret app.UI
	if c.secret != "" {
		secret = app.Div().Class("notice", "token-secret").Role("status").Body(
			app.P().Text("Copy this token now: it is shown only once."),
			app.Input().Type("text").ID("token-secret").ReadOnly(true).Value(c.secret),
			app.Button().Type("button").ID("token-copy").Text("Copy").OnClick(onCopy("#token-secret")),
		)
	}
	return accountShell(&topBar{s: c.s, Sync: syncText(c.status()), box: c.box()}, "Account",
		app.P().Text("Signed in as "+c.who.User.Username+"."),
		app.H2().Text("Display name"),
		formUI("name-form", false, c.onSaveName, []field{
			{ID: "acct-display", Label: "Display name (shown on your annotations)", Max: annotation.MaxDisplayNameChars, Value: c.display, Bind: &c.display},
		}, "acct-save-name", "Save name", c.busy),
		notice("acct-msg", c.msg, false),
		notice("acct-err", c.err, true),
		app.H2().Text("Password"),
		formUI("password-form", false, c.onSavePassword, []field{
			{ID: "acct-current", Label: "Current password", Type: "password", Auto: "current-password", Bind: &c.current},
			{ID: "acct-password", Label: "New password", Type: "password", Auto: "new-password", Min: annotation.MinPasswordChars, Required: true, Bind: &c.password},
		}, "acct-save-password", "Change password", c.busy, app.P().Class("hint").Text("Changing the password signs you out on your other devices.")),
		notice("password-msg", c.passwordMsg, false),
		app.H2().Text("API tokens"),
		app.P().Class("hint").Text("Tokens let the command line and scripts use this server as you: claimmark search -server URL with CLAIMMARK_TOKEN set."),
		formUI("token-form", true, c.onCreateToken, []field{
			{ID: "token-name", Label: "New token’s name", Max: annotation.MaxTokenNameChars, Hint: "laptop CLI", Value: c.tokenName, Bind: &c.tokenName},
		}, "token-create", "Create token", c.busy),
		slot("token-secret-slot", secret),
		notice("token-err", c.tokErr, true),
		app.Ul().Class("token-list").ID("token-list").Body(rows...),
	)
}

func (c *accountPage) renderToken(t annotation.Token) app.UI {
	used := "never used"
	if !t.LastUsed.IsZero() {
		used = "last used " + t.LastUsed.Local().Format("2 Jan 2006 15:04")
	}
	var act app.UI
	if c.confirmRevoke == t.ID {
		act = app.Span().Class("confirm").Body(
			app.Text("Revoke “"+t.Name+"”? Scripts using it stop working. "),
			app.Button().Type("button").Class("danger").DataSet("id", t.ID).Text("Revoke").
				OnClick(c.onRevoke, app.EventScope("revoke", t.ID)),
			app.Button().Type("button").Text("Cancel").OnClick(c.onCancelRevoke, app.EventScope("cancel", t.ID)),
		)
	} else {
		act = app.Button().Type("button").Class("link", "delete").DataSet("id", t.ID).
			Aria("label", "Revoke "+t.Name).Text("Revoke").OnClick(c.onAskRevoke, app.EventScope("ask", t.ID))
	}
	return app.Li().Class("token").DataSet("id", t.ID).Body(
		app.Strong().Text(t.Name),
		app.Span().Class("token-meta").Text(" · created "+t.Created.Local().Format("2 Jan 2006")+" · "+used+" "),
		act,
	)
}

// onCopy returns a click handler copying the value of the field matching
// sel to the clipboard (selecting it as well, for a manual copy).
func onCopy(sel string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		el := document().Call("querySelector", sel)
		if !el.Truthy() {
			return
		}
		el.Call("select")
		if cb := app.Window().Get("navigator").Get("clipboard"); cb.Truthy() {
			cb.Call("writeText", el.Get("value").String())
		}
		ctx.JSSrc().Set("textContent", "Copied")
		ctx.PreventUpdate()
	}
}

func (c *accountPage) run(ctx app.Context, fn func(ctx context.Context) error, done func(err error)) {
	if c.s.acct != nil {
		runBusy(ctx, &c.busy, fn, done)
	}
}

func (c *accountPage) onSaveName(ctx app.Context, e app.Event) {
	e.PreventDefault()
	name := strings.TrimSpace(c.display)
	var u *annotation.User
	c.run(ctx, func(rctx context.Context) (err error) {
		u, err = c.s.acct.UpdateMe(rctx, client.MeUpdate{DisplayName: name})
		return err
	}, func(err error) {
		c.msg, c.err = "", ""
		if err != nil {
			c.err = "Could not change the name: " + errorText(err)
			return
		}
		c.who.User = *u
		c.s.updateUser(*u)
		c.msg = "Your annotations now show “" + u.Name() + "”."
	})
}

func (c *accountPage) onSavePassword(ctx app.Context, e app.Event) {
	e.PreventDefault()
	cur, pw := c.current, c.password
	c.run(ctx, func(rctx context.Context) error {
		_, err := c.s.acct.UpdateMe(rctx, client.MeUpdate{Password: pw, CurrentPassword: cur})
		return err
	}, func(err error) {
		if err != nil {
			c.passwordMsg = "Could not change the password: " + errorText(err)
			return
		}
		c.passwordMsg = "Password changed. Your other devices are signed out."
		c.current, c.password = "", ""
		ctx.Defer(func(app.Context) {
			for _, sel := range []string{"#acct-current", "#acct-password"} {
				if el := document().Call("querySelector", sel); el.Truthy() {
					el.Set("value", "")
				}
			}
		})
	})
}

func (c *accountPage) onCreateToken(ctx app.Context, e app.Event) {
	e.PreventDefault()
	name := strings.TrimSpace(c.tokenName)
	var nt *client.NewToken
	c.run(ctx, func(rctx context.Context) (err error) {
		nt, err = c.s.acct.CreateToken(rctx, name)
		return err
	}, func(err error) {
		c.tokErr = ""
		if err != nil {
			c.tokErr = "Could not create the token: " + errorText(err)
			return
		}
		c.secret, c.tokenName = nt.Secret, ""
		if nt.Token.Created.IsZero() {
			nt.Token.Created = time.Now()
		}
		c.tokens = append([]annotation.Token{nt.Token}, c.tokens...)
	})
}

func (c *accountPage) onAskRevoke(ctx app.Context, e app.Event) {
	c.confirmRevoke = ctx.JSSrc().Get("dataset").Get("id").String()
}

func (c *accountPage) onCancelRevoke(ctx app.Context, e app.Event) { c.confirmRevoke = "" }

func (c *accountPage) onRevoke(ctx app.Context, e app.Event) {
	id := ctx.JSSrc().Get("dataset").Get("id").String()
	c.run(ctx, func(rctx context.Context) error { return c.s.acct.RevokeToken(rctx, id) }, func(err error) {
		c.confirmRevoke = ""
		if err != nil && annotation.ErrorCode(err) != annotation.NotFound {
			c.tokErr = "Could not revoke the token: " + errorText(err)
			return
		}
		c.tokErr = ""
		out := c.tokens[:0:0]
		for _, t := range c.tokens {
			if t.ID != id {
				out = append(out, t)
			}
		}
		c.tokens = out
	})
}

func (c *accountPage) box() *outbox {
	_, b := c.s.start()
	return b
}

func (c *accountPage) status() outboxStatus {
	if b := c.box(); b != nil {
		return b.Status()
	}
	return outboxStatus{}
}
