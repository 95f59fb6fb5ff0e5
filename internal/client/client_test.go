package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

const sampleText = "Trump claimed that Putin signaled he was open to a ceasefire. " +
	"Maria Zakharova dismissed the idea outright. Ukraine proposed security guarantees 🇺🇦."

// mustServe returns a client of a real server over an in-memory store,
// closed at test end.
func mustServe(tb testing.TB) (*client.Client, *servertest.Store) {
	tb.Helper()
	st := servertest.NewStore()
	srv := httptest.NewServer(server.New(server.Config{
		Store: st, Searcher: servertest.NewSearcher(st), Logger: slog.New(slog.DiscardHandler),
	}))
	tb.Cleanup(srv.Close)
	return client.New(srv.URL+"/", srv.Client()), st
}

// mustServeArticle returns a client of a server made by mustServe and an
// article of sampleText created through it.
func mustServeArticle(tb testing.TB) (*client.Client, *annotation.Article) {
	tb.Helper()
	c, _ := mustServe(tb)
	art := &annotation.Article{Title: "Talks", Text: sampleText}
	if _, err := c.CreateArticle(tb.Context(), art); err != nil {
		tb.Fatal(err)
	}
	return c, art
}

// newAnnotation returns a valid annotation of art quoting exact.
func newAnnotation(tb testing.TB, art *annotation.Article, kind annotation.Kind, exact string) *annotation.Annotation {
	tb.Helper()
	i := strings.Index(art.Text, exact)
	if i < 0 {
		tb.Fatalf("%q is not in the text", exact)
	}
	start := annotation.RuneLen(art.Text[:i])
	return &annotation.Annotation{
		ID: annotation.NewID(), ArticleID: art.ID, Kind: kind, Speaker: " Maria  Zakharova ",
		Target: annotation.Target{
			Quote:    annotation.Quote{Exact: exact},
			Position: annotation.Position{Start: start, End: start + annotation.RuneLen(exact)},
		},
	}
}

// wantCode fails unless err is an *annotation.Error with the given code.
func wantCode(tb testing.TB, err error, code string) *annotation.Error {
	tb.Helper()
	var e *annotation.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v (%T) is not an *annotation.Error", err, err)
	}
	if e.Code != code {
		tb.Fatalf("error code %q (%q), want %q", e.Code, e.Message, code)
	}
	return e
}

func TestArticles(t *testing.T) {
	c, _ := mustServe(t)
	ctx := t.Context()
	if err := c.Health(ctx); err != nil {
		t.Fatal(err)
	}
	art := &annotation.Article{Title: " Talks ", URL: "https://Example.com/talks?utm_medium=x", Text: sampleText + "\r\n",
		Published: time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)}
	if existing, err := c.CreateArticle(ctx, art); err != nil || existing != "" {
		t.Fatalf("CreateArticle = %q, %v", existing, err)
	}
	if art.ID == "" || art.Title != "Talks" || art.URL != "https://example.com/talks" || art.Version != 1 || art.TextHash == "" {
		t.Errorf("stored copy not written back: %+v", art)
	}

	dup := &annotation.Article{Title: "Again", Text: art.Text}
	existing, err := c.CreateArticle(ctx, dup)
	wantCode(t, err, annotation.Conflict)
	if existing != art.ID || dup.ID != "" {
		t.Errorf("duplicate: existingID %q (want %q), article changed to %+v", existing, art.ID, dup)
	}

	got, err := c.Article(ctx, art.ID)
	if err != nil || got.Text != art.Text || !got.Published.Equal(art.Published) {
		t.Fatalf("Article = %+v, %v", got, err)
	}
	art.Title = "Talks, updated"
	if err := c.UpdateArticle(ctx, art); err != nil || art.Version != 2 {
		t.Fatalf("UpdateArticle: %v, version %d", err, art.Version)
	}
	list, err := c.Articles(ctx)
	if err != nil || len(list) != 1 || list[0].Title != "Talks, updated" {
		t.Fatalf("Articles = %+v, %v", list, err)
	}
	if err := c.DeleteArticle(ctx, art.ID); err != nil {
		t.Fatal(err)
	}
	_, err = c.Article(ctx, art.ID)
	wantCode(t, err, annotation.NotFound)
	wantCode(t, c.DeleteArticle(ctx, art.ID), annotation.NotFound)
}

