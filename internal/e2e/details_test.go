package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// insertText focuses the field id and types text into it as one input
// (what a paste or an input method does).
func (p *page) insertText(id, text string) {
	p.tb.Helper()
	p.do("focusing "+id, chromedp.Focus(chromedp.ID(id)))
	eval[bool](p, fmt.Sprintf(`document.execCommand("insertText", false, %s)`, js(text)))
}

// typeDate types the date (YYYY-MM-DD) into the date field id with the
// keyboard, in the order of the browser's locale, and checks its value.
func (p *page) typeDate(id, day string) {
	p.tb.Helper()
	y, m, d := day[0:4], day[5:7], day[8:10]
	order := eval[string](p, `new Intl.DateTimeFormat(navigator.language).formatToParts(new Date(2025, 2, 14)).filter((x) => x.type !== "literal").map((x) => x.type[0]).join("")`)
	keys := ""
	for _, c := range order {
		switch c {
		case 'y':
			keys += y
		case 'm':
			keys += m
		case 'd':
			keys += d
		}
	}
	p.do("focusing "+id, chromedp.Focus(chromedp.ID(id)))
	p.key(keys)
	if got := eval[string](p, fmt.Sprintf(`document.getElementById(%s).value`, js(id))); got != day {
		p.tb.Fatalf("typing %s (%s order) into %s gave %q, want %s", keys, order, id, got, day)
	}
}

// TestArticleDates checks issue 13's dates: an article added without a
// date says "added <day>" in the reader and the library, one added with
// the sheet's published date says "published <date>".
func TestArticleDates(t *testing.T) {
	p := newPage(t)
	p.openLibrary()
	add := func(title, day string) string {
		t.Helper()
		p.openLibrary()
		p.do("opening the Add article sheet", chromedp.Click(chromedp.ID("add-article")))
		p.waitFor("the title field", `document.activeElement && document.activeElement.id === "add-title"`)
		p.insertText("add-title", title)
		if day != "" {
			p.typeDate("add-published", day)
		}
		p.insertText("add-text", harbourText+"\n\n"+title)
		p.do("adding the article", chromedp.Click(chromedp.ID("add-submit")))
		p.waitFor("the reader of the new article", `location.pathname.startsWith("/articles/") && document.querySelector("#article-text p") !== null`)
		p.waitReader()
		return strings.TrimPrefix(eval[string](p, `location.pathname`), "/articles/")
	}
	today := time.Now().Format("2 Jan 2006")

	undated := add("Undated harbour note "+t.Name(), "")
	if got := eval[string](p, `document.querySelector(".article-head .date").textContent`); got != "added "+today {
		t.Errorf("the reader of an article without a date says %q, want %q", got, "added "+today)
	}
	dated := add("Dated harbour note "+t.Name(), "2025-03-14")
	if got := eval[string](p, `document.querySelector(".article-head .date").textContent`); got != "published 14 Mar 2025" {
		t.Errorf("the reader of an article published on 2025-03-14 says %q, want \"published 14 Mar 2025\"", got)
	}
	a, err := env.api.Article(context.Background(), dated)
	if err != nil || a.Published.Format("2006-01-02") != "2025-03-14" {
		t.Errorf("the API holds the published date %v (%v), want 2025-03-14", a.Published, err)
	}

	p.openLibrary()
	row := func(id string) string {
		return eval[string](p, fmt.Sprintf(`document.querySelector('.article-row[data-id=%q] .date').textContent`, id))
	}
	p.waitFor("both rows", fmt.Sprintf(`document.querySelector('.article-row[data-id=%q]') && document.querySelector('.article-row[data-id=%q]')`, undated, dated))
	if got := row(undated); got != "added "+today {
		t.Errorf("the library row of an article without a date says %q, want %q", got, "added "+today)
	}
	if got := row(dated); got != "published 14 Mar 2025" {
		t.Errorf("the library row of an article published on 2025-03-14 says %q", got)
	}
}

