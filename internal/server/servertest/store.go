// Package servertest provides an in-memory annotation.Store and a naive
// annotation.Searcher over it, for testing HTTP code (packages server and
// client) without bbolt or bleve. It imports only the standard library and
// package annotation, so client tests can use it under js/wasm too.
//
// The Store keeps the annotation.Store contract, including validation,
// If-Match, duplicates and the change log, and behaves like package store
// where the contract leaves room: a retried PutAnnotation whose content is
// already stored succeeds whatever its If-Match; a changed text is kept as
// a version and the annotations are re-anchored (package anchor); an
// annotation made on an earlier version is accepted. It is not built for
// speed.
package servertest

import (
	"cmp"
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
)

var _ annotation.Store = (*Store)(nil)

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

	mu          sync.Mutex
	articles    map[string]*annotation.Article    // guarded by mu
	annotations map[string]*annotation.Annotation // guarded by mu
	changes     []annotation.Change               // guarded by mu
	seq         uint64                            // guarded by mu
	versions    map[string][]version              // earlier texts by article id; guarded by mu
	textSince   map[string]time.Time              // when the current text was stored; guarded by mu
}

// NewStore returns an empty Store.
func NewStore() *Store {
	return &Store{
		articles:    map[string]*annotation.Article{},
		annotations: map[string]*annotation.Annotation{},
		versions:    map[string][]version{},
		textSince:   map[string]time.Time{},
	}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Store) fail(method string) error {
	if s.Fail != nil {
		return s.Fail(method)
	}
	return nil
}

// logChange records a change of annotation id. It needs s.mu held.
func (s *Store) logChange(id string) {
	s.seq++
	s.changes = append(s.changes, annotation.Change{Seq: s.seq, AnnotationID: id})
}

func copyAnnotation(a *annotation.Annotation) *annotation.Annotation {
	c := *a
	c.Tags = slices.Clone(a.Tags)
	return &c
}

func articleNotFound(id string) error {
	return annotation.Errorf(annotation.NotFound, "There is no article with id %q.", id)
}

func annotationNotFound(id string) error {
	return annotation.Errorf(annotation.NotFound, "There is no annotation with id %q.", id)
}

