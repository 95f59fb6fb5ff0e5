package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/input"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// waitTimeout bounds every wait for a condition in the page.
const waitTimeout = 30 * time.Second

// page is one browser tab of a test, in its own browser context (no
// cookies, storage or service worker shared with other tests).
type page struct {
	tb      testing.TB
	ctx     context.Context
	console *syncBuffer
	csp     *syncBuffer // Content-Security-Policy violations reported
}

// newPage opens a tab, or skips the test when there is no browser. The
// browser's console and uncaught exceptions are logged if the test fails.
// The tab is signed in as the owner of the test's server: the one it
// started, else the shared one (accounts_helpers_test.go).
func newPage(tb testing.TB) *page {
	tb.Helper()
	return openPage(tb, true)
}

// openPage opens a tab, with the owners' sessions when signedIn.
func openPage(tb testing.TB, signedIn bool) *page {
	tb.Helper()
	needServer(tb)
	ctx, cancel := chromedp.NewContext(env.browser, chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		tb.Fatalf("opening a tab: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: watchCSP + deviceDBScript}); err != nil {
		tb.Fatalf("watching for CSP violations: %v", err)
	}
	if signedIn {
		if err := giveSession(ctx, tb); err != nil {
			tb.Fatalf("setting the session cookie: %v", err)
		}
	}
	p := &page{tb: tb, ctx: ctx, console: &syncBuffer{}, csp: &syncBuffer{}}
	cons := chromedp.Events(ctx, runtime.ConsoleAPICalled)
	excs := chromedp.Events(ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range cons {
			if err != nil {
				return
			}
			var parts []string
			for _, a := range ev.Args {
				if a.Value != nil {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			line := strings.Join(parts, " ")
			fmt.Fprintf(p.console, "console.%s: %s\n", ev.Type, line)
			if strings.Contains(line, cspViolation) {
				fmt.Fprintln(p.csp, line)
			}
		}
	}()
	go func() {
		for ev, err := range excs {
			if err != nil {
				return
			}
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			fmt.Fprintf(p.console, "exception: %s\n", msg)
		}
	}()
	tb.Cleanup(func() {
		if v := p.csp.String(); v != "" {
			tb.Errorf("the page broke its Content-Security-Policy:\n%s", v)
		}
		if tb.Failed() {
			tb.Logf("browser console:\n%s", p.console.String())
		}
	})
	return p
}

// cspViolation starts the console message watchCSP writes for each
// violation of the Content-Security-Policy.
const cspViolation = "CSP violation:"

// watchCSP runs before the scripts of every document of a page and
// reports each Content-Security-Policy violation on the console (where
// newPage collects them), and in window.cspViolations.
const watchCSP = `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", e => {
	const v = e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber;
	window.cspViolations.push(v);
	console.error("` + cspViolation + ` " + v);
});`

// deviceDBScript defines deviceDB(), the name of the IndexedDB database
// the app keeps for the user signed in on this browser ("claimmark-<user
// id>"; "claimmark" without accounts), for tests that look into it.
const deviceDBScript = `
window.deviceDB = () => {
	try { const u = JSON.parse(localStorage.getItem("claimmark/user")); if (u && u.user && u.user.id) return "claimmark-" + u.user.id; } catch (e) {}
	return "claimmark";
};`

// noCSPViolations fails the test if the current document has reported a
// Content-Security-Policy violation.
func (p *page) noCSPViolations() {
	p.tb.Helper()
	if v := eval[[]string](p, `window.cspViolations || []`); len(v) > 0 {
		p.tb.Errorf("the page broke its Content-Security-Policy: %q", v)
	}
}

// do runs actions, failing the test on error.
func (p *page) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.tb.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page into T.
func eval[T any](p *page, expr string) T {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.tb.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor waits until the JavaScript expression is truthy. A poll cut
// short by a navigation (its page gone) starts again in the new page.
func (p *page) waitFor(what, expr string) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(0)))
		if err == nil {
			return
		}
		if ctx.Err() == nil && navigatedAway(err) {
			continue
		}
		p.tb.Fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// navigatedAway reports whether err says that the page a script ran in
// went away (a reload or navigation happened meanwhile).
func navigatedAway(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "Execution context was destroyed") ||
		strings.Contains(msg, "Inspected target navigated or closed")
}

// js returns s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// u16 returns the length of s in UTF-16 units.
func u16(s string) int { return len(utf16.Encode([]rune(s))) }

// openLibrary loads "/" and waits until the app has started and listed
// the articles.
func (p *page) openLibrary() {
	p.tb.Helper()
	p.do("opening the library", chromedp.Navigate(env.base+"/"))
	p.waitFor("the library list", `document.querySelector(".articles, .empty") !== null`)
}

// openReader loads the reader of article id and waits until every
// paragraph is in the page.
func (p *page) openReader(id string) {
	p.tb.Helper()
	p.do("opening the reader", chromedp.Navigate(env.base+"/articles/"+id))
	p.waitReader()
}

// waitReader waits until the reader has mounted every paragraph.
func (p *page) waitReader() {
	p.tb.Helper()
	p.waitFor("the reader", `!!(window.__claimmark && window.__claimmark.readerComplete) && !!document.querySelector("#article-text p")`)
}

// waitSaved waits until the page says every change is saved.
func (p *page) waitSaved() {
	p.tb.Helper()
	p.waitFor("all changes saved", `document.getElementById("sync-state").textContent === "All changes saved" && !document.querySelector("#article-text mark[data-state]")`)
}

// dragSelect selects text with real mouse events: it presses the left
// button on the left half of the character at UTF-16 offset startOff of
// the first occurrence of startPhrase in a paragraph of the article, moves
// to the right half of the character before endOff of endPhrase, and
// releases. The offsets are in UTF-16 units of their phrase.
func (p *page) dragSelect(startPhrase string, startOff int, endPhrase string, endOff int) {
	p.tb.Helper()
	type pt struct{ X, Y float64 }
	type pts struct {
		A, B pt
		OK   bool
	}
	expr := fmt.Sprintf(`(() => {
		const art = document.getElementById("article-text");
		const find = (phrase) => {
			for (const p of art.querySelectorAll("p[data-para]")) {
				const at = p.textContent.indexOf(phrase);
				if (at >= 0) return [p, at];
			}
			return null;
		};
		const point = (p, off) => {
			const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
			let seen = 0, n;
			while ((n = w.nextNode())) {
				if (seen + n.length > off) return [n, off - seen];
				seen += n.length;
			}
			return null;
		};
		const rect = (p, off) => {
			const [n, o] = point(p, off);
			const r = document.createRange();
			r.setStart(n, o);
			r.setEnd(n, o + 1);
			return r.getClientRects()[0];
		};
		const s = find(%s), e = find(%s);
		if (!s || !e) return {OK: false};
		s[0].scrollIntoView({block: "center"});
		const a = rect(s[0], s[1] + %d), b = rect(e[0], e[1] + %d - 1);
		return {OK: true, A: {X: a.left + 1, Y: (a.top + a.bottom) / 2}, B: {X: b.right - 1, Y: (b.top + b.bottom) / 2}};
	})()`, js(startPhrase), js(endPhrase), startOff, endOff)
	r := eval[pts](p, expr)
	if !r.OK {
		p.tb.Fatalf("the article shows no %q or %q to select", startPhrase, endPhrase)
	}
	held := func(pr *input.DispatchMouseEventParams) {
		pr.Button = input.MouseButtonLeft
		pr.Buttons = 1
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.MouseEvent(chromedp.MouseMoved, r.A.X, r.A.Y),
		chromedp.MouseEvent(chromedp.MousePressed, r.A.X, r.A.Y, held, chromedp.ClickCount(1)),
	}
	for i := 1; i <= 5; i++ {
		f := float64(i) / 5
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, r.A.X+(r.B.X-r.A.X)*f, r.A.Y+(r.B.Y-r.A.Y)*f, held))
	}
	steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, r.B.X, r.B.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	p.do("dragging the mouse across the text", steps...)
	p.waitFor("the selection toolbar", `document.getElementById("seltool") !== null`)
}

