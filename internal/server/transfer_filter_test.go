package server_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// importFilterCorpus adds two articles with annotations of several kinds,
// speakers, tags and dates to e's store, and returns the ids of all the
// annotations in the store.
func importFilterCorpus(t *testing.T, e *env) []string {
	t.Helper()
	text := "The convoy reached the border at dawn. Officials denied any shelling. " +
		"Observers proposed a monitoring mission. Prices rose sharply in the capital."
	art := &annotation.Article{ID: annotation.NewID(), Title: "Convoy at the border", Text: text,
		TextHash: annotation.HashText(text), Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Version: 1}
	art.Updated = art.Created
	mk := func(a *annotation.Article, quote string, kind annotation.Kind, speaker string, tags []string, created string) *annotation.Annotation {
		i := strings.Index(a.Text, quote)
		if i < 0 {
			t.Fatalf("quote %q not in text", quote)
		}
		start := annotation.RuneLen(a.Text[:i])
		at, err := time.Parse(time.DateOnly, created)
		if err != nil {
			t.Fatal(err)
		}
		return &annotation.Annotation{ID: annotation.NewID(), ArticleID: a.ID, Kind: kind,
			Target:  annotation.Target{Quote: annotation.Quote{Exact: quote}, Position: annotation.Position{Start: start, End: start + annotation.RuneLen(quote)}},
			Speaker: speaker, Tags: tags, Created: at, Modified: at, Revision: 1}
	}
	anns := []*annotation.Annotation{
		mk(art, "The convoy reached the border at dawn", annotation.Claim, "Dmitry Peskov", []string{"convoy"}, "2024-02-01"),
		mk(art, "Officials denied any shelling", annotation.Denial, "Dmitry Peskov", []string{"shelling", "security guarantees"}, "2024-05-01"),
		mk(art, "Observers proposed a monitoring mission", annotation.Proposal, "Kaja Kallas", []string{"security guarantees"}, "2024-09-01"),
		mk(art, "Prices rose sharply in the capital", annotation.Claim, "", nil, "2025-01-15"),
	}
	if err := e.st.Import(context.Background(), []*annotation.Article{art}, anns); err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, a := range anns {
		all = append(all, a.ID)
	}
	for _, a := range e.exportedIDs(t, "") {
		if !slices.Contains(all, a) {
			all = append(all, a)
		}
	}
	slices.Sort(all)
	return all
}

// searchedIDs returns the sorted ids of the hits of /api/search?query.
func (e *env) searchedIDs(t *testing.T, query string) []string {
	t.Helper()
	var res annotation.Results
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/search?size=100&" + query}), http.StatusOK, &res)
	if res.Total != len(res.Hits) {
		t.Fatalf("search %s: %d hits of %d", query, len(res.Hits), res.Total)
	}
	ids := []string{}
	for _, h := range res.Hits {
		ids = append(ids, h.Annotation.ID)
	}
	slices.Sort(ids)
	return ids
}

// exportedIDs returns the sorted ids of the annotations of the JSON Lines
// export for query, after checking that the CSV export holds the same and
// that the articles exported are those of the annotations.
func (e *env) exportedIDs(t *testing.T, query string) []string {
	t.Helper()
	rec := e.do(t, req{method: "GET", path: "/api/export?format=jsonl&" + query})
	if rec.Code != http.StatusOK {
		t.Fatalf("export %s: %d %s", query, rec.Code, rec.Body)
	}
	ids := []string{}
	arts, wantArts := map[string]bool{}, map[string]bool{}
	speakers, wantSpeakers := map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(rec.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct{ Type, ID, ArticleID, SpeakerID string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("export %s: %v in %s", query, err, sc.Bytes())
		}
		switch line.Type {
		case "article":
			arts[line.ID] = true
		case "speaker":
			speakers[line.ID] = true
		default:
			ids = append(ids, line.ID)
			wantArts[line.ArticleID] = true
			wantSpeakers[line.SpeakerID] = true
		}
	}
	if len(arts) != len(wantArts) {
		t.Errorf("export %s: articles %v, want those of its annotations %v", query, arts, wantArts)
	}
	delete(wantSpeakers, "")
	if !maps.Equal(speakers, wantSpeakers) {
		t.Errorf("export %s: speakers %v, want those its annotations name %v", query, speakers, wantSpeakers)
	}
	slices.Sort(ids)

	rec = e.do(t, req{method: "GET", path: "/api/export?format=csv&" + query})
	rows, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("export %s as CSV: %v, %d rows", query, err, len(rows))
	}
	csvIDs := []string{}
	for _, r := range rows[1:] {
		csvIDs = append(csvIDs, r[0])
	}
	slices.Sort(csvIDs)
	if !slices.Equal(csvIDs, ids) {
		t.Errorf("export %s: CSV holds %v, JSON Lines %v", query, csvIDs, ids)
	}
	return ids
}

