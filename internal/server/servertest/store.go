// Package servertest provides an in-memory annotation.Store and an
// annotation.Searcher over it (package memsearch), for testing HTTP code (packages server and
// client) without bbolt or bleve. It imports only the standard library
// and the stdlib-only packages annotation, anchor and memsearch, so client
// tests can use it under js/wasm too.
//
// The Store passes the contract suite of package storetest, like package
// store (bbolt), and applies the same write rules (annotation.PrepareArticle,
// PrepareImport, ETagMatches, SameContent; anchor.Resolve and Reanchor):
// titles trimmed and URLs made canonical, a retried PutAnnotation whose
// content is already stored succeeds whatever its If-Match, a changed text
// kept as a version with the annotations re-anchored, an annotation made on
// an earlier version accepted, Import validated and applied all or nothing,
// and every call failed once its context has ended. It is not built for
// speed.
//
// The Store is also an annotation.AccountStore (users, groups, members,
// sessions, tokens, tickets, Adopt) with the rules of package annotation
// that package store applies too (StampArticle, StampAnnotation,
// CheckMemberChange, PrepareUser, PrepareToken, …), so that server tests
// can run with accounts.
package servertest

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"claimmark/internal/annotation"
)

var (
	_ annotation.Store          = (*Store)(nil)
	_ annotation.Linker         = (*Store)(nil)
	_ annotation.CheckedPutter  = (*Store)(nil)
	_ annotation.CheckedDeleter = (*Store)(nil)
)

// Store is an in-memory annotation.Store, safe for concurrent use. It hands
// out and keeps copies, so callers may change what they pass or get.
type Store struct {
	// Now returns the time stamps of writes; nil means time.Now. Set it
	// before first use.
	Now func() time.Time
	// Fail, when set, is called with the method name ("PutAnnotation", …)
	// at the start of every method; a non-nil result is returned as the
	// method's error, to test how callers handle failures. Set it before
	// first use.
	Fail func(method string) error

	mu  sync.Mutex
	st  state    // guarded by mu
	acc accounts // guarded by mu
}

// state is everything a Store holds. Its maps hold values that are never
// changed in place, only replaced, so a copy of the maps (clone) is a
// snapshot that Import can go back to.
type state struct {
	articles    map[string]*annotation.Article    // with their text
	annotations map[string]*annotation.Annotation //
	changes     []annotation.Change               // in Seq order
	seq         uint64                            // the last Seq assigned
	versions    map[string][]version              // earlier texts by article id, oldest first
	textSince   map[string]time.Time              // when the current text of an article was stored
	speakers    map[string]*annotation.Speaker    // speaker identities by id
	// linksTo maps an annotation id to the ids of the annotations that
	// link to it, sorted; kept by setAnnotation and removeAnnotation.
	linksTo map[string][]string
	// rejections holds each person's rejected suggestions (rejections.go).
	rejections map[rejectionsOf]*annotation.Rejections
}

// clone returns a copy of s that shares only immutable values with it.
func (s *state) clone() state {
	return state{
		articles:    maps.Clone(s.articles),
		annotations: maps.Clone(s.annotations),
		changes:     slices.Clone(s.changes),
		seq:         s.seq,
		versions:    maps.Clone(s.versions),
		textSince:   maps.Clone(s.textSince),
		speakers:    maps.Clone(s.speakers),
		linksTo:     maps.Clone(s.linksTo),
		rejections:  maps.Clone(s.rejections),
	}
}

// NewStore returns an empty Store.
func NewStore() *Store {
	return &Store{st: state{
		articles:    map[string]*annotation.Article{},
		annotations: map[string]*annotation.Annotation{},
		changes:     []annotation.Change{},
		versions:    map[string][]version{},
		textSince:   map[string]time.Time{},
		speakers:    map[string]*annotation.Speaker{},
		linksTo:     map[string][]string{},
		rejections:  map[rejectionsOf]*annotation.Rejections{},
	}, acc: newAccounts()}
}

