package app

import (
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// match loads c in a test engine and checks each (want, path) pair.
func matchAll(t *testing.T, c app.Composer, checks []struct {
	name string
	want app.UI
	path []int
}) {
	t.Helper()
	e := app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	for _, ck := range checks {
		if err := app.Match(ck.want, c, ck.path...); err != nil {
			t.Errorf("%s: %v", ck.name, err)
		}
	}
}

type check = struct {
	name string
	want app.UI
	path []int
}

// TestSignInPageComponent checks the sign-in form with an expired link,
// a session that ended and the server's refusal.
func TestSignInPageComponent(t *testing.T) {
	c := &signInPage{s: &session{}, ready: true, expired: true, notice: sessionEndedText(3), err: "The username or password is not right.", username: "ann"}
	matchAll(t, c, []check{
		{"expired link", app.P().Class("notice", "notice-error").ID("signin-expired").Role("alert"), []int{0, 1, 1, 0}},
		{"session ended", app.Text("Your session has ended. Sign in again to send 3 waiting changes."), []int{0, 1, 2, 0, 0}},
		{"username kept", app.Input().Type("text").ID("signin-username").Required(true).Value("ann").OnInput(nop).
			Attr("autocomplete", "username").MaxLength(annotation.MaxUsernameChars), []int{0, 1, 3, 1}},
		{"server's sentence", app.Text("The username or password is not right."), []int{0, 1, 3, 4, 0, 0}},
	})
}

// TestAccountMenuComponent checks the open menu: the name, the group
// switcher with roles, the links, and the warning before signing out.
func TestAccountMenuComponent(t *testing.T) {
	who := identity{State: authSignedIn, User: annotation.User{ID: "u1", Username: "ann", DisplayName: "Ann"},
		Memberships: []annotation.Membership{
			membership("p1", "ann", annotation.Owner, true),
			membership("g1", "Desk", annotation.Viewer, false),
		}}
	m := &accountMenu{who: who, known: true, open: true, group: "g1", confirm: "one", waiting: 3}
	matchAll(t, m, []check{
		{"display name", app.Text("Ann"), []int{0, 0, 0}},
		{"personal group", app.Option().Value("p1").Selected(false).Text("Only me (owner)"), []int{0, 1, 1, 0}},
		{"current group", app.Option().Value("g1").Selected(true).Text("Desk (viewer)"), []int{0, 1, 1, 1}},
		{"members of the current group", app.A().ID("menu-members").Href("/groups/g1"), []int{0, 1, 2}},
		{"tokens", app.A().ID("menu-account").Href(AccountPath), []int{0, 1, 3}},
		{"warning", app.Text("3 changes have not reached the server. Signing out deletes them from this device."), []int{0, 1, 6, 0, 0, 0}},
	})
	offline := &accountMenu{who: identity{State: authOffline, User: who.User}, known: true}
	matchAll(t, offline, []check{{"offline", app.Text("Ann (offline)"), []int{0, 0, 0}}})
	nobody := &accountMenu{known: true, who: identity{State: authSignedOut}}
	matchAll(t, nobody, []check{{"no menu when signed out", app.Span().Class("account"), []int{0}}})
}

// TestEditorOwnerComponent checks who made an annotation and the
// visibility toggle, which only the creator gets.
func TestEditorOwnerComponent(t *testing.T) {
	mine := &editor{ID: "a1", Kind: "claim", Creator: "Ann", Visibility: "private", CanSetVisibility: true}
	matchAll(t, mine, []check{
		{"by", app.P().Class("editor-creator").ID("ed-creator").Text("By Ann"), []int{0, 2, 0, 0}},
		{"group off", app.Button().Type("button").Class("vis").DataSet("visibility", "group").Aria("pressed", "false").OnClick(nop), []int{0, 2, 0, 1, 0}},
		{"only me on", app.Button().Type("button").Class("vis").DataSet("visibility", "private").Aria("pressed", "true").OnClick(nop), []int{0, 2, 0, 1, 1}},
	})
	theirs := &editor{ID: "a2", Kind: "claim", Creator: "Bob", Visibility: "group"}
	matchAll(t, theirs, []check{
		{"no toggle for others", app.P().Class("editor-visibility").ID("ed-visibility").Text("Visible to the group"), []int{0, 2, 0, 1}},
	})
}

// TestAnnotatorShown checks the annotator's name on panel entries and the
// viewer's read-only panel.
func TestAnnotatorShown(t *testing.T) {
	g := &panelGroup{Items: []panelItem{{ID: "a1", Kind: "claim", Quote: "jobs", Creator: "Ann", Private: true}}}
	matchAll(t, g, []check{{"by line", app.Span().Class("ann-creator").Text("by Ann · only me"), []int{0, 0, 3}}})

	p := &sidePanel{ReadOnly: "You are a viewer in ‘Desk’.", Edit: &editItem{ID: "a1", Kind: "denial", Quote: "q", Creator: "Ann", Speaker: "Helena"}}
	matchAll(t, p, []check{
		{"read-only line", app.P().Class("panel-readonly").ID("readonly-note").Text("You are a viewer in ‘Desk’."), []int{0, 1, 0, 0}},
		{"no editor", app.Div().Class("editor-slot"), []int{0, 1, 3}},
	})
	if app.Match(app.Section().Class("editor", "editor-denial").ID("editor").Aria("label", "Edit annotation"), p, 0, 1, 3, 0) == nil {
		t.Error("a viewer gets the editor")
	}
	if annotatorLine("", false) != nil {
		t.Error("an annotation without creator (no accounts) gets a by line")
	}
}

// TestGroupMemberComponent checks a member row: owners get a role select
// and Remove for others, never for themselves.
func TestGroupMemberComponent(t *testing.T) {
	c := &groupPage{who: identity{State: authSignedIn, User: annotation.User{ID: "u1"}}}
	bob := client.Member{UserID: "u2", Username: "bob", DisplayName: "Bob", Role: annotation.Viewer}
	e := app.NewTestEngine()
	row := &wrap{ui: c.renderMember(bob, true)}
	if err := e.Load(row); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	for _, ck := range []check{
		{"name", app.Text("Bob"), []int{0, 0, 0}},
		{"role select", app.Select().DataSet("user", "u2").Aria("label", "Role of Bob").OnChange(nop), []int{0, 2}},
		{"viewer selected", app.Option().Value("viewer").Selected(true), []int{0, 2, 0}},
		{"remove", app.Button().Type("button").Class("link", "delete").DataSet("user", "u2").Aria("label", "Remove Bob").OnClick(nop), []int{0, 3}},
	} {
		if err := app.Match(ck.want, row, ck.path...); err != nil {
			t.Errorf("%s: %v", ck.name, err)
		}
	}
	self := &wrap{ui: c.renderMember(client.Member{UserID: "u1", Username: "ann", Role: annotation.Owner}, true)}
	e2 := app.NewTestEngine()
	if err := e2.Load(self); err != nil {
		t.Fatal(err)
	}
	e2.ConsumeAll()
	if err := app.Match(app.Text("ann (you)"), self, 0, 0, 0); err != nil {
		t.Error(err)
	}
}

// wrap is a component rendering a fixed tree.
type wrap struct {
	app.Compo
	ui app.UI
}

func (w *wrap) Render() app.UI { return w.ui }

// nop stands for an event handler in Match, which checks only that one is
// there.
func nop(app.Context, app.Event) {}
