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
	var rows []app.UI
	for _, t := range c.tokens {
		rows = append(rows, c.renderToken(t))
	}
	var secret app.UI
	if c.secret != "" {
		secret = app.Div().Class("notice", "token-secret").Role("status").Body(
			app.P().Text("Copy this token now: it is shown only once."),
			app.Input().Type("text").ID("token-secret").ReadOnly(true).Value(c.secret),
			app.Button().Type("button").ID("token-copy").Text("Copy").OnClick(onCopy("#token-secret")),
		)
	}
	note := func(id, text string, bad bool) app.UI {
		if text == "" {
			return nil
		}
		p := app.P().ID(id).Class("notice").Role("status").Text(text)
		if bad {
			p = p.Class("notice-error").Role("alert")
		}
		return p
	}
	tokList := app.Ul().Class("token-list").ID("token-list").Body(rows...)
	if len(c.tokens) == 0 && c.loaded {
		tokList = app.Ul().Class("token-list").ID("token-list").Body(app.Li().Class("empty").Text("No tokens yet."))
	}
	return app.Div().Class("page", "account-page").Body(
		&topBar{s: c.s, Sync: syncText(c.status()), box: c.box()},
		app.Main().Class("narrow").ID("main").Body(
			app.H1().Text("Account"),
			app.P().Text("Signed in as "+c.who.User.Username+"."),
			app.H2().Text("Display name"),
			app.Form().Class("account-form").ID("name-form").OnSubmit(c.onSaveName).Body(
				app.Label().For("acct-display").Text("Display name (shown on your annotations)"),
				app.Input().Type("text").ID("acct-display").MaxLength(annotation.MaxDisplayNameChars).
					Value(c.display).OnInput(bindInput(&c.display)),
				app.Button().Type("submit").Disabled(c.busy).Text("Save name"),
			),
			note("acct-msg", c.msg, false),
			note("acct-err", c.err, true),
			app.H2().Text("Password"),
			app.Form().Class("account-form").ID("password-form").OnSubmit(c.onSavePassword).Body(
				app.Label().For("acct-current").Text("Current password"),
				app.Input().Type("password").ID("acct-current").Attr("autocomplete", "current-password").
					OnInput(bindInput(&c.current)),
				app.Label().For("acct-password").Text("New password"),
				app.Input().Type("password").ID("acct-password").Attr("autocomplete", "new-password").
					Attr("minlength", annotation.MinPasswordChars).Required(true).OnInput(bindInput(&c.password)),
				app.Button().Type("submit").Disabled(c.busy).Text("Change password"),
				app.P().Class("hint").Text("Changing the password signs you out on your other devices."),
			),
			note("password-msg", c.passwordMsg, false),
			app.H2().Text("API tokens"),
			app.P().Class("hint").Text("Tokens let the command line and scripts use this server as you: claimmark search -server URL with CLAIMMARK_TOKEN set."),
			app.Form().Class("account-form", "inline").ID("token-form").OnSubmit(c.onCreateToken).Body(
				app.Label().For("token-name").Text("New token’s name"),
				app.Input().Type("text").ID("token-name").MaxLength(annotation.MaxTokenNameChars).
					Placeholder("laptop CLI").Value(c.tokenName).OnInput(bindInput(&c.tokenName)),
				app.Button().Type("submit").ID("token-create").Disabled(c.busy).Text("Create token"),
			),
			slot("token-secret-slot", secret),
			note("token-err", c.tokErr, true),
			tokList,
		),
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

// bindInput returns an input handler that keeps the field's value in
// *dst, without rendering.
func bindInput(dst *string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		*dst = ctx.JSSrc().Get("value").String()
		ctx.PreventUpdate()
	}
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
	if c.busy || c.s.acct == nil {
		return
	}
	c.busy = true
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		err := fn(rctx)
		ctx.Dispatch(func(ctx app.Context) {
			c.busy = false
			done(err)
		})
	})
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