// TestEditArticleDetails checks issue 13's "Edit details": from the
// reader, the title, source, web address and published date change on the
// server (the text does not), and the page shows them at once.
func TestEditArticleDetails(t *testing.T) {
	art := createArticle(t, "Draft title "+t.Name(), harbourText+"\n\nThis copy is for "+t.Name()+".")
	p := newPage(t)
	p.openReader(art.ID)
	p.do("opening Edit details", chromedp.Click(chromedp.ID("edit-details")))
	p.waitFor("the details form", `document.activeElement && document.activeElement.id === "details-title"`)
	if got := eval[string](p, `document.getElementById("details-title").value`); got != art.Title {
		t.Errorf("the form starts with the title %q, want %q", got, art.Title)
	}
	p.key("a", chromedp.ModifierCtrl)
	p.key("Harbour authority denies dredging report")
	p.insertText("details-source", "Coastal Courier")
	p.insertText("details-url", "https://courier.example/harbour")
	p.typeDate("details-published", "2024-11-05")
	p.key(kb.Enter)
	p.waitFor("the saved details", `document.querySelector(".details-saved") !== null && document.querySelector(".article-title").textContent === "Harbour authority denies dredging report"`)
	if got := eval[string](p, `document.querySelector(".article-head .date").textContent + " | " + document.querySelector(".article-head .source").textContent + " | " + document.querySelector(".article-head a.orig").href`); got != "published 5 Nov 2024 | Coastal Courier | https://courier.example/harbour" {
		t.Errorf("after saving, the reader shows %q", got)
	}
	if got := eval[string](p, `document.activeElement && document.activeElement.id`); got != "edit-details" {
		t.Errorf("after saving, the focus is on %q, want the Edit details button", got)
	}
	a, err := env.api.Article(context.Background(), art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Harbour authority denies dredging report" || a.Source != "Coastal Courier" || a.URL != "https://courier.example/harbour" || a.Published.Format("2006-01-02") != "2024-11-05" {
		t.Errorf("the API holds title %q, source %q, URL %q, published %v", a.Title, a.Source, a.URL, a.Published)
	}
	if a.TextHash != art.TextHash || a.Text != art.Text {
		t.Error("saving the details changed the article's text")
	}

	// Emptying the date goes back to "added".
	p.do("opening Edit details again", chromedp.Click(chromedp.ID("edit-details")))
	p.waitFor("the details form", `document.getElementById("details-published") !== null && document.getElementById("details-published").value === "2024-11-05"`)
	p.do("focusing the date", chromedp.Focus(chromedp.ID("details-published")))
	for range 3 { // day, month and year: Backspace clears one part
		p.key(kb.Backspace)
		p.key(kb.Tab)
	}
	p.waitFor("an empty date", `document.getElementById("details-published").value === ""`)
	p.do("saving", chromedp.Click(chromedp.ID("details-save")))
	p.waitFor("the added date", `document.querySelector(".details-saved") !== null && document.querySelector(".article-head .date").textContent.startsWith("added ")`)
	if a, err := env.api.Article(context.Background(), art.ID); err != nil || !a.Published.IsZero() {
		t.Errorf("after emptying the date the API holds %v (%v)", a.Published, err)
	}
}

// TestEditArticleDetailsOffline checks that, offline, the details form
// says that article details are saved online only, and does not offer to
// save.
func TestEditArticleDetailsOffline(t *testing.T) {
	srv := newOwnServer(t)
	art := srv.article("Offline details "+t.Name(), harbourText)
	p := newPage(t)
	url := srv.base + "/articles/" + art.ID
	p.do("opening the reader online", chromedp.Navigate(url))
	p.waitReader()
	p.waitOfflineReady(art.ID)
	srv.kill()
	p.do("reloading offline", chromedp.Navigate(url))
	p.waitReader()
	p.waitFor("the offline state", `document.getElementById("sync-state").textContent.startsWith("Offline")`)
	p.do("opening Edit details", chromedp.Click(chromedp.ID("edit-details")))
	p.waitFor("the offline notice", `document.getElementById("details-offline") !== null`)
	if msg := eval[string](p, `document.getElementById("details-offline").textContent`); !strings.Contains(msg, "saved on the server only") {
		t.Errorf("the offline notice says %q", msg)
	}
	if !eval[bool](p, `document.getElementById("details-save").disabled`) {
		t.Error("offline, Save details is enabled")
	}
}
