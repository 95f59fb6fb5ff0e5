package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// teamsText is the article Alice shares with Bob.
const teamsText = "The port authority claimed that the new quay would open in May.\n\n" +
	"Union leaders denied that any agreement on night shifts had been reached.\n\n" +
	"The mayor proposed a public hearing before the council votes."

// privateMark is in the note of Alice's private annotation only: it must
// never reach Bob, nor stay on the device after Alice signs out.
const privateMark = "PRIVATE-NOTE-7f3a"

// TestTwoUsersShareAnArticle: two browser profiles, two users. Alice
// (invited into the owner's Team as an editor) makes a group, an article in
// it with a group annotation and a private one, and invites Bob as a viewer
// with the link the members page gives. Bob, in his own profile, creates
// his account from the link: he sees Alice's group annotation with her name
// but not her private one, and cannot annotate or edit. Then Alice signs
// out and Bob signs in on Alice's profile: nothing of Alice's remains on
// that device (IndexedDB, localStorage, the service worker's cache).
func TestTwoUsersShareAnArticle(t *testing.T) {
	needServer(t)
	team := teamOf(env.base)
	if team == "" {
		t.Skip("the server runs without accounts")
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	inv, err := env.api.CreateInvite(ctx, team, annotation.Editor, 0)
	if err != nil {
		t.Fatal(err)
	}
	suffix := strings.ToLower(annotation.NewID()[:6])
	alice, bob := "alice-"+suffix, "bob-"+suffix
	const pwA, pwB = "alice's long password", "bob's long password"

	// Alice accepts the owner's invitation in her profile.
	pa := newAnonPage(t)
	pa.do("opening the invitation", chromedp.Navigate(inv.URL))
	pa.createAccount(alice, "Alice Ames", pwA)
	var me client.Me
	pa.fetchInto("GET", "/api/me", nil, &me)
	aliceID := me.User.ID

	// Her group, article and annotations (set up through the API, from her page).
	var desk annotation.Group
	pa.fetchInto("POST", "/api/groups", map[string]string{"name": "Desk " + suffix}, &desk)
	var art annotation.Article
	pa.fetchInto("POST", "/api/articles", map[string]any{"title": "Quay " + suffix, "text": teamsText + "\n\nCopy " + suffix + ".", "groupId": desk.ID}, &art)
	shared := quoteAnnotation(t, &art, annotation.Claim, "the new quay would open in May")
	shared.Speaker, shared.Note = "Port authority", "Checked with the minutes."
	private := quoteAnnotation(t, &art, annotation.Denial, "any agreement on night shifts")
	private.Speaker, private.Note, private.Visibility = "Union leaders", privateMark, annotation.VisibleToSelf
	for _, a := range []*annotation.Annotation{shared, private} {
		pa.fetchInto("PUT", "/api/annotations/"+a.ID, a, nil)
	}

	// Alice reads it (her device keeps both) and invites Bob as a viewer.
	pa.openReader(art.ID)
	pa.waitFor("both annotations in Alice's panel", fmt.Sprintf(`document.querySelectorAll(%s).length === 2`,
		js(`#panel .ann-item[data-annotation-id="`+shared.ID+`"], #panel .ann-item[data-annotation-id="`+private.ID+`"]`)))
	if got := pa.creatorOf(private.ID); got != "by Alice Ames · only me" {
		t.Errorf("Alice's private annotation says %q", got)
	}
	pa.waitFor("the private note on Alice's device", deviceHolds(privateMark))
	pa.do("opening the members page", chromedp.Navigate(env.base+"/groups/"+desk.ID))
	pa.waitFor("the member list", `document.getElementById("member-list") !== null && document.getElementById("invite-create-link") !== null`)
	pa.do("making an invitation link", chromedp.Click(chromedp.ID("invite-create-link")))
	pa.waitFor("the invitation link", `(document.getElementById("invite-url") || {}).value > ""`)
	link := eval[string](pa, `document.getElementById("invite-url").value`)
	if !strings.Contains(link, "/invite/") || !strings.Contains(link, "role=viewer") {
		t.Fatalf("the invitation link is %q", link)
	}

	// Bob, in his own profile, creates his account from the link.
	pb := newAnonPage(t)
	pb.do("opening Alice's invitation", chromedp.Navigate(link))
	pb.createAccount(bob, "Bob Brown", pwB)
	pb.waitFor("Desk's article in Bob's library", fmt.Sprintf(`!!document.querySelector('.article-row[data-id=%s]')`, js(art.ID)))
	if g := eval[string](pb, `(document.getElementById("library-group") || {}).textContent || ""`); !strings.Contains(g, "Desk") || !strings.Contains(g, "viewer") {
		t.Errorf("Bob's library says %q; want Desk, as a viewer", g)
	}
	pb.openReader(art.ID)
	pb.waitFor("Alice's group annotation in Bob's panel", fmt.Sprintf(`!!document.querySelector(%s)`, js(`#panel .ann-item[data-annotation-id="`+shared.ID+`"]`)))
	if got := pb.creatorOf(shared.ID); got != "by Alice Ames" {
		t.Errorf("the annotator line of Alice's annotation reads %q for Bob, want %q", got, "by Alice Ames")
	}
	if eval[bool](pb, fmt.Sprintf(`!!document.querySelector(%s) || document.body.innerText.includes(%s)`,
		js(`[data-annotation-id="`+private.ID+`"]`), js(privateMark))) {
		t.Error("Bob sees Alice's private annotation")
	}
	if a := pb.fetch("GET", "/api/annotations/"+private.ID, nil); a.Status != 404 {
		t.Errorf("Bob's GET of Alice's private annotation = %d, want 404", a.Status)
	}
	if note := eval[string](pb, `(document.getElementById("readonly-note") || {}).textContent || ""`); !strings.Contains(note, "viewer") {
		t.Errorf("the reader does not tell Bob he is a viewer: %q", note)
	}
	// He cannot edit: the entry opens no editor, keys make no annotation, the server refuses.
	pb.do("choosing Alice's annotation", chromedp.Click(chromedp.CSS(`#panel .ann-item[data-annotation-id="`+shared.ID+`"]`)))
	pb.waitFor("the entry selected", fmt.Sprintf(`document.querySelector(%s).getAttribute("aria-current") === "true"`,
		js(`#panel .ann-item[data-annotation-id="`+shared.ID+`"]`)))
	if eval[bool](pb, `!!document.getElementById("editor")`) {
		t.Error("a viewer gets the editor")
	}
	pb.selectWords("mayor proposed")
	pb.waitFor("the line that says why the selection cannot be marked", `((document.getElementById("seltool-readonly") || {}).textContent || "").includes("viewer")`)
	if eval[bool](pb, `!!document.getElementById("seltool")`) {
		t.Error("a viewer gets the selection toolbar")
	}
	pb.key("d")
	if n := eval[int](pb, `document.querySelectorAll("#panel .ann-item").length`); n != 1 {
		t.Errorf("Bob's panel has %d entries after he pressed d, want Alice's one", n)
	}
	edited := *shared
	edited.Note = "Bob was here"
	if a := pb.fetch("PUT", "/api/annotations/"+shared.ID, &edited); a.Status != 403 {
		t.Errorf("Bob's PUT = %d %s, want 403", a.Status, a.Body)
	}

	// Alice signs out; Bob signs in on her profile.
	pa.openLibrary()
	pa.waitFor("the account menu", `!!document.getElementById("account-button")`)
	pa.do("opening the account menu", chromedp.Click(chromedp.ID("account-button")))
	pa.waitFor("the menu", `!!document.getElementById("menu-signout")`)
	pa.do("signing out", chromedp.Click(chromedp.ID("menu-signout")))
	pa.waitFor("the sign-in page", `location.pathname === "/signin" && !!document.getElementById("signin-form")`)
	pa.do("typing Bob's name", chromedp.SendKeys(chromedp.ID("signin-username"), bob))
	pa.do("typing Bob's password", chromedp.SendKeys(chromedp.ID("signin-password"), pwB))
	pa.do("signing in", chromedp.Click(chromedp.ID("signin-submit")))
	pa.waitFor("Bob signed in on Alice's profile", `location.pathname === "/" && (document.getElementById("account-button") || {}).textContent === "Bob Brown"`)
	pa.waitFor("Bob's library", fmt.Sprintf(`!!document.querySelector('.article-row[data-id=%s]')`, js(art.ID)))

	names := await[[]string](pa, `indexedDB.databases().then(l => l.map(d => d.name))`)
	for _, n := range names {
		if strings.Contains(n, aliceID) {
			t.Errorf("Alice's database %q is still on the device", n)
		}
	}
	keys := eval[[]string](pa, `Object.keys(localStorage).map(k => k + "=" + localStorage.getItem(k))`)
	for _, k := range keys {
		if strings.Contains(k, aliceID) || strings.Contains(k, alice) {
			t.Errorf("localStorage still holds Alice's %q", k)
		}
	}
	if await[bool](pa, deviceHolds(privateMark)) {
		t.Error("Alice's private note is still somewhere on the device (IndexedDB or the service worker's cache)")
	}
	var again client.Me
	pa.fetchInto("GET", "/api/me", nil, &again)
	if again.User.Username != bob {
		t.Errorf("Alice's profile is signed in as %q, want %q", again.User.Username, bob)
	}
}

// createAccount fills the invitation page's form and waits until the app
// shows the library, signed in as the new user.
func (p *page) createAccount(username, display, password string) {
	p.tb.Helper()
	p.waitFor("the invitation form, live", `!!document.getElementById("invite-form") && !!document.getElementById("invite-create") && !document.getElementById("invite-create").disabled`)
	p.do("typing the username", chromedp.SendKeys(chromedp.ID("invite-username"), username))
	p.do("typing the display name", chromedp.SendKeys(chromedp.ID("invite-display"), display))
	p.do("typing the password", chromedp.SendKeys(chromedp.ID("invite-password"), password))
	p.do("creating the account", chromedp.Click(chromedp.ID("invite-create")))
	p.waitFor("the library, signed in as "+display, fmt.Sprintf(`location.pathname === "/" && (document.getElementById("account-button") || {}).textContent === %s && !!document.querySelector(".articles, .empty")`, js(display)))
}

// creatorOf returns the annotator line of annotation id's panel entry.
func (p *page) creatorOf(id string) string {
	p.tb.Helper()
	return eval[string](p, fmt.Sprintf(`(document.querySelector(%s) || {}).textContent || ""`,
		js(`#panel .ann-item[data-annotation-id="`+id+`"] .ann-creator`)))
}

// deviceHolds returns a JavaScript promise of whether text appears in any
// record of any IndexedDB database of the origin, any localStorage value,
// or any answer kept in the Cache API.
func deviceHolds(text string) string {
	return fmt.Sprintf(`(async (needle) => {
		for (const d of await indexedDB.databases()) {
			const db = await new Promise((ok, fail) => { const r = indexedDB.open(d.name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
			try {
				for (const name of Array.from(db.objectStoreNames)) {
					const all = await new Promise((ok, fail) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
					if (JSON.stringify(all).includes(needle)) return true;
				}
			} finally { db.close(); }
		}
		for (const k of Object.keys(localStorage)) if ((localStorage.getItem(k) || "").includes(needle)) return true;
		for (const name of await caches.keys()) {
			const c = await caches.open(name);
			for (const req of await c.keys()) {
				const res = await c.match(req);
				if (res && (await res.text()).includes(needle)) return true;
			}
		}
		return false;
	})(%s)`, js(text))
}

// selectWords selects the first occurrence of phrase in the article, as a
// drag would, without waiting for the toolbar.
func (p *page) selectWords(phrase string) {
	p.tb.Helper()
	ok := eval[bool](p, fmt.Sprintf(`(() => {
		for (const para of document.querySelectorAll("#article-text p[data-para]")) {
			const w = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
			let n;
			while ((n = w.nextNode())) {
				const at = n.data.indexOf(%[1]s);
				if (at < 0) continue;
				const r = document.createRange();
				r.setStart(n, at);
				r.setEnd(n, at + %[1]s.length);
				const s = getSelection();
				s.removeAllRanges();
				s.addRange(r);
				return true;
			}
		}
		return false;
	})()`, js(phrase)))
	if !ok {
		p.tb.Fatalf("the article shows no %q in one text node", phrase)
	}
}

// TestDeviceBeforeAccountsTakenOver: a browser that used claimmark before
// accounts keeps a change queued in its device database ("claimmark").
// The first user who signs in on it takes it over: the change reaches the
// server under that user, and the old database is deleted.
func TestDeviceBeforeAccountsTakenOver(t *testing.T) {
	needServer(t)
	team := teamOf(env.base)
	if team == "" {
		t.Skip("the server runs without accounts")
	}
	art := createArticle(t, "Queued before accounts "+t.Name(), teamsText+"\n\nThis copy is for "+t.Name()+".")
	queued := quoteAnnotation(t, art, annotation.Proposal, "a public hearing before the council votes")
	queued.Speaker = "The mayor"
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	inv, err := env.api.CreateInvite(ctx, team, annotation.Editor, 0)
	if err != nil {
		t.Fatal(err)
	}

	p := newAnonPage(t)
	p.do("opening the invitation", chromedp.Navigate(inv.URL))
	p.waitFor("the invitation form, live", `!!document.getElementById("invite-form") && !!document.getElementById("invite-create") && !document.getElementById("invite-create").disabled`)
	op, _ := json.Marshal(map[string]any{"key": "0000000000001-oldtab-00000001", "kind": "put", "id": queued.ID, "articleId": art.ID, "ann": queued, "gen": 0, "tab": "oldtab"})
	rec, _ := json.Marshal(map[string]any{"key": "0000000000001-oldtab-00000001", "gen": 0, "doc": string(op)})
	p.waitFor("the queue of before accounts in IndexedDB", fmt.Sprintf(`new Promise((resolve) => {
		const open = indexedDB.open("claimmark", 2);
		open.onupgradeneeded = () => {
			const db = open.result;
			db.createObjectStore("outbox", {keyPath: "key"});
			db.createObjectStore("conflicts", {keyPath: "id"});
			db.createObjectStore("articles", {keyPath: "id"});
			db.createObjectStore("annotations", {keyPath: "id"}).createIndex("byArticle", "articleId");
			db.createObjectStore("library", {keyPath: "key"});
		};
		open.onerror = () => resolve(false);
		open.onsuccess = () => {
			const db = open.result;
			const tx = db.transaction("outbox", "readwrite");
			tx.objectStore("outbox").put(%s);
			tx.oncomplete = () => { db.close(); resolve(true); };
			tx.onerror = () => { db.close(); resolve(false); };
		};
	})`, rec))
	user := "carol-" + strings.ToLower(annotation.NewID()[:6])
	p.createAccount(user, "Carol Cruz", "carol's long password")
	p.waitFor("the old database gone", `indexedDB.databases().then(l => !l.some(d => d.name === "claimmark"))`)
	p.waitFor("all changes saved", `document.getElementById("sync-state").textContent === "All changes saved"`)
	got, err := env.api.Annotation(ctx, queued.ID)
	if err != nil {
		t.Fatalf("the change queued before accounts did not reach the server: %v", err)
	}
	if got.CreatorName != "Carol Cruz" || got.Speaker != "The mayor" {
		t.Errorf("the server holds %+v; want the queued proposal, by Carol Cruz", got)
	}
}

// TestSessionEndsWhileChangesWait: the server ends Dana's sessions while
// she annotates. The change is refused with 401: the outbox keeps it and
// the top bar asks her to sign in again; signing in as Dana sends it.
// Signing out with a change waiting warns first.
func TestSessionEndsWhileChangesWait(t *testing.T) {
	needServer(t)
	team := teamOf(env.base)
	if team == "" {
		t.Skip("the server runs without accounts")
	}
	art := createArticle(t, "Session ends "+t.Name(), teamsText+"\n\nThis copy is for "+t.Name()+".")
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	inv, err := env.api.CreateInvite(ctx, team, annotation.Editor, 0)
	if err != nil {
		t.Fatal(err)
	}
	p := newAnonPage(t)
	p.do("opening the invitation", chromedp.Navigate(inv.URL))
	user, pw := "dana-"+strings.ToLower(annotation.NewID()[:6]), "dana's long password"
	p.createAccount(user, "Dana Diaz", pw)
	p.openReader(art.ID)

	// Every session of Dana's ends (as a password change elsewhere would).
	if a := p.fetch("DELETE", "/api/sessions", nil); a.Status != 204 {
		t.Fatalf("DELETE /api/sessions = %d %s", a.Status, a.Body)
	}
	p.dragSelect("mayor proposed", 4, "mayor proposed", 14)
	p.key("p")
	p.waitFor("the top bar asking to sign in again", `document.getElementById("sync-state").textContent === "Your session has ended. Sign in again to send 1 waiting change." && !!document.getElementById("sync-signin")`)
	id := eval[string](p, `document.querySelector("#panel .ann-item").dataset.annotationId`)

	// Signing out now would lose the change: the menu warns.
	p.do("opening the account menu", chromedp.Click(chromedp.ID("account-button")))
	p.waitFor("the menu", `!!document.getElementById("menu-signout")`)
	p.do("asking to sign out", chromedp.Click(chromedp.ID("menu-signout")))
	p.waitFor("the warning", `((document.getElementById("signout-warning") || {}).textContent || "").startsWith("1 change has not reached the server. Signing out deletes them from this device.")`)
	p.do("keeping the change", chromedp.Click(chromedp.ID("signout-cancel")))

	p.do("following the sign-in link", chromedp.Click(chromedp.ID("sync-signin")))
	p.waitFor("the sign-in page saying why", `(document.getElementById("signin-notice") || {}).textContent === "Your session has ended. Sign in again to send 1 waiting change."`)
	if got := eval[string](p, `document.getElementById("signin-username").value`); got != user {
		t.Errorf("the sign-in form offers the username %q, want %q", got, user)
	}
	p.do("typing the password", chromedp.SendKeys(chromedp.ID("signin-password"), pw))
	p.do("signing in", chromedp.Click(chromedp.ID("signin-submit")))
	p.waitFor("the library, signed in again", `location.pathname === "/" && (document.getElementById("account-button") || {}).textContent === "Dana Diaz"`)
	p.waitFor("all changes saved", `document.getElementById("sync-state").textContent === "All changes saved"`)
	got, err := env.api.Annotation(ctx, id)
	if err != nil {
		t.Fatalf("the waiting change did not reach the server after signing in again: %v", err)
	}
	if got.Kind != annotation.Proposal || got.CreatorName != "Dana Diaz" {
		t.Errorf("the server holds %+v; want Dana's proposal", got)
	}
}