func TestAnnotations(t *testing.T) {
	c, art := mustServeArticle(t)
	ctx := t.Context()
	a := newAnnotation(t, art, annotation.Denial, "dismissed the idea outright")
	a.Tags = []string{"x", "X"}
	if err := c.PutAnnotation(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	if a.Revision != 1 || a.Speaker != "Maria Zakharova" || len(a.Tags) != 1 || a.Target.Quote.Prefix == "" {
		t.Errorf("stored copy not written back: %+v", a)
	}
	stale := a.ETag()
	a.Note = "Edited."
	if err := c.PutAnnotation(ctx, a, a.ETag()); err != nil || a.Revision != 2 {
		t.Fatalf("PutAnnotation with the current ETag: %v, revision %d", err, a.Revision)
	}
	before := *a
	a.Note = "Lost update."
	wantCode(t, c.PutAnnotation(ctx, a, stale), annotation.PreconditionFailed)
	if a.Note != "Lost update." {
		t.Error("a failed PutAnnotation changed its argument")
	}

	got, err := c.Annotation(ctx, a.ID)
	if err != nil || got.Note != before.Note || got.ETag() != `"2"` {
		t.Fatalf("Annotation = %+v, %v", got, err)
	}
	doc, err := c.AnnotationW3C(ctx, a.ID)
	if err != nil || !bytes.Contains(doc, []byte(`"Annotation"`)) {
		t.Fatalf("AnnotationW3C = %s, %v", doc, err)
	}

	b := newAnnotation(t, art, annotation.Claim, "Trump claimed")
	b.ID = ""
	if err := c.CreateAnnotation(ctx, b); err != nil || !annotation.ValidID(b.ID) {
		t.Fatalf("CreateAnnotation: %v, id %q", err, b.ID)
	}
	list, err := c.Annotations(ctx, art.ID)
	if err != nil || len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Fatalf("Annotations = %+v, %v", list, err)
	}

	wantCode(t, c.DeleteAnnotation(ctx, a.ID, stale), annotation.PreconditionFailed)
	if err := c.DeleteAnnotation(ctx, a.ID, `"2"`); err != nil {
		t.Fatal(err)
	}
	_, err = c.Annotation(ctx, a.ID)
	wantCode(t, err, annotation.NotFound)

	bad := newAnnotation(t, art, annotation.Claim, "Trump claimed")
	bad.Target.Quote.Exact = "Biden claimed"
	e := wantCode(t, c.PutAnnotation(ctx, bad, ""), annotation.Invalid)
	if !strings.Contains(e.Message, "does not match") {
		t.Errorf("message %q does not say what is wrong", e.Message)
	}
	_, err = c.Annotation(ctx, "a/b")
	wantCode(t, err, annotation.Invalid)
}

func TestSearch(t *testing.T) {
	c, art := mustServeArticle(t)
	ctx := t.Context()
	a := newAnnotation(t, art, annotation.Denial, "dismissed the idea outright")
	a.Tags = []string{"moscow", "nato"}
	for _, x := range []*annotation.Annotation{a, newAnnotation(t, art, annotation.Claim, "Trump claimed")} {
		if err := c.PutAnnotation(ctx, x, ""); err != nil {
			t.Fatal(err)
		}
	}
	res, err := c.Search(ctx, annotation.Query{
		Text: "outright", Kind: annotation.Denial, Speaker: "Maria Zakharova", Article: art.ID, Tags: []string{"nato", "moscow"},
		Since: time.Now().Add(-time.Hour), Until: time.Now().Add(time.Hour), Sort: annotation.SortNewest, Page: 1, Size: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].Annotation.ID != a.ID {
		t.Errorf("Search = %+v, want %s", res, a.ID)
	}
	_, err = c.Search(ctx, annotation.Query{Text: `"unbalanced`})
	wantCode(t, err, annotation.Invalid)
	_, err = c.Search(ctx, annotation.Query{Size: 1000})
	wantCode(t, err, annotation.Invalid)
}

func TestExportImport(t *testing.T) {
	c, art := mustServeArticle(t)
	ctx := t.Context()
	a := newAnnotation(t, art, annotation.Proposal, "proposed security guarantees")
	if err := c.PutAnnotation(ctx, a, ""); err != nil {
		t.Fatal(err)
	}
	var backup bytes.Buffer
	if err := c.Export(ctx, "jsonl", &backup); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(backup.String(), a.ID) {
		t.Fatalf("export lacks %s: %s", a.ID, backup.String())
	}
	wantCode(t, c.Export(ctx, "xml", io.Discard), annotation.Invalid)

	other, st := mustServe(t)
	rep, err := other.Import(ctx, bytes.NewReader(backup.Bytes()))
	if err != nil || len(rep.Added) != 3 { // the article, its speaker and the annotation
		t.Fatalf("Import = %+v, %v", rep, err)
	}
	if _, err := st.Annotation(ctx, a.ID); err != nil {
		t.Errorf("imported annotation missing: %v", err)
	}

	broken := strings.Replace(backup.String(), `"proposal"`, `"rumour"`, 1)
	rep, err = other.Import(ctx, strings.NewReader(broken))
	wantCode(t, err, annotation.Invalid)
	if rep == nil || len(rep.Refused) != 1 {
		t.Errorf("refused import report = %+v, want one item refused", rep)
	}
	_, err = other.Import(ctx, strings.NewReader("garbage"))
	wantCode(t, err, annotation.Invalid)
}

// TestErrorAnswers checks how answers that are not our JSON errors are
// reported.
func TestErrorAnswers(t *testing.T) {
	tests := []struct {
		status      int
		body        string
		code        string
		message     string
		unreachable bool
	}{
		{502, "<html>bad gateway</html>", annotation.Unavailable, "The server answered 502 Bad Gateway.", true},
		{504, "", annotation.Unavailable, "The server answered 504 Gateway Timeout.", true},
		{500, "oops", annotation.Internal, "The server answered 500 Internal Server Error.", false},
		{418, "{}", annotation.Invalid, "The server answered 418 I'm a teapot.", false},
		{404, `{"error":{"code":"not_found","message":"There is no such article."}}`, annotation.NotFound, "There is no such article.", false},
		{503, `{"error":{"code":"unavailable","message":"The index is being rebuilt."}}`, annotation.Unavailable, "The index is being rebuilt.", false},
		{409, `{"error":{"code":"conflict"}}`, annotation.Conflict, "The server answered 409 Conflict.", false},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tt.status)
			io.WriteString(w, tt.body)
		}))
		_, err := client.New(srv.URL, nil).Articles(t.Context())
		srv.Close()
		e := wantCode(t, err, tt.code)
		if e.Message != tt.message {
			t.Errorf("%d %q: message %q, want %q", tt.status, tt.body, e.Message, tt.message)
		}
		if annotation.ErrorMessage(err) != tt.message {
			t.Errorf("%d: ErrorMessage = %q, want %q", tt.status, annotation.ErrorMessage(err), tt.message)
		}
		if errors.Is(err, client.ErrUnreachable) != tt.unreachable {
			t.Errorf("%d: errors.Is(err, ErrUnreachable) = %v, want %v", tt.status, !tt.unreachable, tt.unreachable)
		}
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := client.New(url, nil)
	_, err := c.Articles(t.Context())
	if !errors.Is(err, client.ErrUnreachable) {
		t.Fatalf("error %v does not match ErrUnreachable", err)
	}
	if annotation.ErrorCode(err) != annotation.Internal {
		t.Errorf("ErrorCode = %q, want internal", annotation.ErrorCode(err))
	}
	if err := c.PutAnnotation(t.Context(), &annotation.Annotation{ID: "x"}, ""); !errors.Is(err, client.ErrUnreachable) {
		t.Errorf("PutAnnotation error %v does not match ErrUnreachable", err)
	}
}

