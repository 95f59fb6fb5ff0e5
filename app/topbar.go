package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// topBar is the thin bar on every page: the app name (a link home), the
// link to Search, and the sync state. While it is mounted, "/" focuses
// the search box from anywhere (listenSearchKey).
type topBar struct {
	app.Compo
	Sync    string // e.g. "All changes saved"
	Problem bool   // the sync state is a problem worth seeing: offer to retry
	box     *outbox
	s       *session // for the account menu; nil: no menu
	stopKey func()   // removes the "/" listener
	// onSearch, when set, runs on a click on the Search link besides
	// go-app's navigation (the search page: see searchPage.onNavSearch).
	onSearch func(app.Context)
}

// OnMount starts listening for "/".
func (b *topBar) OnMount(ctx app.Context) { b.stopKey = listenSearchKey(ctx) }

// OnDismount stops listening for "/".
func (b *topBar) OnDismount() {
	if b.stopKey != nil {
		b.stopKey()
		b.stopKey = nil
	}
}

// Render draws the bar.
func (b *topBar) Render() app.UI {
	sync := app.Span().Class("sync").ID("sync-state").Text(b.Sync)
	var retry, menu app.UI
	switch {
	case b.box != nil && b.box.Status().SignedOut:
		sync = sync.Class("sync-problem")
		retry = app.A().ID("sync-signin").Href(SignInPath).Text("Sign in")
	case b.Problem:
		sync = sync.Class("sync-problem")
		retry = app.Button().Type("button").Class("link").ID("sync-retry").Text("Retry now").OnClick(b.onRetry)
	}
	if b.s != nil {
		menu = &accountMenu{s: b.s}
	}
	return app.Header().Class("topbar").Body(
		app.A().Class("brand").Href("/").Text("claimmark"),
		app.Nav().Class("topnav").Aria("label", "Main").Body(
			b.searchLink(),
			app.A().ID("nav-speakers").Href(SpeakersPath).Text("Speakers"),
		),
		sync,
		app.Span().Class("retry-slot").Body(retry),
		app.Span().Class("account-slot").Body(menu),
		&updateBanner{},
	)
}

// searchLink is the link to the search page.
func (b *topBar) searchLink() app.UI {
	a := app.A().ID("nav-search").Href(SearchPath).Title("Search annotations (press /)").Text("Search")
	if b.onSearch != nil {
		a = a.OnClick(b.onSearchClick)
	}
	return a
}

// onSearchClick lets the page react to its Search link; go-app follows
// the link itself.
func (b *topBar) onSearchClick(ctx app.Context, e app.Event) {
	if e.Get("ctrlKey").Bool() || e.Get("metaKey").Bool() {
		return // opens elsewhere, as go-app leaves it
	}
	if b.onSearch != nil {
		b.onSearch(ctx)
	}
}

// onRetry sends the waiting changes now rather than after the back-off.
func (b *topBar) onRetry(ctx app.Context, e app.Event) {
	if b.box != nil {
		b.box.Retry()
	}
	ctx.PreventUpdate()
}

// liveRegion is the polite aria-live region through which pages announce
// what happened ("Denial saved") to screen readers. It is visually hidden.
func liveRegion(msg string) app.UI {
	return app.Div().Class("sr-only").ID("live").Role("status").Aria("live", "polite").Aria("atomic", "true").Text(msg)
}
