package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// searchFunc is an annotation.Searcher made of a function.
type searchFunc func(ctx context.Context, q annotation.Query) (*annotation.Results, error)

func (f searchFunc) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	return f(ctx, q)
}

// TestSearchParameters checks how the query string becomes a Query.
func TestSearchParameters(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		query string
		want  annotation.Query
	}{
		{"", annotation.Query{}},
		{"q=security+guarantees&kind=denial&speaker=Maria+Zakharova&article=a1",
			annotation.Query{Text: "security guarantees", Kind: annotation.Denial, Speaker: "Maria Zakharova", Article: "a1"}},
		{"tag=nato&tag=ceasefire&tag=", annotation.Query{Tags: []string{"nato", "ceasefire"}}},
		{"since=2025-03-01&until=2025-03-14", annotation.Query{Since: day(2025, 3, 1), Until: day(2025, 3, 15)}},
		{"since=2025-03-01T10:00:00%2B02:00", annotation.Query{Since: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)}},
		{"sort=newest&page=3&size=50", annotation.Query{Sort: annotation.SortNewest, Page: 3, Size: 50}},
		{"q=%22categorically+rejects%22&unknown=ignored", annotation.Query{Text: `"categorically rejects"`}},
	}
	for _, tt := range tests {
		var got annotation.Query
		s := searchFunc(func(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
			got = q
			return &annotation.Results{}, nil
		})
		h := server.New(server.Config{Store: servertest.NewStore(), Searcher: s, Logger: slog.New(slog.DiscardHandler)})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?"+tt.query, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("%q: status %d: %s", tt.query, rec.Code, rec.Body)
			continue
		}
		if !got.Since.Equal(tt.want.Since) || !got.Until.Equal(tt.want.Until) {
			t.Errorf("%q: since %v until %v, want %v, %v", tt.query, got.Since, got.Until, tt.want.Since, tt.want.Until)
		}
		got.Since, got.Until, tt.want.Since, tt.want.Until = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: Query = %+v, want %+v", tt.query, got, tt.want)
		}
		// Nil lists from the searcher reach the client as [].
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil || string(raw["hits"]) != "[]" {
			t.Errorf("%q: hits = %s (%v), want []", tt.query, raw["hits"], err)
		}
	}
}

func TestSearch(t *testing.T) {
	e := newEnv(t)
	e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	d := e.newAnnotation(t, annotation.Denial, "dismissed the idea outright")
	d.Tags = []string{"moscow", "nato"}
	e.put(t, d)
	p := e.newAnnotation(t, annotation.Proposal, "proposed linking security guarantees")
	p.Speaker = "Volodymyr Zelensky"
	e.put(t, p)

	tests := []struct {
		query string
		ids   []string
	}{
		{"q=security", []string{p.ID}},
		{"kind=denial", []string{d.ID}},
		{"speaker=Volodymyr+Zelensky", []string{p.ID}},
		{"speaker=volodymyr++zelensky", []string{p.ID}}, // case and spaces aside (annotation.SpeakerKey), as in the index
		{"speaker=zelensky", nil},
		{"tag=moscow&tag=nato", []string{d.ID}},
		{"q=zzz", nil},
		{"q=outright&article=" + e.art.ID, []string{d.ID}},
	}
	for _, tt := range tests {
		var res annotation.Results
		wantStatus(t, e.do(t, req{method: "GET", path: "/api/search?" + tt.query}), http.StatusOK, &res)
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.Annotation.ID)
		}
		if !reflect.DeepEqual(ids, tt.ids) || res.Total != len(tt.ids) {
			t.Errorf("%s: hits %v (total %d), want %v", tt.query, ids, res.Total, tt.ids)
		}
	}
	var res annotation.Results
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/search?size=2&page=2&sort=newest"}), http.StatusOK, &res)
	if res.Total != 3 || len(res.Hits) != 1 || len(res.Facets.Kind) != 3 {
		t.Errorf("page 2 of 2: total %d, %d hits, kind facet %v", res.Total, len(res.Hits), res.Facets.Kind)
	}
}