// TestBrokenAnswer checks that a connection cut midway counts as
// unreachable, and an answer of the wrong shape does not.
func TestBrokenAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/articles" {
			io.WriteString(w, `<!doctype html>`)
			return
		}
		w.Header().Set("Content-Length", "1000")
		io.WriteString(w, `{"items":[`)
		panic(http.ErrAbortHandler)
	}))
	defer srv.Close()
	c := client.New(srv.URL, nil)
	_, err := c.Articles(t.Context())
	if err == nil || errors.Is(err, client.ErrUnreachable) {
		t.Errorf("HTML for JSON: error %v, want a decoding error that is not ErrUnreachable", err)
	}
	_, err = c.Annotations(t.Context(), "x")
	if !errors.Is(err, client.ErrUnreachable) {
		t.Errorf("cut answer: error %v, want ErrUnreachable", err)
	}
	var w bytes.Buffer
	if err := c.Export(t.Context(), "jsonl", &w); !errors.Is(err, client.ErrUnreachable) {
		t.Errorf("cut export: error %v, want ErrUnreachable", err)
	}
}

func TestCancelled(t *testing.T) {
	c, _ := mustServe(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Articles(ctx)
	if !errors.Is(err, context.Canceled) || errors.Is(err, client.ErrUnreachable) {
		t.Errorf("error %v, want context.Canceled and not ErrUnreachable", err)
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSameOrigin checks that an empty base URL makes relative requests,
// which fetch resolves against the page in the browser.
func TestSameOrigin(t *testing.T) {
	var got []string
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Method+" "+r.URL.String()+" "+r.Header.Get("If-Match"))
		return &http.Response{StatusCode: 204, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}, Request: r}, nil
	})}
	c := client.New("", hc)
	if err := c.DeleteAnnotation(t.Context(), "a b", `"3"`); err != nil {
		t.Fatal(err)
	}
	if err := c.Health(t.Context()); err != nil {
		t.Fatal(err)
	}
	want := []string{`DELETE /api/annotations/a%20b "3"`, "GET /api/health "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests %q, want %q", got, want)
	}
}

// TestNewSend checks that a client made with NewSend sends every request
// with its function, and that an error from it is ErrUnreachable.
func TestNewSend(t *testing.T) {
	var got []string
	fail := false
	c := client.NewSend("http://example.test/", func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Method+" "+r.URL.String())
		if fail {
			return nil, errors.New("no network")
		}
		return &http.Response{StatusCode: 204, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}, Request: r}, nil
	})
	if err := c.Health(t.Context()); err != nil {
		t.Fatal(err)
	}
	fail = true
	if err := c.Health(t.Context()); !errors.Is(err, client.ErrUnreachable) {
		t.Errorf("a failed send: error %v, want ErrUnreachable", err)
	}
	want := "GET http://example.test/api/health|GET http://example.test/api/health"
	if strings.Join(got, "|") != want {
		t.Errorf("requests %q, want %q", got, want)
	}
}
