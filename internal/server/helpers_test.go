package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// sampleText is a normalised article text; every character is in the BMP
// except the emoji, which tests code-point offsets.
const sampleText = "Ceasefire talks: who said what\n\n" +
	"Trump claimed that Putin signaled he was open to a ceasefire along the current front line. " +
	"Russian foreign ministry spokeswoman Maria Zakharova dismissed the idea outright, stating Moscow " +
	"“categorically rejects” any freeze that leaves NATO expansion unresolved. " +
	"Ukraine even proposed linking security guarantees to a timetable for European troop deployments 🇺🇦."

// span returns the code-point range of the first occurrence of s in sampleText.
func span(tb testing.TB, s string) (int, int) {
	tb.Helper()
	i := strings.Index(sampleText, s)
	if i < 0 {
		tb.Fatalf("%q is not in the sample text", s)
	}
	start := annotation.RuneLen(sampleText[:i])
	return start, start + annotation.RuneLen(s)
}

// env is a Server over a store holding the sample article, with its log
// captured.
type env struct {
	h     http.Handler
	st    annotation.Store
	mem   *servertest.Store // st, when it is the in-memory store; else nil
	logMu sync.Mutex
	logs  bytes.Buffer
	art   *annotation.Article // the sample article, stored
	cfg   server.Config       // what h was made with
}

func (e *env) Write(p []byte) (int, error) {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	return e.logs.Write(p)
}

// logged returns what the server has logged so far.
func (e *env) logged() string {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	return e.logs.String()
}

// newEnv returns a Server over a fresh in-memory store holding the sample
// article, with a clock that ticks a second per write.
func newEnv(tb testing.TB) *env {
	tb.Helper()
	mem := servertest.NewStore()
	clock := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	mem.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	e := newEnvWith(tb, mem, servertest.NewSearcher(mem))
	e.mem = mem
	return e
}

// newEnvWith returns a Server over st and s, with the sample article
// stored in st.
func newEnvWith(tb testing.TB, st annotation.Store, s annotation.Searcher) *env {
	tb.Helper()
	e := &env{st: st}
	e.art = &annotation.Article{Title: "Ceasefire talks", URL: "https://example.com/news/ceasefire-talks", Text: sampleText}
	if _, err := e.st.CreateArticle(context.Background(), e.art); err != nil {
		tb.Fatal(err)
	}
	pwa := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><title>claimmark</title>")
	})
	e.cfg = server.Config{
		Store:    st,
		Searcher: s,
		PWA:      pwa,
		Logger:   slog.New(slog.NewTextHandler(e, nil)),
		BaseURL:  "https://claimmark.example.org",
	}
	e.h = server.New(e.cfg)
	return e
}

// req describes one request; body is sent as is (a string or []byte) and
// ctype defaults to application/json when there is a body.
type req struct {
	method, path string
	body         any
	ctype        string
	header       map[string]string
}

// do serves rq and returns the recorded response.
func (e *env) do(tb testing.TB, rq req) *httptest.ResponseRecorder {
	tb.Helper()
	var body io.Reader
	switch b := rq.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		body = bytes.NewReader(data)
	}
	r := httptest.NewRequest(rq.method, rq.path, body)
	if body != nil {
		ct := rq.ctype
		if ct == "" {
			ct = "application/json"
		}
		r.Header.Set("Content-Type", ct)
	}
	for k, v := range rq.header {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	return rec
}

// errorBody is the JSON shape of an error response.
type errorBody struct {
	Error struct {
		Code       string          `json:"code"`
		Message    string          `json:"message"`
		ExistingID string          `json:"existingId"`
		Report     json.RawMessage `json:"report"`
	} `json:"error"`
}

// wantError checks that rec is a JSON error with the given status and code
// whose message contains every one of words, and returns the body.
func wantError(tb testing.TB, rec *httptest.ResponseRecorder, status int, code string, words ...string) errorBody {
	tb.Helper()
	var eb errorBody
	if rec.Code != status {
		tb.Errorf("status = %d, want %d; body: %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		tb.Errorf("Content-Type = %q, want application/json", ct)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil {
		tb.Fatalf("error body is not JSON: %v: %s", err, rec.Body)
	}
	if eb.Error.Code != code {
		tb.Errorf("error code = %q, want %q (message %q)", eb.Error.Code, code, eb.Error.Message)
	}
	if !strings.HasSuffix(eb.Error.Message, ".") || len(eb.Error.Message) < 15 {
		tb.Errorf("error message %q is not a sentence", eb.Error.Message)
	}
	for _, w := range words {
		if !strings.Contains(eb.Error.Message, w) {
			tb.Errorf("error message %q does not mention %q", eb.Error.Message, w)
		}
	}
	return eb
}

// wantStatus checks rec's status and decodes its JSON body into v (if not nil).
func wantStatus(tb testing.TB, rec *httptest.ResponseRecorder, status int, v any) {
	tb.Helper()
	if rec.Code != status {
		tb.Fatalf("status = %d, want %d; body: %s", rec.Code, status, rec.Body)
	}
	if v != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			tb.Fatalf("body is not the JSON expected: %v: %s", err, rec.Body)
		}
	}
}

// snapshot returns every article and annotation of st, and the change-log
// position, as one string, to check that a request changed nothing.
func snapshot(tb testing.TB, st annotation.Store) string {
	tb.Helper()
	ctx := context.Background()
	var b strings.Builder
	sums, err := st.Articles(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, s := range sums {
		a, err := st.Article(ctx, s.ID)
		if err != nil {
			tb.Fatal(err)
		}
		json.NewEncoder(&b).Encode(a)
	}
	seq, err := st.Walk(ctx, func(a *annotation.Annotation) error {
		return json.NewEncoder(&b).Encode(a)
	})
	if err != nil {
		tb.Fatal(err)
	}
	_, last, err := st.Changes(ctx, 0, 1)
	if err != nil {
		tb.Fatal(err)
	}
	json.NewEncoder(&b).Encode([]uint64{seq, last})
	return b.String()
}

// newAnnotation returns a valid annotation of the sample article quoting
// exact.
func (e *env) newAnnotation(tb testing.TB, kind annotation.Kind, exact string) *annotation.Annotation {
	tb.Helper()
	start, end := span(tb, exact)
	return &annotation.Annotation{
		ID:        annotation.NewID(),
		ArticleID: e.art.ID,
		Kind:      kind,
		Target: annotation.Target{
			Quote:    annotation.Quote{Exact: exact},
			Position: annotation.Position{Start: start, End: end},
		},
		Speaker: "Maria Zakharova",
		Note:    "Rejects the ceasefire signal.",
		Tags:    []string{"ceasefire", "nato"},
	}
}

// put stores a through the API and returns the stored copy.
func (e *env) put(tb testing.TB, a *annotation.Annotation) *annotation.Annotation {
	tb.Helper()
	var got annotation.Annotation
	rec := e.do(tb, req{method: "PUT", path: "/api/annotations/" + a.ID, body: a})
	if rec.Code != http.StatusCreated && rec.Code != http.StatusOK {
		tb.Fatalf("PUT %s: status %d: %s", a.ID, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		tb.Fatal(err)
	}
	return &got
}
