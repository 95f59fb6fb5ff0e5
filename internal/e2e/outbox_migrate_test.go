package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"claimmark/internal/annotation"
)

// TestOutboxMigratesIntegerKinds seeds the device's outbox with a queue
// in the form written before operation kinds were strings ("kind":0 for a
// put, 1 for a delete), as a device updated from that version holds it,
// and checks that the app reads it, rewrites it with string kinds, and
// sends it once the server is back: the put is stored, the delete done.
func TestOutboxMigratesIntegerKinds(t *testing.T) {
	srv := newOwnServer(t)
	art := srv.article("Migrated queue "+t.Name(), harbourText)
	doomed := quoteAnnotation(t, art, annotation.Denial, "denied a report")
	if err := srv.api.PutAnnotation(context.Background(), doomed, ""); err != nil {
		t.Fatal(err)
	}
	p := newPage(t)
	url := srv.base + "/articles/" + art.ID
	p.do("opening the reader online", chromedp.Navigate(url))
	p.waitReader()
	p.waitOfflineReady(art.ID)
	srv.kill()

	put := quoteAnnotation(t, art, annotation.Proposal, "proposed an independent survey")
	put.Note = "queued by an older version"
	now := time.Now().UnixMilli()
	ops := []map[string]any{
		{"key": fmt.Sprintf("%013d-oldtab-%08d", now, 1), "kind": 0, "id": put.ID, "articleId": art.ID, "ann": put, "gen": 0, "tab": "oldtab"},
		{"key": fmt.Sprintf("%013d-oldtab-%08d", now, 2), "kind": 1, "id": doomed.ID, "articleId": art.ID, "base": 1, "gen": 0, "tab": "oldtab"},
	}
	var records []string
	for _, op := range ops {
		doc, err := json.Marshal(op)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := json.Marshal(map[string]any{"key": op["key"], "gen": 0, "doc": string(doc)})
		records = append(records, string(r))
	}
	p.waitFor("the old-form queue in IndexedDB", fmt.Sprintf(`new Promise((resolve) => {
		const open = indexedDB.open(deviceDB());
		open.onerror = () => resolve(false);
		open.onsuccess = () => {
			const db = open.result;
			const tx = db.transaction("outbox", "readwrite");
			for (const r of [%s]) tx.objectStore("outbox").put(r);
			tx.oncomplete = () => { db.close(); resolve(true); };
			tx.onerror = () => { db.close(); resolve(false); };
		};
	})`, strings.Join(records, ",")))

	p.do("reloading offline with the old queue", chromedp.Navigate(url))
	p.waitReader()
	p.waitFor("two changes waiting", `document.getElementById("sync-state").textContent.includes("2 changes waiting")`)
	p.waitFor("the queue rewritten with string kinds", `new Promise((resolve) => {
		const open = indexedDB.open(deviceDB());
		open.onerror = () => resolve(false);
		open.onsuccess = () => {
			const db = open.result;
			const all = db.transaction("outbox").objectStore("outbox").getAll();
			all.onsuccess = () => {
				const kinds = all.result.map(r => JSON.parse(r.doc).kind);
				db.close();
				resolve(kinds.length === 2 && kinds[0] === "put" && kinds[1] === "delete");
			};
			all.onerror = () => { db.close(); resolve(false); };
		};
	})`)

	srv.start()
	p.waitFor("all changes saved", `document.getElementById("sync-state").textContent === "All changes saved"`)
	list := srv.annotations(art.ID)
	if len(list) != 1 || list[0].ID != put.ID || list[0].Note != put.Note || list[0].Kind != annotation.Proposal {
		t.Fatalf("the API holds %+v; want only the queued proposal %s", list, put.ID)
	}
	p.waitFor("an empty outbox", `new Promise((resolve) => {
		const open = indexedDB.open(deviceDB());
		open.onerror = () => resolve(false);
		open.onsuccess = () => {
			const db = open.result;
			const n = db.transaction("outbox").objectStore("outbox").count();
			n.onsuccess = () => { db.close(); resolve(n.result === 0); };
			n.onerror = () => { db.close(); resolve(false); };
		};
	})`)
}

// quoteAnnotation returns a new annotation of art on the first occurrence
// of quote.
func quoteAnnotation(tb testing.TB, art *annotation.Article, kind annotation.Kind, quote string) *annotation.Annotation {
	tb.Helper()
	i := strings.Index(art.Text, quote)
	if i < 0 {
		tb.Fatalf("%q is not in the text", quote)
	}
	start := annotation.RuneLen(art.Text[:i])
	return &annotation.Annotation{
		ID: annotation.NewID(), ArticleID: art.ID, Kind: kind,
		Target: annotation.Target{
			Quote:    annotation.Quote{Exact: quote},
			Position: annotation.Position{Start: start, End: start + annotation.RuneLen(quote)},
		},
	}
}
