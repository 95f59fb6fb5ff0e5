package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// ownServer is a server process of one test, on an address the test keeps
// across restarts (the page must reach the same origin again).
type ownServer struct {
	tb   testing.TB
	addr string // 127.0.0.1:PORT
	data string
	root string // -root: env.root unless the test made its own
	bin  string // the server binary: env.bin unless the test built another
	base string
	api  *client.Client
	proc *serverProc
	log  *syncBuffer
}

// newOwnServer picks a free port once and starts a server on it with a
// fresh data directory. It is stopped when the test ends.
func newOwnServer(tb testing.TB) *ownServer {
	tb.Helper()
	needServer(tb)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := &ownServer{tb: tb, addr: addr, data: filepath.Join(tb.TempDir(), "data"), root: env.root, base: "http://" + addr, log: &syncBuffer{}}
	s.api = client.New(s.base, nil)
	s.start()
	tb.Cleanup(func() {
		stopProcess(s.proc)
		if tb.Failed() {
			tb.Logf("own server output (last 4 KB):\n%s", tail(s.log.String(), 4096))
		}
	})
	return s
}

// start runs the server on s.addr and returns once it listens.
func (s *ownServer) start() {
	s.tb.Helper()
	bin := s.bin
	if bin == "" {
		bin = env.bin
	}
	cmd := exec.Command(bin, "serve", "-addr", s.addr, "-data", s.data, "-root", s.root)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		s.tb.Fatal(err)
	}
	cmd.Stdout = s.log
	if err := cmd.Start(); err != nil {
		s.tb.Fatal(err)
	}
	found := make(chan struct{}, 1)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			s.log.Write([]byte(sc.Text() + "\n"))
			if strings.HasPrefix(sc.Text(), "claimmark listening on ") {
				select {
				case found <- struct{}{}:
				default:
				}
			}
		}
	}()
	p := &serverProc{cmd: cmd, done: make(chan error, 1)}
	go func() {
		<-scanned
		p.done <- cmd.Wait()
	}()
	select {
	case <-found:
		s.proc = p
		o, err := signInOwner(s.base, s.log.String()) // accounts_helpers_test.go
		if err != nil {
			s.tb.Fatalf("signing in as the owner: %v", err)
		}
		if o != nil {
			s.api = o.api
			ownServerOf(s.tb, s.base)
		}
	case err := <-p.done:
		s.tb.Fatalf("the server exited before listening: %v\n%s", err, s.log.String())
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		s.tb.Fatal("the server did not listen within 90 s")
	}
}

// kill ends the server process at once (SIGKILL), as a crash or a pulled
// plug would, and waits until it is gone.
func (s *ownServer) kill() {
	s.tb.Helper()
	if err := s.proc.cmd.Process.Kill(); err != nil {
		s.tb.Fatal(err)
	}
	<-s.proc.done
	s.proc = nil
	if _, err := s.api.Articles(context.Background()); !errors.Is(err, client.ErrUnreachable) {
		s.tb.Fatalf("after the kill the API answers (%v)", err)
	}
}

// annotations returns the article's annotations as the server holds them.
func (s *ownServer) annotations(id string) []*annotation.Annotation {
	s.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	list, err := s.api.Annotations(ctx, id)
	if err != nil {
		s.tb.Fatal(err)
	}
	return list
}

// article creates an article on the server.
func (s *ownServer) article(title, text string) *annotation.Article {
	s.tb.Helper()
	a := &annotation.Article{Title: title, Text: text, GroupID: teamOf(s.base)}
	if _, err := s.api.CreateArticle(context.Background(), a); err != nil {
		s.tb.Fatal(err)
	}
	return a
}

// waitOfflineReady waits until the page can start without the server: a
// service worker controls it (so its precache is complete) and the device
// store holds article id.
func (p *page) waitOfflineReady(id string) {
	p.tb.Helper()
	p.waitFor("the service worker to control the page", `navigator.serviceWorker.controller !== null`)
	p.waitFor("the article in IndexedDB", fmt.Sprintf(`new Promise((resolve) => {
		const open = indexedDB.open(deviceDB());
		open.onerror = () => resolve(false);
		open.onsuccess = () => {
			const db = open.result;
			try {
				const get = db.transaction("articles").objectStore("articles").get(%s);
				get.onsuccess = () => { resolve(!!get.result); db.close(); };
				get.onerror = () => { resolve(false); db.close(); };
			} catch (e) { resolve(false); db.close(); }
		};
	})`, js(id)))
}

// syncState returns the top bar's sync text.
func (p *page) syncState() string {
	p.tb.Helper()
	return eval[string](p, `(document.getElementById("sync-state") || {}).textContent || ""`)
}

