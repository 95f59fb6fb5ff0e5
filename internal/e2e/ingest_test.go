package e2e

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// corpusPath is the pasted article of the shared test corpus.
var corpusPath = filepath.Join("..", "..", "..", "shared", "corpus", "ceasefire-talks.txt")

// paste pastes text into the element matching sel as the browser does
// when the clipboard holds plain text: a paste event carrying it.
func (p *page) paste(sel, text string) {
	p.tb.Helper()
	ok := eval[bool](p, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		if (!el) return false;
		el.focus();
		const dt = new DataTransfer();
		dt.setData("text/plain", %s);
		const ev = new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true});
		if (el.dispatchEvent(ev)) { // not taken by the page: insert it as the browser would
			el.value = %s;
			el.dispatchEvent(new Event("input", {bubbles: true}));
		}
		return true;
	})()`, js(sel), js(text), js(text)))
	if !ok {
		p.tb.Fatalf("nothing matches %s to paste into", sel)
	}
}

// openAddSheet opens the library's "Add article" sheet.
func (p *page) openAddSheet() {
	p.tb.Helper()
	p.openLibrary()
	p.do("opening the Add article sheet", chromedp.Click(chromedp.ID("add-article")))
	p.waitFor("the sheet", `document.getElementById("add-text") !== null`)
}

// TestPasteCorpusArticle pastes the corpus article (copied from a web
// page): the preview shows its headline as the title and the text without
// the page furniture, editable; adding it opens the reader. Pasting it
// again says it is already in the library, with a link.
func TestPasteCorpusArticle(t *testing.T) {
	raw, err := os.ReadFile(corpusPath)
	if err != nil {
		t.Skipf("the corpus article is not available: %v", err)
	}
	p := newPage(t)
	p.openAddSheet()
	p.paste("#add-text", string(raw))
	p.waitFor("the cleaned preview", `document.getElementById("add-title").value !== "" && !document.getElementById("add-clean").disabled`)
	title := eval[string](p, `document.getElementById("add-title").value`)
	text := eval[string](p, `document.getElementById("add-text").value`)
	if title != "Trump Pushes for Zelensky-Putin Talk" {
		t.Errorf("the preview's title is %q", title)
	}
	if strings.Contains(text, "Back to top") {
		t.Error("the previewed text still has the “Back to top” line")
	}
	if !strings.Contains(text, "Kremlin aide Yuri Ushakov told reporters") {
		t.Errorf("the previewed text lost the article's body:\n%s", text)
	}
	if strings.HasPrefix(text, "Trump Pushes") {
		t.Error("the headline is left at the top of the text")
	}
	removed := eval[string](p, `(document.querySelector("#add-removed ul") || {}).textContent || ""`)
	if !strings.Contains(removed, "Back to top") {
		t.Errorf("the lines left out (%q) do not list “Back to top”", removed)
	}
	if open := eval[bool](p, `document.getElementById("add-removed").open`); open {
		t.Error("the list of lines left out is not collapsed")
	}
	if src := eval[string](p, `document.getElementById("add-source").value`); !strings.Contains(src, "Samir") {
		t.Errorf("the byline was not taken as the source: %q", src)
	}

	// Edit the title before saving: the edit is what gets stored.
	p.do("editing the title", chromedp.SetValue(chromedp.ID("add-title"), "Trump Pushes for Zelensky-Putin Talk (edited)"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("add-title").dispatchEvent(new Event("input", {bubbles: true}))`))
	p.do("adding the article", chromedp.Click(chromedp.ID("add-submit")))
	p.waitFor("the reader", `location.pathname.startsWith("/articles/")`)
	p.waitReader()
	id := strings.TrimPrefix(eval[string](p, `location.pathname`), "/articles/")
	if h := eval[string](p, `document.querySelector(".article-title").textContent`); h != "Trump Pushes for Zelensky-Putin Talk (edited)" {
		t.Errorf("the reader's title is %q", h)
	}
	if body := eval[string](p, `document.getElementById("article-text").textContent`); strings.Contains(body, "Back to top") || !strings.Contains(body, "Yuri Ushakov") {
		t.Error("the reader does not show the cleaned text")
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	stored, err := env.api.Article(ctx, id)
	if err != nil || stored.Text != text || !strings.Contains(stored.Source, "Samir") {
		t.Errorf("stored article: %v; text equal to the preview: %v", err, stored != nil && stored.Text == text)
	}

	// The same paste again.
	p.openAddSheet()
	p.paste("#add-text", string(raw))
	p.waitFor("the duplicate notice", `document.getElementById("add-dup") !== null`)
	msg := eval[string](p, `document.getElementById("add-dup").textContent`)
	if !strings.Contains(msg, "This article is already in your library") {
		t.Errorf("a duplicate paste says %q", msg)
	}
	if href := eval[string](p, `(document.querySelector("#add-dup a") || {}).pathname || ""`); href != "/articles/"+id {
		t.Errorf("the notice links to %q, want /articles/%s", href, id)
	}
	p.do("following the link", chromedp.Click(chromedp.CSS("#add-dup a")))
	p.waitFor("the stored article", fmt.Sprintf(`location.pathname === %s`, js("/articles/"+id)))
}

