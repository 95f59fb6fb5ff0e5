package app

import (
	"context"
	"net/url"
	"path"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// groupPage is /groups/{id}: the members of a group with their roles;
// for owners a role select and Remove for each, and invitation links
// (a role, then a link to copy, with its expiry); for everyone Leave
// group (not for a Personal group) and a form for a new group.
type groupPage struct {
	app.Compo
	s *session

	id       string
	who      identity
	members  []client.Member
	loaded   bool
	err      string
	msg      string
	busy     bool
	role     string         // the role of the next invitation
	invite   *client.Invite // the last invitation made
	newGroup string
	leaving  bool // Leave group awaits confirmation
}

// OnNav loads the group's members.
func (c *groupPage) OnNav(ctx app.Context) {
	c.id = path.Base(ctx.Page().URL().Path)
	c.loaded, c.members, c.err, c.msg, c.invite, c.leaving = false, nil, "", "", nil, false
	if c.role == "" {
		c.role = string(annotation.Viewer)
	}
	ctx.Page().SetTitle("Members · claimmark")
	c.s.start()
	if c.s.acct == nil {
		return
	}
	id := c.id
	ctx.Async(func() {
		who := c.s.waitIdentity(ctx)
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		list, err := c.s.acct.Members(rctx, id)
		ctx.Dispatch(func(ctx app.Context) {
			c.who, c.loaded, c.members = who, true, list
			if err != nil {
				c.err = "Could not load the members: " + errorText(err)
			}
		})
	})
}

// inviteLink returns the link to share for inv: the server's, with the
// group's name and the role for the invitation page to show.
func inviteLink(inv *client.Invite, group string) string {
	sep := "?"
	if strings.Contains(inv.URL, "?") {
		sep = "&"
	}
	return inv.URL + sep + url.Values{"group": {group}, "role": {string(inv.Role)}}.Encode()
}

// Render draws the page.
func (c *groupPage) Render() app.UI {
	m, member := c.who.Group(c.id)
	owner := member && m.Role == annotation.Owner
	shared := member && !m.Group.Personal
	title := "Members"
	if member {
		title = "Members of ‘" + groupName(m) + "’"
	}
	rows := make([]app.UI, 0, len(c.members))
	for _, mb := range c.members {
		rows = append(rows, c.renderMember(mb, owner))
	}
	var list app.UI = app.P().Class("loading").Role("status").Text("Loading the members…")
	if c.loaded {
		list = app.Ul().Class("member-list").ID("member-list").Body(rows...)
	}
	var inv, leave app.UI
	if owner && shared {
		var link app.UI
		if c.invite != nil {
			link = app.Div().Class("invite-link").Body(
				app.Input().Type("text").ID("invite-url").ReadOnly(true).Aria("label", "Invitation link").Value(inviteLink(c.invite, m.Group.Name)),
				button("invite-copy", "", "Copy", false, onCopy("#invite-url")),
				app.P().Class("hint").ID("invite-expires").Text("For one new "+string(c.invite.Role)+", once. Expires "+c.invite.Expires.Local().Format("2 Jan 2006 at 15:04")+"."),
			)
		}
		inv = app.Section().Class("invite").Body(
			app.H2().Text("Invite someone"),
			formUI("invite-make", true, c.onInvite, nil, "invite-create-link", "Create invitation link", c.busy,
				app.Label().For("invite-role").Text("Role"), roleSelect("invite-role", c.role, "", c.onInviteRole)),
			slot("invite-link-slot", link),
		)
	}
	if shared && c.leaving {
		leave = app.Div().Class("confirm").Body(
			app.Span().Text("Leave ‘"+m.Group.Name+"’? You will no longer see its articles. "),
			button("group-leave-confirm", "danger", "Leave", false, c.onLeave),
			button("", "", "Cancel", false, c.onLeaving),
		)
	} else if shared {
		leave = button("group-leave", "link delete", "Leave group", false, c.onLeaving)
	}
	note := notice("group-msg", c.msg, false)
	if c.err != "" {
		note = notice("group-error", c.err, true)
	}
	return accountShell(&topBar{s: c.s, Sync: syncText(c.status()), box: c.box()}, title,
		slot("group-note-slot", note),
		list,
		slot("invite-slot", inv),
		slot("leave-slot", leave),
		app.H2().Text("New group"),
		formUI("group-new", true, c.onNewGroup, []field{
			{ID: "group-name", Label: "Name", Max: annotation.MaxGroupNameChars, Hint: "Desk", Bind: &c.newGroup},
		}, "group-create", "Create group", c.busy),
	)
}

// onLeaving asks to confirm leaving the group, or takes the question back.
func (c *groupPage) onLeaving(ctx app.Context, e app.Event) { c.leaving = !c.leaving }

// roleSelect is a select of the three roles with value selected; scope
// keeps the handlers of different rows apart.
func roleSelect(id, selected, scope string, onChange app.EventHandler) app.HTMLSelect {
	opts := make([]app.UI, 0, 3)
	for _, r := range []annotation.Role{annotation.Viewer, annotation.Editor, annotation.Owner} {
		opts = append(opts, app.Option().Value(string(r)).Selected(string(r) == selected).Text(string(r)))
	}
	sel := app.Select().Body(opts...).OnChange(onChange, app.EventScope("role", scope))
	if id != "" {
		sel = sel.ID(id)
	}
	return sel
}

func (c *groupPage) renderMember(mb client.Member, owner bool) app.UI {
	me := mb.UserID == c.who.User.ID
	name := mb.Name()
	if me {
		name += " (you)"
	}
	var role, remove app.UI = app.Span().Class("role").Text(string(mb.Role)), nil
	if owner {
		role = roleSelect("", string(mb.Role), mb.UserID, c.onRole).
			DataSet("user", mb.UserID).Aria("label", "Role of "+mb.Name())
		if !me {
			remove = app.Button().Type("button").Class("link", "delete").DataSet("user", mb.UserID).
				Aria("label", "Remove "+mb.Name()).Text("Remove").OnClick(c.onRemove, app.EventScope("remove", mb.UserID))
		}
	}
	return app.Li().Class("member").DataSet("user", mb.UserID).Body(
		app.Strong().Text(name),
		app.Span().Class("username").Text(" @"+mb.Username+" "),
		role,
		remove,
	)
}

func (c *groupPage) do(ctx app.Context, fn func(ctx context.Context) error, done func(err error)) {
	if c.s.acct != nil {
		runBusy(ctx, &c.busy, fn, done)
	}
}

func (c *groupPage) onInviteRole(ctx app.Context, e app.Event) {
	c.role = ctx.JSSrc().Get("value").String()
}

func (c *groupPage) onInvite(ctx app.Context, e app.Event) {
	e.PreventDefault()
	gid, role := c.id, annotation.Role(c.role)
	var inv *client.Invite
	c.do(ctx, func(rctx context.Context) (err error) {
		inv, err = c.s.acct.CreateInvite(rctx, gid, role, 0)
		return err
	}, func(err error) {
		c.err, c.msg = "", ""
		if err != nil {
			c.err = "Could not create the invitation: " + errorText(err)
			return
		}
		c.invite = inv
		ctx.Defer(func(app.Context) { focusSelector("#invite-url") })
	})
}

func (c *groupPage) onRole(ctx app.Context, e app.Event) {
	src := ctx.JSSrc()
	uid, role := src.Get("dataset").Get("user").String(), annotation.Role(src.Get("value").String())
	gid := c.id
	c.do(ctx, func(rctx context.Context) error {
		_, err := c.s.acct.SetRole(rctx, gid, uid, role)
		return err
	}, func(err error) {
		c.err, c.msg = "", ""
		if err != nil {
			c.err = "Could not change the role: " + errorText(err)
			return
		}
		for i := range c.members {
			if c.members[i].UserID == uid {
				c.members[i].Role = role
				c.msg = c.members[i].Name() + " is now " + string(role) + "."
			}
		}
	})
}

func (c *groupPage) onRemove(ctx app.Context, e app.Event) {
	uid := ctx.JSSrc().Get("dataset").Get("user").String()
	gid := c.id
	c.do(ctx, func(rctx context.Context) error { return c.s.acct.RemoveMember(rctx, gid, uid) }, func(err error) {
		c.err, c.msg = "", ""
		if err != nil {
			c.err = "Could not remove the member: " + errorText(err)
			return
		}
		kept := c.members[:0:0]
		for _, mb := range c.members {
			if mb.UserID != uid {
				kept = append(kept, mb)
			} else {
				c.msg = mb.Name() + " was removed."
			}
		}
		c.members = kept
	})
}

func (c *groupPage) onLeave(ctx app.Context, e app.Event) {
	gid, uid := c.id, c.who.User.ID
	c.do(ctx, func(rctx context.Context) error { return c.s.acct.RemoveMember(rctx, gid, uid) }, func(err error) {
		c.leaving = false
		if err != nil {
			c.err = "Could not leave the group: " + errorText(err)
			return
		}
		goTo("/") // the app starts again with the groups left
	})
}

func (c *groupPage) onNewGroup(ctx app.Context, e app.Event) {
	e.PreventDefault()
	name := strings.TrimSpace(c.newGroup)
	var g *annotation.Group
	c.do(ctx, func(rctx context.Context) (err error) {
		g, err = c.s.acct.CreateGroup(rctx, name)
		return err
	}, func(err error) {
		if err != nil {
			c.err = "Could not create the group: " + errorText(err)
			return
		}
		c.s.setGroup(g.ID)
		goTo("/groups/" + g.ID) // the app starts again, a member of it
	})
}

func (c *groupPage) box() *outbox {
	_, b := c.s.start()
	return b
}

func (c *groupPage) status() outboxStatus {
	if b := c.box(); b != nil {
		return b.Status()
	}
	return outboxStatus{}
}