// clickPhrase clicks, with the mouse, the middle of the first occurrence of
// phrase in the article.
func (p *page) clickPhrase(phrase string) {
	p.tb.Helper()
	type pt struct {
		X, Y float64
		OK   bool
	}
	r := eval[pt](p, fmt.Sprintf(`(() => {
		for (const p of document.querySelectorAll("#article-text p[data-para]")) {
			const at = p.textContent.indexOf(%s);
			if (at < 0) continue;
			const w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
			let seen = 0, n, mid = at + Math.floor(%d / 2);
			while ((n = w.nextNode())) {
				if (seen + n.length > mid) break;
				seen += n.length;
			}
			const r = document.createRange();
			r.setStart(n, mid - seen);
			r.setEnd(n, mid - seen + 1);
			n.parentElement.scrollIntoView({block: "center"});
			const b = r.getClientRects()[0];
			return {OK: true, X: (b.left + b.right) / 2, Y: (b.top + b.bottom) / 2};
		}
		return {OK: false};
	})()`, js(phrase), u16(phrase)))
	if !r.OK {
		p.tb.Fatalf("the article shows no %q to click", phrase)
	}
	p.do("clicking "+phrase, chromedp.MouseClickXY(r.X, r.Y))
}

// namedButtons returns how many buttons inside the element matching the
// CSS selector sel have exactly the accessible name name, as Chromium's
// accessibility tree computes it (what a screen reader announces).
func (p *page) namedButtons(sel, name string) int {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	obj, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject](fmt.Sprintf(`document.querySelector(%s)`, js(sel))))
	if err != nil || obj == nil || obj.ObjectID == "" {
		p.tb.Fatalf("finding %s: %v", sel, err)
	}
	res, err := chromedp.Call(ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{
		ObjectID: obj.ObjectID, AccessibleName: name, Role: "button"})
	if err != nil {
		p.tb.Fatalf("querying the accessibility tree: %v", err)
	}
	return len(res.Nodes)
}