// TestAddByURLRefused asks for a page on a loopback address, which the
// server (without -allow-private-fetch) refuses: the sheet says so in the
// server's words and stays open.
func TestAddByURLRefused(t *testing.T) {
	needServer(t)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Local</title></head><body><article><h1>Local page</h1><p>Nothing to see.</p></article></body></html>`)
	}))
	defer site.Close()
	p := newPage(t)
	p.openAddSheet()
	p.do("choosing the URL tab", chromedp.Click(chromedp.ID("tab-url")))
	p.waitFor("the URL field", `document.getElementById("add-fetch-url") !== null`)
	p.do("typing the address", chromedp.SendKeys(chromedp.ID("add-fetch-url"), site.URL+"/story"))
	p.do("fetching", chromedp.Click(chromedp.ID("add-fetch")))
	p.waitFor("the refusal", `document.getElementById("add-error") !== null`)
	msg := eval[string](p, `document.getElementById("add-error").textContent`)
	if !strings.HasPrefix(msg, "Could not fetch the article. ") || len(msg) < 50 {
		t.Errorf("the refusal reads %q", msg)
	}
	if strings.Contains(msg, "unreachable") {
		t.Errorf("the refusal blames the server: %q", msg)
	}
	if eval[string](p, `location.pathname`) != "/" {
		t.Error("the sheet left the library after a refusal")
	}
}

// Texts of TestReanchoredReader: the claim about jobs is reworded (needs
// review), the spokesman's paragraph is deleted (orphaned), a paragraph
// is inserted above everything (the last sentence moves, anchored).
const (
	reOld = "The council met on Monday to discuss the harbour plan and the budget for next year.\n\n" +
		"The mayor claimed that the harbour expansion would create two thousand jobs within five years.\n\n" +
		"Opposition leader Ana Ruiz denied that the council had ever seen the full costings of the plan.\n\n" +
		"A spokesman proposed an independent review of the figures before any vote is taken.\n\n" +
		"The meeting ended without a decision."
	reQuoteMoved  = "The meeting ended without a decision"
	reQuoteReview = "the harbour expansion would create two thousand jobs within five years"
	reNewReview   = "the harbour expansion would create two thousand permanent jobs within the next five years"
	reQuoteGone   = "A spokesman proposed an independent review of the figures before any vote is taken."
)

// TestReanchoredReader changes an annotated article's text through the
// API and checks that the reader shows each annotation honestly: the
// moved one at its new place, the reworded one with a confirm control
// (confirming it anchors it on the server), the deleted one in the list
// of those not found, and the notice that the article was updated.
func TestReanchoredReader(t *testing.T) {
	needServer(t)
	art := createArticle(t, "Harbour vote delayed (re-anchoring)", reOld)
	ctx, cancel := context.WithTimeout(context.Background(), 2*waitTimeout)
	defer cancel()
	put := func(kind annotation.Kind, exact, speaker string) *annotation.Annotation {
		t.Helper()
		i := strings.Index(art.Text, exact)
		start := annotation.RuneLen(art.Text[:i])
		a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: kind, Speaker: speaker,
			Target: annotation.Target{Quote: annotation.Quote{Exact: exact},
				Position: annotation.Position{Start: start, End: start + annotation.RuneLen(exact)}}}
		if err := env.api.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatalf("storing the annotation on %q: %v", exact, err)
		}
		return a
	}
	moved := put(annotation.Claim, reQuoteMoved, "The council")
	review := put(annotation.Claim, reQuoteReview, "The mayor")
	gone := put(annotation.Proposal, reQuoteGone, "A spokesman")

	art.Text = "Added first paragraph about something else entirely.\n\n" +
		strings.Replace(strings.Replace(reOld, reQuoteReview, reNewReview, 1), reQuoteGone+"\n\n", "", 1)
	if err := env.api.UpdateArticle(ctx, art); err != nil {
		t.Fatalf("PUT the new text: %v", err)
	}
	st := stored(t, art.ID)
	if a := st[moved.ID]; a.Anchoring != nil || a.Target.Position == moved.Target.Position || a.Target.Quote.Exact != reQuoteMoved {
		t.Fatalf("the server did not move the first annotation: %+v %+v", a.Target, a.Anchoring)
	}
	if a := st[review.ID]; a.Anchoring == nil || a.Anchoring.Status != annotation.NeedsReview || a.Anchoring.Candidate == nil {
		t.Fatalf("the reworded claim is not awaiting review on the server: %+v", a.Anchoring)
	}
	if a := st[gone.ID]; a.Anchoring == nil || a.Anchoring.Status != annotation.Orphaned {
		t.Fatalf("the deleted proposal is not orphaned on the server: %+v", a.Anchoring)
	}
	candidate := *st[review.ID].Anchoring.Candidate

	p := newPage(t)
	p.openReader(art.ID)
	p.waitFor("the review list", `document.getElementById("review-list") !== null`)

	// The moved claim is drawn on its quote.
	shown := p.shown()
	if s := shown[moved.ID]; s.Text != reQuoteMoved {
		t.Errorf("the moved claim is drawn on %q, want %q", s.Text, reQuoteMoved)
	}
	// The reworded one: drawn at the candidate with the review mark, and a
	// card showing the candidate text.
	if s := shown[review.ID]; s.Text != reNewReview {
		t.Errorf("the claim to review is drawn on %q, want the candidate %q", s.Text, reNewReview)
	}
	card := fmt.Sprintf(`#review-list .review-card[data-annotation-id=%q]`, review.ID)
	if got := eval[string](p, fmt.Sprintf(`(document.querySelector('%s .review-candidate') || {}).textContent || ""`, card)); got != reNewReview {
		t.Errorf("the review card proposes %q", got)
	}
	if got := eval[string](p, fmt.Sprintf(`(document.querySelector('%s .review-score') || {}).textContent || ""`, card)); !strings.Contains(got, "% match") {
		t.Errorf("the review card shows no score: %q", got)
	}
	if n := eval[int](p, fmt.Sprintf(`document.querySelectorAll('#article-text mark[data-annotation-id=%q][data-review]').length`, review.ID)); n == 0 {
		t.Error("the candidate is not drawn with the review mark")
	}
	// The deleted one: in the list of those not found, with its context.
	lost := eval[string](p, `(document.querySelector(".ann-lost") || {}).textContent || ""`)
	if !strings.Contains(lost, "Not found in the current text (1)") || !strings.Contains(lost, reQuoteGone) {
		t.Errorf("the list of annotations not found reads %q", lost)
	}
	if _, drawn := shown[gone.ID]; drawn {
		t.Error("the orphan is drawn in the text")
	}
	// The notice, with the text version once the versions are in.
	p.waitFor("the notice with the version", `(document.getElementById("updated-since") || {}).textContent && document.getElementById("updated-since").textContent.includes("version 2")`)
	if got := eval[string](p, `document.getElementById("updated-since").textContent`); !strings.HasPrefix(got, "Updated since you annotated it") {
		t.Errorf("the notice reads %q", got)
	}

	// Confirm the candidate.
	p.do("confirming", chromedp.Click(chromedp.CSS(card+" .review-confirm")))
	p.waitFor("the review list to go", `document.getElementById("review-list") === null`)
	p.waitSaved()
	a := stored(t, art.ID)[review.ID]
	if a.Anchoring != nil {
		t.Errorf("after confirming, the server still has anchoring %+v", a.Anchoring)
	}
	if a.Target.Position != candidate || a.Target.Quote.Exact != reNewReview || a.Target.TextHash != art.TextHash {
		t.Errorf("after confirming, the server has target %+v; want the candidate %+v quoting %q", a.Target, candidate, reNewReview)
	}
	if n := eval[int](p, fmt.Sprintf(`document.querySelectorAll('#article-text mark[data-annotation-id=%q][data-review]').length`, review.ID)); n != 0 {
		t.Error("the confirmed claim still has the review mark")
	}
	if s := p.shown()[review.ID]; s.Text != reNewReview {
		t.Errorf("the confirmed claim is drawn on %q", s.Text)
	}

	// After a reload the orphan is still listed, the notice still shows.
	p.openReader(art.ID)
	p.waitFor("the list of annotations not found", `document.querySelector(".ann-lost") !== null`)
	if n := eval[int](p, `document.querySelectorAll("#review-list").length`); n != 0 {
		t.Error("the review list is back after reloading")
	}
	if !eval[bool](p, `document.getElementById("updated-since") !== null`) {
		t.Error("the notice is gone although an annotation is still orphaned")
	}
}