// tagPhrase selects phrase with the mouse and presses the button of kind k.
func (p *page) tagPhrase(phrase string, k annotation.Kind) {
	p.tb.Helper()
	p.dragSelect(phrase, 0, phrase, u16(phrase))
	p.do("pressing "+k.Label(), chromedp.Click(chromedp.CSS(`#seltool button[data-kind="`+string(k)+`"]`)))
	p.waitFor("the new highlight", fmt.Sprintf(`[...document.querySelectorAll('#article-text mark[data-kind=%q]')].some(m => m.textContent === %s)`, k, js(phrase)))
	// The new annotation opens its editor with the speaker field focused;
	// Escape closes it. Wait for each, so the next selection does not race
	// an editor still opening.
	p.waitFor("the new annotation's editor", `document.activeElement && document.activeElement.id === "ed-speaker"`)
	p.key("\x1b")
	p.waitFor("the editor closed", `document.getElementById("editor") === null`)
}

// TestOfflineSync walks through issue 4's offline scenario with the server
// process killed, not a flag in the browser: visit online; kill the server;
// reload the article (full page load) and find its text; make three
// annotations, which show and wait ("3 changes waiting"); reload, still
// offline, and find them still waiting; find the article in the library
// and the denial by searching "deny", from the device; open a second
// instance of the app
// in the same profile; restart the
// server on the same port and data: both tabs come to "All changes saved"
// without a click, and the API holds exactly the three, each sent once
// (revision 1).
func TestOfflineSync(t *testing.T) {
	srv := newOwnServer(t)
	art := srv.article("Harbour talks "+t.Name(), harbourText)
	p := newPage(t)
	url := srv.base + "/articles/" + art.ID
	p.do("opening the reader online", chromedp.Navigate(url))
	p.waitReader()
	p.waitOfflineReady(art.ID)

	srv.kill()
	p.do("reloading the article offline", chromedp.Navigate(url))
	p.waitReader()
	if got := eval[string](p, `document.getElementById("article-text").textContent`); !strings.Contains(got, "Fishermen said the silt had spread") {
		t.Fatalf("offline, the reader shows %q, not the article's text", got)
	}
	if got := eval[string](p, `document.querySelector(".article-title").textContent`); got != art.Title {
		t.Errorf("offline, the title is %q, want %q", got, art.Title)
	}
	p.noCSPViolations() // the app started from the service worker under its CSP

	phrases := []struct {
		text string
		kind annotation.Kind
	}{
		{"denied a report", annotation.Denial},
		{"proposed an independent survey", annotation.Proposal},
		{"would lose jobs", annotation.Claim},
	}
	for _, ph := range phrases {
		p.tagPhrase(ph.text, ph.kind)
	}
	p.waitFor("three changes waiting", `document.getElementById("sync-state").textContent.includes("3 changes waiting")`)
	if got := p.syncState(); !strings.Contains(got, "Offline") {
		t.Errorf("with the server down the top bar says %q; want it to say Offline", got)
	}
	if n := len(p.shown()); n != 3 {
		t.Errorf("the page shows %d annotations, want 3", n)
	}

	// A reload while offline keeps them, still waiting.
	p.do("reloading with changes waiting", chromedp.Navigate(url))
	p.waitReader()
	p.waitFor("the three annotations after the reload", `document.querySelectorAll("#article-text mark[data-annotation-id]").length >= 3`)
	p.waitFor("three changes still waiting", `document.getElementById("sync-state").textContent.includes("3 changes waiting")`)
	shown := p.shown()
	if len(shown) != 3 {
		t.Errorf("after the reload the page shows %d annotations, want 3", len(shown))
	}

	// The library and search work from the device.
	p.do("opening the library offline", chromedp.Navigate(srv.base+"/"))
	p.waitFor("the article in the offline library", fmt.Sprintf(`[...document.querySelectorAll(".article-link")].some(a => a.textContent === %s)`, js(art.Title)))
	p.do("searching offline", chromedp.Navigate(srv.base+"/search?q=deny"))
	p.waitFor("results from this device", `document.getElementById("search-offline") !== null && document.querySelectorAll("#results .result[data-annotation-id]").length > 0`)
	var denial string
	for id, a := range shown {
		if a.Kind == string(annotation.Denial) {
			denial = id
		}
	}
	if ids := eval[[]string](p, `[...document.querySelectorAll("#results .result[data-annotation-id]")].map(e => e.dataset.annotationId)`); len(ids) != 1 || ids[0] != denial {
		t.Errorf("offline, a search for deny finds %q; want the denial made offline (%s), found by its stem", ids, denial)
	}
	p.do("back to the article", chromedp.Navigate(url))
	p.waitReader()

	// A second instance of the app in the same browser profile, on the
	// same article: an iframe is a client of its own (its own wasm, outbox
	// and lock requests) sharing the profile's IndexedDB, as a tab would.
	// (chromedp cannot drive a second tab of one browser context here.)
	eval[bool](p, fmt.Sprintf(`(() => {
		const f = document.createElement("iframe");
		f.id = "second-instance";
		f.src = %s;
		f.style.cssText = "position:fixed;right:0;bottom:0;width:600px;height:400px";
		document.documentElement.appendChild(f);
		return true;
	})()`, js(url)))
	second := `document.getElementById("second-instance").contentDocument`
	p.waitFor("three changes waiting in the second instance", second+` && `+second+`.getElementById("sync-state") && `+second+`.getElementById("sync-state").textContent.includes("3 changes waiting")`)

	srv.start()
	p.waitFor("all changes saved", `document.getElementById("sync-state").textContent === "All changes saved"`)
	p.waitFor("all changes saved in the second instance", second+`.getElementById("sync-state").textContent === "All changes saved"`)

	list := srv.annotations(art.ID)
	if len(list) != 3 {
		t.Fatalf("the API holds %d annotations, want exactly the 3 made offline", len(list))
	}
	for _, a := range list {
		s, ok := shown[a.ID]
		if !ok || s.Kind != string(a.Kind) || s.Text != a.Target.Quote.Exact {
			t.Errorf("the API holds %s %q (%s), which the page did not show as such (%+v)", a.Kind, a.Target.Quote.Exact, a.ID, s)
		}
		if a.Revision != 1 {
			t.Errorf("annotation %q is at revision %d: it was sent %d times, want once", a.Target.Quote.Exact, a.Revision, a.Revision)
		}
	}
}