// now returns the time stamp of a write, as package store makes it: UTC,
// without a monotonic reading.
func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// begin starts a call of method: it returns the error Fail gives it, or
// ctx's error, as package store fails every call once ctx has ended.
func (s *Store) begin(ctx context.Context, method string) error {
	if s.Fail != nil {
		if err := s.Fail(method); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// logChange records a change of annotation id. It needs s.mu held.
func (s *state) logChange(id string) { s.logArticleChange(id, "") }

// logArticleChange records a change of annotation id logged because fields
// of its article (article, when not "") shown with hits changed
// (annotation.Change.Article). It needs s.mu held.
func (s *state) logArticleChange(id, article string) {
	s.seq++
	s.changes = append(s.changes, annotation.Change{Seq: s.seq, AnnotationID: id, Article: article})
}

// noteLogPosition notes the last Seq assigned in ctx's LogPosition
// (annotation.NoteLogPosition) when a write has logged changes since the
// Seq before. It needs s.mu held: deferred after the Unlock, it runs first.
func (s *Store) noteLogPosition(ctx context.Context, before uint64) {
	if s.st.seq > before {
		annotation.NoteLogPosition(ctx, s.st.seq)
	}
}

// annotationIDs returns the ids of the annotations of article id, in id
// order.
func (s *state) annotationIDs(articleID string) []string {
	var ids []string
	for id, a := range s.annotations {
		if a.ArticleID == articleID {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Articles implements annotation.Store.
func (s *Store) Articles(ctx context.Context) ([]annotation.ArticleSummary, error) {
	if err := s.begin(ctx, "Articles"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := map[string]*annotation.Counts{}
	for _, a := range s.st.annotations {
		c := counts[a.ArticleID]
		if c == nil {
			c = &annotation.Counts{}
			counts[a.ArticleID] = c
		}
		c.Add(a.Kind, 1)
	}
	out := make([]annotation.ArticleSummary, 0, len(s.st.articles))
	for _, a := range s.st.articles {
		var c annotation.Counts
		if p := counts[a.ID]; p != nil {
			c = *p
		}
		out = append(out, a.Summary(c))
	}
	slices.SortFunc(out, func(x, y annotation.ArticleSummary) int {
		return cmp.Or(y.Created.Compare(x.Created), strings.Compare(x.ID, y.ID))
	})
	return out, nil
}

// Article implements annotation.Store.
func (s *Store) Article(ctx context.Context, id string) (*annotation.Article, error) {
	if err := s.begin(ctx, "Article"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.st.articles[id]
	if !ok {
		return nil, annotation.ArticleNotFound(id)
	}
	c := *a
	return &c, nil
}

// duplicate returns the id of an article other than a.ID with a's URL or
// text hash, and what they share; id is "" when there is none.
func (s *state) duplicate(a *annotation.Article) (id, what string) {
	for _, o := range slices.Sorted(maps.Keys(s.articles)) {
		if o != a.ID && a.URL != "" && s.articles[o].URL == a.URL {
			return o, "web address"
		}
	}
	for _, o := range slices.Sorted(maps.Keys(s.articles)) {
		if o != a.ID && s.articles[o].TextHash == a.TextHash {
			return o, "text"
		}
	}
	return "", ""
}

// title returns the title of article id for messages.
func (s *state) title(id string) string {
	if a, ok := s.articles[id]; ok {
		return a.Title
	}
	return id
}

// CreateArticle implements annotation.Store.
func (s *Store) CreateArticle(ctx context.Context, a *annotation.Article) (string, error) {
	if err := s.begin(ctx, "CreateArticle"); err != nil {
		return "", err
	}
	if a == nil {
		return "", annotation.Errorf(annotation.Invalid, "No article was given.")
	}
	in, err := annotation.PrepareArticle(a)
	if err != nil {
		return "", err
	}
	if in.ID == "" {
		in.ID = annotation.NewID()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.noteLogPosition(ctx, s.st.seq)
	if _, ok := s.st.articles[in.ID]; ok {
		return in.ID, annotation.Errorf(annotation.Conflict, "An article with id %q is already in the library (“%s”).", in.ID, s.st.title(in.ID))
	}
	if id, what := s.st.duplicate(&in); id != "" {
		return id, annotation.Errorf(annotation.Conflict, "This article is already in the library as “%s” (same %s).", s.st.title(id), what)
	}
	now := s.now()
	in.Created, in.Updated, in.Version = now, now, 1
	s.st.putArticle(nil, &in)
	*a = in
	return "", nil
}

// UpdateArticle implements annotation.Store.
func (s *Store) UpdateArticle(ctx context.Context, a *annotation.Article) error {
	if err := s.begin(ctx, "UpdateArticle"); err != nil {
		return err
	}
	if a == nil {
		return annotation.Errorf(annotation.Invalid, "No article was given.")
	}
	if a.ID == "" {
		return annotation.Errorf(annotation.Invalid, "The article to update needs its id.")
	}
	in, err := annotation.PrepareArticle(a)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.noteLogPosition(ctx, s.st.seq)
	old, ok := s.st.articles[in.ID]
	if !ok {
		return annotation.ArticleNotFound(in.ID)
	}
	if id, what := s.st.duplicate(&in); id != "" {
		return annotation.Errorf(annotation.Conflict, "Another article in the library, “%s”, has the same %s.", s.st.title(id), what)
	}
	now := s.now()
	in.Created, in.Updated, in.Version = old.Created, now, old.Version+1
	s.st.putArticle(old, &in)
	if old.TextHash != in.TextHash {
		s.st.reanchorArticle(in.ID, old.TextHash, in.Text, now)
	}
	*a = in
	return nil
}

// putArticle stores a copy of a (complete, with TextHash set) over old,
// the stored article of the same id or nil, as package store does: a
// changed text is kept as a version, and when a field shown with search
// hits changed, every annotation of the article gets a change. The group
// and creator of an existing article are kept (annotation.StampArticle),
// in a too.
// Re-anchoring the annotations is the caller's job.
func (s *state) putArticle(old, a *annotation.Article) {
	annotation.StampArticle(a, old)
	c := *a
	s.articles[a.ID] = &c
	if old == nil {
		s.textSince[a.ID] = a.Updated
		return
	}
	if old.TextHash != a.TextHash {
		s.keepVersion(old)
		s.textSince[a.ID] = a.Updated
	}
	if old.Title != a.Title || old.URL != a.URL || old.Source != a.Source ||
		!old.Published.Equal(a.Published) || old.TextHash != a.TextHash {
		for _, id := range s.annotationIDs(a.ID) {
			s.logArticleChange(id, a.ID)
		}
	}
}

// DeleteArticle implements annotation.Store.
func (s *Store) DeleteArticle(ctx context.Context, id string) error {
	if err := s.begin(ctx, "DeleteArticle"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.noteLogPosition(ctx, s.st.seq)
	if _, ok := s.st.articles[id]; !ok {
		return annotation.ArticleNotFound(id)
	}
	for _, aid := range s.st.annotationIDs(id) {
		s.st.removeAnnotation(aid)
		s.st.logChange(aid)
	}
	delete(s.st.articles, id)
	delete(s.st.versions, id)
	delete(s.st.textSince, id)
	s.st.deleteRejections(id)
	return nil
}

// Walk implements annotation.Store. Like package store, it returns seq 0
// with fn's error.
func (s *Store) Walk(ctx context.Context, fn func(*annotation.Annotation) error) (uint64, error) {
	if err := s.begin(ctx, "Walk"); err != nil {
		return 0, err
	}
	s.mu.Lock()
	seq := s.st.seq
	all := make([]*annotation.Annotation, 0, len(s.st.annotations))
	for _, id := range slices.Sorted(maps.Keys(s.st.annotations)) {
		all = append(all, s.st.annotations[id].Clone())
	}
	s.mu.Unlock()
	for _, a := range all {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := fn(a); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

// Changes implements annotation.ChangeLog. A limit of 0 or less means no
// limit, and the slice is empty, not nil, when there are no changes.
func (s *Store) Changes(ctx context.Context, after uint64, limit int) ([]annotation.Change, uint64, error) {
	if err := s.begin(ctx, "Changes"); err != nil {
		return nil, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []annotation.Change{}
	for _, c := range s.st.changes {
		if c.Seq > after && (limit <= 0 || len(out) < limit) {
			out = append(out, c)
		}
	}
	return out, s.st.seq, nil
}

// TrimChanges implements annotation.ChangeLog.
func (s *Store) TrimChanges(ctx context.Context, upTo uint64) error {
	if err := s.begin(ctx, "TrimChanges"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.changes = slices.DeleteFunc(s.st.changes, func(c annotation.Change) bool { return c.Seq <= upTo })
	return nil
}