// TestReanchoredReject changes an annotated article's text through the
// API so that its claim needs review, then presses Reject on the card:
// the server keeps the claim as an orphan on the target it was made on,
// and the reader lists it among the annotations not found, also after a
// reload.
func TestReanchoredReject(t *testing.T) {
	needServer(t)
	art := createArticle(t, "Harbour vote delayed (rejecting)", reOld)
	ctx, cancel := context.WithTimeout(context.Background(), 2*waitTimeout)
	defer cancel()
	i := strings.Index(art.Text, reQuoteReview)
	start := annotation.RuneLen(art.Text[:i])
	review := &annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Claim, Speaker: "The mayor",
		Target: annotation.Target{Quote: annotation.Quote{Exact: reQuoteReview},
			Position: annotation.Position{Start: start, End: start + annotation.RuneLen(reQuoteReview)}}}
	if err := env.api.PutAnnotation(ctx, review, ""); err != nil {
		t.Fatalf("storing the annotation: %v", err)
	}
	art.Text = strings.Replace(reOld, reQuoteReview, reNewReview, 1)
	if err := env.api.UpdateArticle(ctx, art); err != nil {
		t.Fatalf("PUT the new text: %v", err)
	}
	before := stored(t, art.ID)[review.ID]
	if before.Anchoring == nil || before.Anchoring.Status != annotation.NeedsReview {
		t.Fatalf("the reworded claim is not awaiting review on the server: %+v", before.Anchoring)
	}

	p := newPage(t)
	p.openReader(art.ID)
	card := fmt.Sprintf(`#review-list .review-card[data-annotation-id=%q]`, review.ID)
	p.waitFor("the review card", fmt.Sprintf(`document.querySelector('%s') !== null`, card))
	if n := p.namedButtons(card, "Reject the new place of this claim"); n != 1 {
		t.Errorf("the card has %d buttons named “Reject the new place of this claim”", n)
	}
	p.do("rejecting", chromedp.Click(chromedp.CSS(card+" .review-reject")))
	p.waitFor("the review list to go", `document.getElementById("review-list") === null`)
	p.waitSaved()

	a := stored(t, art.ID)[review.ID]
	if a.Anchoring == nil || a.Anchoring.Status != annotation.Orphaned {
		t.Errorf("after rejecting, the server has anchoring %+v, want orphaned", a.Anchoring)
	}
	if a.Target != before.Target {
		t.Errorf("after rejecting, the server has target %+v, want the one it was made on %+v", a.Target, before.Target)
	}
	lostList := func() {
		t.Helper()
		lost := eval[string](p, `(document.querySelector(".ann-lost") || {}).textContent || ""`)
		if !strings.Contains(lost, "Not found in the current text (1)") || !strings.Contains(lost, reQuoteReview) {
			t.Errorf("the list of annotations not found reads %q", lost)
		}
		if n := eval[int](p, fmt.Sprintf(`document.querySelectorAll('#article-text mark[data-annotation-id=%q]').length`, review.ID)); n != 0 {
			t.Error("the rejected claim is still drawn in the text")
		}
	}
	lostList()

	// After a reload it is still an orphan, not to review again.
	p.openReader(art.ID)
	p.waitFor("the list of annotations not found", `document.querySelector(".ann-lost") !== null`)
	if n := eval[int](p, `document.querySelectorAll("#review-list").length`); n != 0 {
		t.Error("the review list is back after reloading")
	}
	lostList()
}

