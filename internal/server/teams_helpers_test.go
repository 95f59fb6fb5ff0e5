package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// teamText is the text of the Desk group's article.
const teamText = "Budget talks\n\nThe minister said talks had stalled. The union denied it flatly. " +
	"An adviser proposed a new round in May."

// Who makes a request in the team tests.
const (
	anon     = "anonymous"
	viewer   = "viewer"   // viewer of Desk
	editor   = "editor"   // editor of Desk; made the private annotation
	owner    = "owner"    // owner of Desk; made the group annotations
	outsider = "outsider" // owner of Other only
)

// who lists the callers of the matrix, in its column order.
var who = []string{anon, viewer, editor, owner, outsider}

// team is a server with accounts over an in-memory store: group Desk
// (owner, editor, viewer) with article artD holding pub (a group
// annotation by owner), pub2 (by owner, linking to priv) and priv (a
// private annotation by editor, supporting pub); group Other (outsider)
// with article artO and annotation oth.
type team struct {
	t      testing.TB
	st     annotation.Store        // articles and annotations (indexed when the backend has an index)
	acc    annotation.AccountStore // users, groups, sessions, tokens
	h      http.Handler
	cfg    server.Config
	now    time.Time
	tokens map[string]string // caller → bearer secret
	users  map[string]*annotation.User
	desk   *annotation.Group
	other  *annotation.Group
	artD   *annotation.Article
	artO   *annotation.Article
}

// teamOpt changes the server's Config before it is made.
type teamOpt func(*server.Config)

// testUnset is a password hash that no password matches, made without
// argon2id's cost (accounts.UnsetPassword would spend it).
const testUnset = "!unset-in-tests"

// backend makes the stores of a team fixture and the Config over them.
type backend func(tb testing.TB, now func() time.Time) (annotation.Store, annotation.AccountStore, server.Config)

// memory is the in-memory backend: servertest's Store and Searcher.
func memory(tb testing.TB, now func() time.Time) (annotation.Store, annotation.AccountStore, server.Config) {
	st := servertest.NewStore()
	st.Now = now
	return st, st, server.Config{Store: st, Searcher: servertest.NewSearcher(st), Accounts: st}
}

// newTeam builds the team fixture on the in-memory backend.
func newTeam(t testing.TB, opts ...teamOpt) *team { return newTeamOn(t, memory, opts...) }