// TestExportHonoursSearchFilters: each search parameter narrows the export
// to exactly the hits of the same search.
func TestExportHonoursSearchFilters(t *testing.T) {
	e := newRealEnv(t)
	e.put(t, e.newAnnotation(t, annotation.Denial, "dismissed the idea outright"))
	all := importFilterCorpus(t, e)
	for _, query := range []string{
		"kind=denial",
		"kind=claim",
		"speaker=Dmitry+Peskov",
		"article=" + e.art.ID,
		"tag=security+guarantees",
		"tag=Security+Guarantees",
		"tag=security+guarantees&tag=shelling",
		"since=2024-04-01",
		"until=2024-06-01",
		"since=2024-04-01&until=2024-12-31",
		"q=convoy",
		"q=shelling+monitoring",
		"q=%2Bsecurity+-shelling",
		"q=border&kind=claim",
		"q=nothing-matches-this",
	} {
		t.Run(query, func(t *testing.T) {
			want := e.searchedIDs(t, query)
			got := e.exportedIDs(t, query)
			if !slices.Equal(got, want) {
				t.Errorf("export %s = %v, want the search's hits %v", query, got, want)
			}
			if len(got) == len(all) {
				t.Errorf("export %s holds all %d annotations: the filter did not narrow it", query, len(all))
			}
		})
	}
	if got := e.exportedIDs(t, ""); !slices.Equal(got, all) {
		t.Errorf("export without filters = %v, want all %v", got, all)
	}
}

// TestExportFiltersWithAPlainSearcher: a Searcher without an id listing is
// paged through.
func TestExportFiltersWithAPlainSearcher(t *testing.T) {
	e := newEnv(t)
	d := e.put(t, e.newAnnotation(t, annotation.Denial, "dismissed the idea outright"))
	e.put(t, e.newAnnotation(t, annotation.Claim, "categorically rejects"))
	if got := e.exportedIDs(t, "kind=denial"); !slices.Equal(got, []string{d.ID}) {
		t.Errorf("export kind=denial = %v, want [%s]", got, d.ID)
	}
}

func TestExportRefusesBadFilters(t *testing.T) {
	e := newEnv(t)
	wantError(t, e.do(t, req{method: "GET", path: "/api/export?kind=rumour"}), http.StatusBadRequest, annotation.Invalid)
	wantError(t, e.do(t, req{method: "GET", path: "/api/export?since=yesterday"}), http.StatusBadRequest, annotation.Invalid)
	wantError(t, e.do(t, req{method: "GET", path: `/api/export?q=%22open`}), http.StatusBadRequest, annotation.Invalid)

	noSearch := server.New(server.Config{Store: servertest.NewStore(), Logger: slog.New(slog.DiscardHandler)})
	rec := (&env{h: noSearch}).do(t, req{method: "GET", path: "/api/export?kind=denial"})
	wantError(t, rec, http.StatusServiceUnavailable, annotation.Unavailable)
}

// windowSearcher finds more annotations than Search can page to.
type windowSearcher struct{}

func (windowSearcher) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	return &annotation.Results{Total: annotation.MaxSearchWindow + 1}, nil
}

// TestExportFilterPastTheSearchWindow: without MatchIDs, an export whose
// search finds more than Search can page through is refused, not cut.
func TestExportFilterPastTheSearchWindow(t *testing.T) {
	h := server.New(server.Config{Store: servertest.NewStore(), Searcher: windowSearcher{}, Logger: slog.New(slog.DiscardHandler)})
	rec := (&env{h: h}).do(t, req{method: "GET", path: "/api/export?kind=claim"})
	wantError(t, rec, http.StatusBadRequest, annotation.Invalid, "Narrow it")
}