// startFetchingServer runs a server of its own that may fetch from
// loopback addresses (-allow-private-fetch), stopped when the test ends,
// and returns its base URL.
func startFetchingServer(t *testing.T) string {
	t.Helper()
	needServer(t)
	cmd := exec.Command(env.bin, "serve", "-addr", "127.0.0.1:0", "-allow-private-fetch",
		"-data", filepath.Join(t.TempDir(), "data"), "-root", env.root)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	cmd.Stdout = log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	p := &serverProc{cmd: cmd, done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			log.Write([]byte(sc.Text() + "\n"))
			if u, ok := strings.CutPrefix(sc.Text(), "claimmark listening on "); ok {
				select {
				case found <- strings.TrimSpace(u):
				default:
				}
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		stopProcess(p)
		if t.Failed() {
			t.Logf("fetching server output (last 4 KB):\n%s", tail(log.String(), 4096))
		}
	})
	select {
	case u := <-found:
		if o, err := signInOwner(u, log.String()); err != nil { // accounts_helpers_test.go
			t.Fatalf("signing in as the owner: %v", err)
		} else if o != nil {
			ownServerOf(t, u)
		}
		return u
	case err := <-p.done:
		t.Fatalf("the fetching server exited before listening: %v", err)
	case <-time.After(90 * time.Second):
		t.Fatal("the fetching server did not start within 90 s")
	}
	return ""
}