// newTeamOn builds the team fixture on a backend.
func newTeamOn(t testing.TB, be backend, opts ...teamOpt) *team {
	t.Helper()
	ctx := context.Background()
	tm := &team{t: t, now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		tokens: map[string]string{}, users: map[string]*annotation.User{}}
	var cfg server.Config
	tm.st, tm.acc, cfg = be(t, func() time.Time { return tm.now })
	for _, name := range []string{owner, editor, viewer, outsider} {
		u := &annotation.User{Username: name, DisplayName: strings.ToUpper(name[:1]) + name[1:] + " Person"}
		if _, err := tm.acc.CreateUser(ctx, u, testUnset); err != nil {
			t.Fatal(err)
		}
		tm.users[name] = u
		secret := accounts.NewSecret()
		if err := tm.acc.PutToken(ctx, &annotation.Token{UserID: u.ID, Name: "test", Hash: accounts.HashSecret(secret), Created: tm.now}); err != nil {
			t.Fatal(err)
		}
		tm.tokens[name] = secret
	}
	tm.desk = &annotation.Group{Name: "Desk"}
	tm.other = &annotation.Group{Name: "Other"}
	must(t, tm.acc.PutGroup(ctx, tm.desk, tm.users[owner].ID))
	must(t, tm.acc.PutGroup(ctx, tm.other, tm.users[outsider].ID))
	must(t, tm.acc.PutMember(ctx, &annotation.Member{GroupID: tm.desk.ID, UserID: tm.users[editor].ID, Role: annotation.Editor, Added: tm.now}))
	must(t, tm.acc.PutMember(ctx, &annotation.Member{GroupID: tm.desk.ID, UserID: tm.users[viewer].ID, Role: annotation.Viewer, Added: tm.now}))

	tm.artD = &annotation.Article{ID: "artD", Title: "Budget talks", Text: teamText, GroupID: tm.desk.ID, Creator: tm.users[owner].ID}
	tm.artO = &annotation.Article{ID: "artO", Title: "Elsewhere", Text: "Other news\n\nThe mayor said the bridge will open.", GroupID: tm.other.ID, Creator: tm.users[outsider].ID}
	for _, a := range []*annotation.Article{tm.artD, tm.artO} {
		if _, err := tm.st.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	tm.put(tm.ann("pub", tm.artD, "talks had stalled", annotation.Claim, "The minister", owner, annotation.VisibleToGroup))
	priv := tm.ann("priv", tm.artD, "The union denied it flatly", annotation.Denial, "Secret Speaker", editor, annotation.VisibleToSelf)
	priv.Tags = []string{"secret-tag"}
	priv.Note = "private-note-words"
	priv.Relations = []annotation.Relation{{Type: annotation.Supports, Target: "pub"}}
	tm.put(priv)
	pub2 := tm.ann("pub2", tm.artD, "An adviser proposed a new round", annotation.Proposal, "An adviser", owner, annotation.VisibleToGroup)
	pub2.Relations = []annotation.Relation{{Type: annotation.Supports, Target: "priv"}}
	tm.put(pub2)
	tm.put(tm.ann("oth", tm.artO, "the bridge will open", annotation.Claim, "The mayor", outsider, annotation.VisibleToGroup))

	tm.cfg = cfg
	tm.cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	tm.cfg.Now = func() time.Time { return tm.now }
	for _, o := range opts {
		o(&tm.cfg)
	}
	tm.h = server.New(tm.cfg)
	return tm
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// ann returns an annotation of art on quote, made by the caller by.
func (tm *team) ann(id string, art *annotation.Article, quote string, k annotation.Kind, speaker, by string, v annotation.Visibility) *annotation.Annotation {
	i := strings.Index(art.Text, quote)
	if i < 0 {
		tm.t.Fatalf("%q is not in %s", quote, art.ID)
	}
	start := annotation.RuneLen(art.Text[:i])
	return &annotation.Annotation{ID: id, ArticleID: art.ID, Kind: k, Speaker: speaker, Creator: tm.users[by].ID, Visibility: v,
		Target: annotation.Target{Quote: annotation.Quote{Exact: quote}, Position: annotation.Position{Start: start, End: start + annotation.RuneLen(quote)}}}
}

// put stores a directly in the store.
func (tm *team) put(a *annotation.Annotation) {
	tm.t.Helper()
	if _, err := tm.st.PutAnnotation(context.Background(), a, ""); err != nil {
		tm.t.Fatal(err)
	}
}

// treq is one request in the team tests.
type treq struct {
	method, path string
	body         string            // sent as application/json unless header says
	header       map[string]string // extra headers
	cookie       string            // the session cookie's value, if any
}

// do sends rq as the caller as (bearer token; none for anon) and returns
// the recorded answer.
func (tm *team) do(as string, rq treq) *httptest.ResponseRecorder {
	tm.t.Helper()
	var body io.Reader
	if rq.body != "" {
		body = strings.NewReader(rq.body)
	}
	r := httptest.NewRequest(rq.method, rq.path, body)
	if rq.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range rq.header {
		r.Header.Set(k, v)
	}
	if rq.cookie != "" {
		r.AddCookie(&http.Cookie{Name: accounts.CookieName, Value: rq.cookie})
	}
	if s, ok := tm.tokens[as]; ok {
		r.Header.Set("Authorization", "Bearer "+s)
	}
	rec := httptest.NewRecorder()
	tm.h.ServeHTTP(rec, r)
	return rec
}

// decode decodes rec's JSON body into v.
func decode(t testing.TB, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("decoding %s: %v", rec.Body, err)
	}
}

// annJSON returns the JSON of annotation a as a client would send it.
func annJSON(a *annotation.Annotation) string {
	b, _ := json.Marshal(a)
	return string(b)
}

// session stores a new session of the caller as and returns its secret.
func (tm *team) session(as string) string {
	tm.t.Helper()
	secret := accounts.NewSecret()
	must(tm.t, tm.acc.PutSession(context.Background(), &annotation.Session{ID: accounts.HashSecret(secret), UserID: tm.users[as].ID,
		Created: tm.now, LastSeen: tm.now, Expires: tm.now.Add(accounts.SessionLifetime)}))
	return secret
}

// sessionCookie returns the session cookie rec sets, nil when none.
func sessionCookie(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == accounts.CookieName {
			return c
		}
	}
	return nil
}