// Articles implements annotation.Store.
func (s *Store) Articles(ctx context.Context) ([]annotation.ArticleSummary, error) {
	if err := s.fail("Articles"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := map[string]*annotation.Counts{}
	for _, a := range s.annotations {
		c := counts[a.ArticleID]
		if c == nil {
			c = &annotation.Counts{}
			counts[a.ArticleID] = c
		}
		c.Add(a.Kind, 1)
	}
	out := make([]annotation.ArticleSummary, 0, len(s.articles))
	for _, a := range s.articles {
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
	if err := s.fail("Article"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.articles[id]
	if !ok {
		return nil, articleNotFound(id)
	}
	c := *a
	return &c, nil
}

// duplicate returns the id of an article other than a.ID with a's URL or
// text. It needs s.mu held.
func (s *Store) duplicate(a *annotation.Article) string {
	for _, o := range s.articles {
		if o.ID != a.ID && (a.URL != "" && o.URL == a.URL || o.TextHash == annotation.HashText(a.Text)) {
			return o.ID
		}
	}
	return ""
}

// CreateArticle implements annotation.Store.
func (s *Store) CreateArticle(ctx context.Context, a *annotation.Article) (string, error) {
	if err := s.fail("CreateArticle"); err != nil {
		return "", err
	}
	if err := a.Validate(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id := s.duplicate(a); id != "" {
		return id, annotation.Errorf(annotation.Conflict,
			"This article is already stored as %q (id %s).", s.articles[id].Title, id)
	}
	if a.ID == "" {
		a.ID = annotation.NewID()
	}
	if _, ok := s.articles[a.ID]; ok {
		return a.ID, annotation.Errorf(annotation.Conflict, "An article with id %s already exists.", a.ID)
	}
	now := s.now()
	a.TextHash = annotation.HashText(a.Text)
	a.Created, a.Updated, a.Version = now, now, 1
	c := *a
	s.articles[a.ID] = &c
	return "", nil
}

// UpdateArticle implements annotation.Store.
func (s *Store) UpdateArticle(ctx context.Context, a *annotation.Article) error {
	if err := s.fail("UpdateArticle"); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.articles[a.ID]
	if !ok {
		return articleNotFound(a.ID)
	}
	if id := s.duplicate(a); id != "" {
		return annotation.Errorf(annotation.Conflict,
			"Another article has the same address or text: %q (id %s).", s.articles[id].Title, id)
	}
	a.TextHash = annotation.HashText(a.Text)
	a.Created, a.Updated, a.Version = old.Created, s.now(), old.Version+1
	c := *a
	s.articles[a.ID] = &c
	if old.TextHash != a.TextHash {
		s.newVersion(old, a)
	}
	return nil
}

// DeleteArticle implements annotation.Store.
func (s *Store) DeleteArticle(ctx context.Context, id string) error {
	if err := s.fail("DeleteArticle"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.articles[id]; !ok {
		return articleNotFound(id)
	}
	delete(s.articles, id)
	delete(s.versions, id)
	delete(s.textSince, id)
	for _, aid := range slices.Sorted(maps.Keys(s.annotations)) {
		if s.annotations[aid].ArticleID == id {
			delete(s.annotations, aid)
			s.logChange(aid)
		}
	}
	return nil
}

// Annotations implements annotation.Store.
func (s *Store) Annotations(ctx context.Context, articleID string) ([]*annotation.Annotation, error) {
	if err := s.fail("Annotations"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.articles[articleID]; !ok {
		return nil, articleNotFound(articleID)
	}
	var out []*annotation.Annotation
	for _, a := range s.annotations {
		if a.ArticleID == articleID {
			out = append(out, copyAnnotation(a))
		}
	}
	slices.SortFunc(out, func(x, y *annotation.Annotation) int {
		return cmp.Or(cmp.Compare(x.Target.Position.Start, y.Target.Position.Start),
			cmp.Compare(x.Target.Position.End, y.Target.Position.End), strings.Compare(x.ID, y.ID))
	})
	return out, nil
}

// Annotation implements annotation.Store.
func (s *Store) Annotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	if err := s.fail("Annotation"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.annotations[id]
	if !ok {
		return nil, annotationNotFound(id)
	}
	return copyAnnotation(a), nil
}

// checkIfMatch applies the If-Match rules of PutAnnotation to the stored
// annotation old (nil when none): ifMatch is "", "*" or a comma-separated
// list of entity tags.
func checkIfMatch(id string, old *annotation.Annotation, ifMatch string) error {
	if ifMatch == "" {
		return nil
	}
	if old == nil {
		return annotation.Errorf(annotation.PreconditionFailed,
			"The annotation %s no longer exists, so it cannot match If-Match %s.", id, ifMatch)
	}
	for tag := range strings.SplitSeq(ifMatch, ",") {
		if tag = strings.TrimSpace(tag); tag == "*" || tag == old.ETag() {
			return nil
		}
	}
	return annotation.Errorf(annotation.PreconditionFailed,
		"The annotation %s was changed elsewhere: it is at revision %s, not %s. Reload it and apply your change again.",
		id, old.ETag(), ifMatch)
}

// sameContent reports whether a and b are equal but for their times and
// revision.
func sameContent(a, b *annotation.Annotation) bool {
	x, y := *a, *b
	x.Created, x.Modified, x.Revision = y.Created, y.Modified, y.Revision
	return reflect.DeepEqual(x, y)
}

// PutAnnotation implements annotation.Store.
func (s *Store) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) (bool, error) {
	if err := s.fail("PutAnnotation"); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	art, ok := s.articles[a.ArticleID]
	if !ok {
		if !annotation.ValidID(a.ArticleID) {
			return false, annotation.Errorf(annotation.Invalid, "The annotation needs the id of its article (articleId).")
		}
		return false, articleNotFound(a.ArticleID)
	}
	c := copyAnnotation(a)
	text, earlier := art.Text, false
	if h := c.Target.TextHash; h != "" && h != art.TextHash {
		for _, v := range s.versions[art.ID] {
			if v.hash == h {
				text, earlier = v.text, true
			}
		}
	}
	c.Clean(text)
	if err := c.Validate(text); err != nil {
		return false, err
	}
	if earlier {
		at := anchor.NewText(art.Text)
		at.Settle(c, at.Anchor(c.Target), true)
	} else {
		c.Anchoring = nil
	}
	old := s.annotations[c.ID]
	if err := checkIfMatch(c.ID, old, ifMatch); err != nil {
		if old != nil && sameContent(old, c) {
			// The change was made before: a retry whose answer was lost.
			*a = *copyAnnotation(old)
			return false, nil
		}
		return false, err
	}
	now := s.now()
	c.Modified = now
	if old != nil {
		c.Created, c.Revision = old.Created, old.Revision+1
	} else {
		c.Revision = 1
		if c.Created.IsZero() {
			c.Created = now
		}
	}
	s.annotations[c.ID] = c
	s.logChange(c.ID)
	*a = *copyAnnotation(c)
	return old == nil, nil
}

// DeleteAnnotation implements annotation.Store.
func (s *Store) DeleteAnnotation(ctx context.Context, id, ifMatch string) error {
	if err := s.fail("DeleteAnnotation"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.annotations[id]
	if !ok {
		return annotationNotFound(id)
	}
	if err := checkIfMatch(id, old, ifMatch); err != nil {
		return err
	}
	delete(s.annotations, id)
	s.logChange(id)
	return nil
}

// Import implements annotation.Store.
func (s *Store) Import(ctx context.Context, articles []*annotation.Article, annotations []*annotation.Annotation) error {
	if err := s.fail("Import"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range articles {
		c := *a
		s.articles[a.ID] = &c
	}
	for _, a := range annotations {
		s.annotations[a.ID] = copyAnnotation(a)
		s.logChange(a.ID)
	}
	return nil
}

// Walk implements annotation.Store.
func (s *Store) Walk(ctx context.Context, fn func(*annotation.Annotation) error) (uint64, error) {
	if err := s.fail("Walk"); err != nil {
		return 0, err
	}
	s.mu.Lock()
	seq := s.seq
	all := make([]*annotation.Annotation, 0, len(s.annotations))
	for _, id := range slices.Sorted(maps.Keys(s.annotations)) {
		all = append(all, copyAnnotation(s.annotations[id]))
	}
	s.mu.Unlock()
	for _, a := range all {
		if err := ctx.Err(); err != nil {
			return seq, err
		}
		if err := fn(a); err != nil {
			return seq, err
		}
	}
	return seq, nil
}

// Changes implements annotation.ChangeLog.
func (s *Store) Changes(ctx context.Context, after uint64, limit int) ([]annotation.Change, uint64, error) {
	if err := s.fail("Changes"); err != nil {
		return nil, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []annotation.Change
	for _, c := range s.changes {
		if c.Seq > after && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, s.seq, nil
}

// TrimChanges implements annotation.ChangeLog.
func (s *Store) TrimChanges(ctx context.Context, upTo uint64) error {
	if err := s.fail("TrimChanges"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changes = slices.DeleteFunc(s.changes, func(c annotation.Change) bool { return c.Seq <= upTo })
	return nil
}
