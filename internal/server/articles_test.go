package server_test

import (
	"net/http"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

func TestCreateArticle(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{
		"title":     "  Talks   resume\n",
		"url":       "HTTPS://Example.com:443/news/talks?utm_source=x&id=7#top",
		"source":    "Wire staff",
		"published": "2025-03-14",
		"text":      "First paragraph.\r\nStill first.\r\n\r\n\r\n\r\nSecond.",
		"textHash":  "ignored",
		"version":   99,
	}
	rec := e.do(t, req{method: "POST", path: "/api/articles", body: body})
	var got annotation.Article
	wantStatus(t, rec, http.StatusCreated, &got)
	if loc := rec.Header().Get("Location"); loc != "/api/articles/"+got.ID || got.ID == "" {
		t.Errorf("Location = %q for id %q", loc, got.ID)
	}
	if got.Title != "Talks resume" {
		t.Errorf("title = %q, want it trimmed to one line", got.Title)
	}
	if got.URL != "https://example.com/news/talks?id=7" {
		t.Errorf("url = %q, want the canonical form", got.URL)
	}
	if got.Text == body["text"] || got.TextHash != annotation.HashText(got.Text) || got.Version != 1 {
		t.Errorf("text %q, hash %q, version %d: want normalised text, its hash and version 1", got.Text, got.TextHash, got.Version)
	}
	if want := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC); !got.Published.Equal(want) {
		t.Errorf("published = %v, want %v", got.Published, want)
	}

	var fetched annotation.Article
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles/" + got.ID}), http.StatusOK, &fetched)
	if fetched.Text != got.Text || fetched.Title != got.Title {
		t.Errorf("GET answered %+v, want %+v", fetched, got)
	}
}

func TestCreateArticleWithID(t *testing.T) {
	e := newEnv(t)
	rec := e.do(t, req{method: "POST", path: "/api/articles", body: map[string]any{"id": "my-article", "title": "T", "text": "Words."}})
	var got annotation.Article
	wantStatus(t, rec, http.StatusCreated, &got)
	if got.ID != "my-article" {
		t.Errorf("id = %q, want the one given", got.ID)
	}
	rec = e.do(t, req{method: "POST", path: "/api/articles", body: map[string]any{"id": "my-article", "title": "T", "text": "Other words."}})
	eb := wantError(t, rec, http.StatusConflict, annotation.Conflict, "my-article")
	if eb.Error.ExistingID != "my-article" {
		t.Errorf("existingId = %q, want my-article", eb.Error.ExistingID)
	}
}

func TestDuplicateArticle(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		body map[string]any
	}{
		{"same text", map[string]any{"title": "Copy", "text": sampleText}},
		{"same URL once canonical", map[string]any{"title": "Copy", "url": "https://EXAMPLE.com/news/ceasefire-talks?fbclid=1", "text": "Different."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(t, req{method: "POST", path: "/api/articles", body: tt.body})
			eb := wantError(t, rec, http.StatusConflict, annotation.Conflict, e.art.ID)
			if eb.Error.ExistingID != e.art.ID {
				t.Errorf("existingId = %q, want %q", eb.Error.ExistingID, e.art.ID)
			}
		})
	}
}

func TestListArticles(t *testing.T) {
	e := newEnv(t)
	e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	e.put(t, e.newAnnotation(t, annotation.Denial, "dismissed the idea outright"))
	e.put(t, e.newAnnotation(t, annotation.Denial, "categorically rejects"))
	rec := e.do(t, req{method: "POST", path: "/api/articles", body: map[string]any{"title": "Later", "text": "Another text."}})
	wantStatus(t, rec, http.StatusCreated, nil)

	var got struct {
		Items []annotation.ArticleSummary `json:"items"`
		Total int                         `json:"total"`
	}
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles"}), http.StatusOK, &got)
	if got.Total != 2 || len(got.Items) != 2 {
		t.Fatalf("got %d items, total %d; want 2", len(got.Items), got.Total)
	}
	if got.Items[0].Title != "Later" {
		t.Errorf("first item %q, want the newest (Later)", got.Items[0].Title)
	}
	want := annotation.Counts{Claim: 1, Denial: 2}
	if c := got.Items[1].Counts; c != want {
		t.Errorf("counts = %+v, want %+v", c, want)
	}
	if got.Items[1].Chars != annotation.RuneLen(sampleText) {
		t.Errorf("chars = %d, want %d", got.Items[1].Chars, annotation.RuneLen(sampleText))
	}
}

func TestEmptyListsAreArrays(t *testing.T) {
	e := newEnv(t)
	if err := e.st.DeleteArticle(t.Context(), e.art.ID); err != nil {
		t.Fatal(err)
	}
	rec := e.do(t, req{method: "GET", path: "/api/articles"})
	if got := rec.Body.String(); got != `{"items":[],"total":0}`+"\n" {
		t.Errorf("empty list = %s, want items []", got)
	}
}

func TestUpdateArticle(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"title": "Ceasefire talks, updated", "url": e.art.URL, "text": sampleText + "\n\nA new paragraph."}
	var got annotation.Article
	wantStatus(t, e.do(t, req{method: "PUT", path: "/api/articles/" + e.art.ID, body: body}), http.StatusOK, &got)
	if got.Version != 2 || got.Title != "Ceasefire talks, updated" || got.ID != e.art.ID || !got.Created.Equal(e.art.Created) {
		t.Errorf("updated article = %+v", got)
	}
	wantError(t, e.do(t, req{method: "PUT", path: "/api/articles/missing", body: body}), http.StatusNotFound, annotation.NotFound, "missing")
}

func TestDeleteArticle(t *testing.T) {
	e := newEnv(t)
	a := e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	rec := e.do(t, req{method: "DELETE", path: "/api/articles/" + e.art.ID})
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Fatalf("DELETE = %d %q, want 204 and no body", rec.Code, rec.Body)
	}
	wantError(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID}), http.StatusNotFound, annotation.NotFound)
	wantError(t, e.do(t, req{method: "GET", path: "/api/annotations/" + a.ID}), http.StatusNotFound, annotation.NotFound)
}

func TestListAnnotations(t *testing.T) {
	e := newEnv(t)
	second := e.put(t, e.newAnnotation(t, annotation.Denial, "dismissed the idea outright"))
	first := e.put(t, e.newAnnotation(t, annotation.Claim, "Trump claimed"))
	var got struct {
		Items []annotation.Annotation `json:"items"`
		Total int                     `json:"total"`
	}
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/articles/" + e.art.ID + "/annotations"}), http.StatusOK, &got)
	if got.Total != 2 || len(got.Items) != 2 || got.Items[0].ID != first.ID || got.Items[1].ID != second.ID {
		t.Errorf("got %+v, want %s then %s (by position)", got, first.ID, second.ID)
	}
	wantError(t, e.do(t, req{method: "GET", path: "/api/articles/nope/annotations"}), http.StatusNotFound, annotation.NotFound, "nope")
}
