package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// rejectedKeys returns the keys of the suggestions the owner rejected on
// article id, as the server holds them.
func rejectedKeys(tb testing.TB, id string) []string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	r, err := env.api.Rejections(ctx, id)
	if err != nil {
		tb.Fatalf("GET the rejections of %s: %v", id, err)
	}
	return r.Keys
}

// rejectedSynced is the condition that the reader has taken the server's
// rejected suggestions n times since the page loaded.
func rejectedSynced(n int) string {
	return fmt.Sprintf(`!!window.__claimmark && (window.__claimmark.rejectedSynced || 0) >= %d`, n)
}

// TestRejectionsFollowTheUser checks that a rejected suggestion is the
// person's, not the device's: rejected in one browser (the Reject button
// of its panel entry), it stays hidden when the same user opens the
// article in a second browser that never saw it; brought back there
// ("Bring back 1 rejected"), it is offered again in the first browser
// after a reload, although that browser's own copy still had it hidden.
func TestRejectionsFollowTheUser(t *testing.T) {
	checkSuggestFixture(t)
	art := createArticle(t, "Port strike "+t.Name(), suggestText+"\n\nFile "+annotation.NewID()+".") // a text of its own on the shared server
	const rejected = "an independent review"

	laptop := newPage(t)
	laptop.openReader(art.ID)
	laptop.key("s")
	laptop.waitFor("eight suggestions", `document.querySelectorAll("#sug-list .sug-item").length === 8`)
	laptop.waitFor("the server's rejections taken", rejectedSynced(1))
	const entry = `#sug-list .sug-item:nth-child(4)`
	if got := eval[string](laptop, `document.querySelector("`+entry+` .ann-quote").textContent`); !strings.HasPrefix(got, rejected) {
		t.Fatalf("the fourth suggestion reads %q; want the proposal %q", got, rejected)
	}
	laptop.do("clicking Reject on the proposal", chromedp.Click(chromedp.CSS(entry+" .sug-reject")))
	laptop.waitFor("the rejected suggestion gone", "!"+suggestionShown(rejected)+
		` && document.querySelectorAll("#sug-list .sug-item").length === 7`)
	laptop.waitFor("the rejection sent", `document.getElementById("sync-state").textContent === "All changes saved"`)
	keys := rejectedKeys(t, art.ID)
	if len(keys) != 1 {
		t.Fatalf("the server holds the rejections %q; want the one just made", keys)
	}

	// A second browser, the same user: hidden there too.
	phone := newPage(t)
	phone.openReader(art.ID)
	phone.key("s")
	phone.waitFor("the server's rejections taken", rejectedSynced(1))
	phone.waitFor("seven suggestions, the rejected one hidden", "!"+suggestionShown(rejected)+
		` && document.querySelectorAll("#sug-list .sug-item").length === 7`)
	if got := eval[string](phone, `document.getElementById("sug-restore").textContent`); got != "Bring back 1 rejected" {
		t.Errorf("the restore button reads %q; want \"Bring back 1 rejected\"", got)
	}

	// Brought back on the second browser: gone from the server.
	phone.do("clicking Bring back", chromedp.Click(chromedp.CSS("#sug-restore")))
	phone.waitFor("the suggestion back", suggestionShown(rejected)+
		` && document.querySelectorAll("#sug-list .sug-item").length === 8 && !document.getElementById("sug-restore")`)
	phone.waitFor("the change sent", `document.getElementById("sync-state").textContent === "All changes saved"`)
	if keys := rejectedKeys(t, art.ID); len(keys) != 0 {
		t.Errorf("after bringing it back the server holds %q; want none", keys)
	}

	// The first browser still has it hidden in its own copy; a reload
	// takes the server's set.
	copyOf := fmt.Sprintf(`Object.keys(localStorage).filter(k => k.endsWith("/rejections/" + %s)).map(k => localStorage.getItem(k)).join("")`, js(art.ID))
	if got := eval[string](laptop, copyOf); !strings.Contains(got, keys[0]) {
		t.Fatalf("the first browser's copy of its rejections is %q; want it to hold %s still", got, keys[0])
	}
	laptop.openReader(art.ID)
	laptop.key("s")
	laptop.waitFor("the server's rejections taken", rejectedSynced(1))
	laptop.waitFor("the suggestion offered again", suggestionShown(rejected)+
		` && document.querySelectorAll("#sug-list .sug-item").length === 8`)
	if got := eval[string](laptop, copyOf); got != "[]" {
		t.Errorf("the first browser's copy of its rejections is %q after the reload; want []", got)
	}
}