// key presses keys (see chromedp.KeyEvent) with the focus where it is.
func (p *page) key(keys string, mods ...chromedp.Modifier) {
	p.tb.Helper()
	p.do("pressing "+keys, chromedp.KeyEvent(keys, chromedp.KeyModifiers(mods...)))
}

// shownAnnotation is an annotation as the page shows it.
type shownAnnotation struct {
	ID, Kind, Text, Speaker, Note string
}

// shown returns the highlights of the article (their text joined across
// pieces, in document order) with the speaker and note of their panel
// entries, by id.
func (p *page) shown() map[string]shownAnnotation {
	p.tb.Helper()
	list := eval[[]shownAnnotation](p, `(() => {
		const by = new Map();
		for (const m of document.querySelectorAll("#article-text mark[data-annotation-id]")) {
			const id = m.dataset.annotationId;
			const a = by.get(id) || {ID: id, Kind: m.dataset.kind, Text: "", Speaker: "", Note: ""};
			a.Text += m.textContent; // pieces of one annotation never nest
			by.set(id, a);
		}
		for (const b of document.querySelectorAll(".ann-item[data-annotation-id]")) {
			const a = by.get(b.dataset.annotationId);
			if (!a) continue;
			const s = b.querySelector(".ann-speaker");
			a.Speaker = s && !s.classList.contains("none") ? s.textContent : "";
			const n = b.querySelector(".ann-note");
			a.Note = n ? n.textContent : "";
		}
		return [...by.values()];
	})()`)
	out := map[string]shownAnnotation{}
	for _, a := range list {
		out[a.ID] = a
	}
	return out
}

// stored returns the annotations of article id from the API, by id.
func stored(tb testing.TB, id string) map[string]*annotation.Annotation {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	list, err := env.api.Annotations(ctx, id)
	if err != nil {
		tb.Fatalf("GET /api/articles/%s/annotations: %v", id, err)
	}
	out := map[string]*annotation.Annotation{}
	for _, a := range list {
		out[a.ID] = a
	}
	return out
}

// sameAsAPI checks that the page shows exactly the annotations the API
// holds for article id: the same ids, kinds, quotes (for quotes within one
// paragraph), speakers and notes.
func (p *page) sameAsAPI(id string) {
	p.tb.Helper()
	shown, api := p.shown(), stored(p.tb, id)
	if len(shown) != len(api) {
		p.tb.Errorf("the page shows %d annotations, the API holds %d", len(shown), len(api))
	}
	for aid, a := range api {
		s, ok := shown[aid]
		if !ok {
			p.tb.Errorf("the API holds %s %q (%s) but the page does not show it", a.Kind, a.Target.Quote.Exact, aid)
			continue
		}
		want := strings.ReplaceAll(a.Target.Quote.Exact, "\n\n", "")
		if s.Kind != string(a.Kind) || s.Text != want || s.Speaker != a.Speaker || s.Note != a.Note {
			p.tb.Errorf("annotation %s: the page shows %+v, the API holds kind %s, quote %q, speaker %q, note %q",
				aid, s, a.Kind, want, a.Speaker, a.Note)
		}
	}
	for sid := range shown {
		if api[sid] == nil {
			p.tb.Errorf("the page shows %+v, which the API does not hold", shown[sid])
		}
	}
}

// needServer skips the test when the browser tests do not run.
func needServer(tb testing.TB) {
	tb.Helper()
	if env.skip != "" {
		tb.Skip(env.skip)
	}
}

// createArticle stores an article through the API and returns it.
func createArticle(tb testing.TB, title, text string) *annotation.Article {
	tb.Helper()
	needServer(tb)
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	a := &annotation.Article{Title: title, Text: text, GroupID: teamOf(env.base)}
	if _, err := env.api.CreateArticle(ctx, a); err != nil {
		tb.Fatalf("creating the article %q: %v", title, err)
	}
	return a
}