// storyPage is a news page whose paragraphs a test may change.
type storyPage struct {
	mu    sync.Mutex
	paras []string
}

func (s *storyPage) set(paras ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paras = paras
}

func (s *storyPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<!doctype html><html><head><title>Harbour vote delayed | Example News</title>
<meta property="og:title" content="Harbour vote delayed"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><main><article><h1>Harbour vote delayed</h1>
<p class="byline">By Ana Ruiz</p>`)
	for _, p := range s.paras {
		fmt.Fprintf(w, "<p>%s</p>\n", html.EscapeString(p))
	}
	fmt.Fprint(w, `</article></main><footer>© Example News · <a href="/about">About</a></footer></body></html>`)
}

// TestAddByURLAndRefresh adds an article by its address, then, after the
// page changed, refreshes it from the source: the reader says how the
// annotations fared and shows the new text with the annotation in place;
// the server keeps the earlier text as version 1.
func TestAddByURLAndRefresh(t *testing.T) {
	base := startFetchingServer(t)
	story := &storyPage{}
	paras := []string{
		"The city council postponed its vote on the harbour expansion on Monday, citing new information about the costs of the plan and the time needed to study it.",
		"Opposition members denied that they had asked for the delay, and called for a public hearing before any decision is taken on the future of the port.",
		"The mayor said the council would meet again in June to decide, once independent experts have reviewed the figures presented by the port authority.",
	}
	story.set(paras...)
	site := httptest.NewServer(story)
	defer site.Close()

	p := newPage(t)
	p.do("opening the library", chromedp.Navigate(base+"/"))
	p.waitFor("the library list", `document.querySelector(".articles, .empty") !== null`)
	p.do("opening the Add article sheet", chromedp.Click(chromedp.ID("add-article")))
	p.do("choosing the URL tab", chromedp.Click(chromedp.ID("tab-url")))
	p.waitFor("the URL field", `document.getElementById("add-fetch-url") !== null`)
	p.do("typing the address", chromedp.SendKeys(chromedp.ID("add-fetch-url"), site.URL+"/harbour"))
	p.do("fetching", chromedp.Click(chromedp.ID("add-fetch")))
	p.waitFor("the reader", `location.pathname.startsWith("/articles/")`)
	p.waitReader()
	id := strings.TrimPrefix(eval[string](p, `location.pathname`), "/articles/")
	if h := eval[string](p, `document.querySelector(".article-title").textContent`); h != "Harbour vote delayed" {
		t.Errorf("the fetched article's title is %q", h)
	}
	if body := eval[string](p, `document.getElementById("article-text").textContent`); !strings.Contains(body, "Opposition members denied") || strings.Contains(body, "About") {
		t.Errorf("the fetched text is %q", body)
	}

	api := apiFor(base)
	ctx, cancel := context.WithTimeout(context.Background(), 2*waitTimeout)
	defer cancel()
	art, err := api.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	const quote = "Opposition members denied that they had asked for the delay"
	i := strings.Index(art.Text, quote)
	start := annotation.RuneLen(art.Text[:i])
	a := &annotation.Annotation{ID: annotation.NewID(), ArticleID: id, Kind: annotation.Denial, Speaker: "Opposition",
		Target: annotation.Target{Quote: annotation.Quote{Exact: quote}, Position: annotation.Position{Start: start, End: start + annotation.RuneLen(quote)}}}
	if err := api.PutAnnotation(ctx, a, ""); err != nil {
		t.Fatal(err)
	}

	// Unchanged source.
	p.openReaderAt(base, id)
	p.do("refreshing", chromedp.Click(chromedp.ID("refresh-article")))
	p.waitFor("the answer", `document.getElementById("refresh-result") !== null`)
	if got := eval[string](p, `document.getElementById("refresh-result").textContent`); !strings.Contains(got, "not changed") {
		t.Errorf("refreshing an unchanged page says %q", got)
	}

	// The page gains a paragraph above.
	story.set(append([]string{"Update: the port authority has published its figures since this article first appeared, and the council has received them."}, paras...)...)
	p.do("refreshing again", chromedp.Click(chromedp.ID("refresh-article")))
	p.waitFor("the new text", `document.getElementById("article-text").textContent.includes("Update: the port authority")`)
	if got := eval[string](p, `document.getElementById("refresh-result").textContent`); got != "Updated from the source. 1 annotation in place." {
		t.Errorf("refreshing a changed page says %q", got)
	}
	p.waitFor("the highlight", fmt.Sprintf(`document.querySelector('#article-text mark[data-annotation-id=%q]') !== null`, a.ID))
	if s := p.shown()[a.ID]; s.Text != quote {
		t.Errorf("after the refresh the denial is drawn on %q", s.Text)
	}
	vs, err := api.Versions(ctx, id)
	if err != nil || len(vs) != 2 {
		t.Errorf("versions after the refresh: %+v, %v", vs, err)
	}
}

// openReaderAt loads the reader of article id from the server at base.
func (p *page) openReaderAt(base, id string) {
	p.tb.Helper()
	p.do("opening the reader", chromedp.Navigate(base+"/articles/"+id))
	p.waitReader()
}