// TestOfflineConflict makes two browser profiles change the same
// annotation: the second one's change is refused (412), both versions are
// offered, and the choice is saved; then a delete of something changed
// elsewhere is offered the same way. Nothing is lost.
func TestOfflineConflict(t *testing.T) {
	art := createArticle(t, "Conflict "+t.Name(), harbourText+"\n\nThis copy is for "+t.Name()+".")
	start := strings.Index(harbourText, "denied a report")
	x := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Denial,
		Target: annotation.Target{Quote: annotation.Quote{Exact: "denied a report"}, Position: annotation.Position{Start: start, End: start + len("denied a report")}}}
	if err := env.api.PutAnnotation(context.Background(), x, ""); err != nil {
		t.Fatal(err)
	}
	a, b := newPage(t), newPage(t)
	a.openReader(art.ID)
	b.openReader(art.ID)
	mark := fmt.Sprintf(`#article-text mark[data-annotation-id=%q]`, x.ID)
	for _, p := range []*page{a, b} {
		p.waitFor("the highlight", fmt.Sprintf(`document.querySelector(%s) !== null`, js(mark)))
	}

	setNote := func(p *page, note string) {
		t.Helper()
		p.clickPhrase("denied a report")
		p.waitFor("the editor", `document.getElementById("ed-note") !== null`)
		p.do("typing the note", chromedp.SendKeys(chromedp.ID("ed-note"), note))
		p.key("\t") // leaving the note saves at once
	}
	setNote(a, "Profile A's note")
	a.waitSaved()

	setNote(b, "Profile B's note")
	b.waitFor("the conflict", `document.querySelector(".conflict") !== null`)
	mine := eval[string](b, `document.querySelector(".conflict-mine").textContent`)
	theirs := eval[string](b, `document.querySelector(".conflict-theirs").textContent`)
	if !strings.Contains(mine, "Profile B's note") || !strings.Contains(theirs, "Profile A's note") {
		t.Errorf("the conflict shows mine %q and theirs %q; want B's note as mine and A's as the server's", mine, theirs)
	}
	if s, _ := env.api.Annotation(context.Background(), x.ID); s == nil || s.Note != "Profile A's note" {
		t.Fatalf("before a choice the server holds %+v; A's note was overwritten", s)
	}
	if !strings.Contains(b.syncState(), "1 conflict to resolve") {
		t.Errorf("the top bar says %q; want it to count the conflict", b.syncState())
	}
	b.do("keeping my version", chromedp.Click(chromedp.CSS(".conflict-keep-mine")))
	b.waitFor("the conflict to go", `document.querySelector(".conflict") === null`)
	b.waitSaved()
	s, err := env.api.Annotation(context.Background(), x.ID)
	if err != nil || s.Note != "Profile B's note" || s.Revision != 3 {
		t.Fatalf("after keeping B's version the server holds %+v (%v); want B's note at revision 3", s, err)
	}

	// A (which last saw revision 2) deletes it; B's version (3) is newer.
	a.clickPhrase("denied a report")
	a.waitFor("the editor", `document.getElementById("ed-delete") !== null`)
	a.do("deleting", chromedp.Click(chromedp.ID("ed-delete")))
	a.waitFor("the delete conflict", `document.querySelector(".conflict") !== null`)
	if got := eval[string](a, `document.querySelector(".conflict-title").textContent`); !strings.Contains(got, "deleted") {
		t.Errorf("the conflict title is %q; want it to say the deletion met a change", got)
	}
	if got := eval[string](a, `document.querySelector(".conflict-theirs").textContent`); !strings.Contains(got, "Profile B's note") {
		t.Errorf("the server's version shows %q, want B's note", got)
	}
	a.do("keeping the other version", chromedp.Click(chromedp.CSS(".conflict-keep-theirs")))
	a.waitFor("the annotation back in the page", fmt.Sprintf(`document.querySelector(%s) !== null && document.querySelector(".conflict") === null`, js(mark)))
	if s, err := env.api.Annotation(context.Background(), x.ID); err != nil || s.Note != "Profile B's note" {
		t.Errorf("the server holds %+v (%v); want B's version kept", s, err)
	}
}
