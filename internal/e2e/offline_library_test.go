package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestOfflineLibraryListsEveryArticle checks issue 19: offline, the library
// still lists the articles never opened on this device (from the list the
// server sent on the last online visit), greyed and labelled "not on this
// device", beside the article that was opened.
func TestOfflineLibraryListsEveryArticle(t *testing.T) {
	srv := newOwnServer(t)
	opened := srv.article("Opened "+t.Name(), harbourText)
	never := srv.article("Never opened "+t.Name(), "The council denied the harbour would close.\n\nThe mayor proposed a survey.")
	p := newPage(t)
	p.do("opening the reader online", chromedp.Navigate(srv.base+"/articles/"+opened.ID))
	p.waitReader()
	p.waitOfflineReady(opened.ID)
	p.do("opening the library online", chromedp.Navigate(srv.base+"/"))
	p.waitFor("both articles", fmt.Sprintf(`document.querySelector('.article-row[data-id=%q]') && document.querySelector('.article-row[data-id=%q]')`, opened.ID, never.ID))
	p.waitFor("the list kept on this device", `new Promise((resolve) => {
		const open = indexedDB.open(deviceDB());
		open.onerror = () => resolve(false);
		open.onsuccess = () => {
			const db = open.result;
			try {
				const get = db.transaction("library").objectStore("library").getAll();
				get.onsuccess = () => { resolve(get.result.length > 0 && get.result[0].doc.includes(`+js(never.ID)+`)); db.close(); };
				get.onerror = () => { resolve(false); db.close(); };
			} catch (e) { resolve(false); db.close(); }
		};
	})`)

	srv.kill()
	p.do("opening the library offline", chromedp.Navigate(srv.base+"/"))
	row := func(id string) string { return fmt.Sprintf(`document.querySelector('.article-row[data-id=%q]')`, id) }
	p.waitFor("the opened article in the offline library", row(opened.ID)+` !== null`)
	p.waitFor("the article never opened, greyed", row(never.ID)+` !== null && `+row(never.ID)+`.classList.contains("absent")`)
	if got := eval[string](p, row(never.ID)+`.querySelector(".not-here").textContent`); got != "not on this device" {
		t.Errorf("the article never opened says %q, want \"not on this device\"", got)
	}
	if eval[bool](p, row(opened.ID)+`.classList.contains("absent") || !!`+row(opened.ID)+`.querySelector(".not-here")`) {
		t.Error("the opened article is marked as not on this device")
	}
	type colour struct{ Link, Muted string }
	c := eval[colour](p, `({Link: getComputedStyle(`+row(never.ID)+`.querySelector(".article-link")).color,
		Muted: getComputedStyle(document.querySelector(".article-meta")).color})`)
	if c.Link != c.Muted {
		t.Errorf("the article never opened is drawn in %s, not greyed (%s)", c.Link, c.Muted)
	}
}
