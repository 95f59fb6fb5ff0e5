package exchange

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"claimmark/annotation"
)

// memStore is an in-memory annotation.Store for tests. It copies values in
// and out, so callers cannot change what it holds behind its back.
type memStore struct {
	mu      sync.Mutex
	arts    map[string]*annotation.Article
	anns    map[string]*annotation.Annotation
	seq     uint64
	imports int // calls to Import
	now     time.Time
}

var _ annotation.Store = (*memStore)(nil)

func newMemStore() *memStore {
	return &memStore{
		arts: map[string]*annotation.Article{},
		anns: map[string]*annotation.Annotation{},
		now:  time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC),
	}
}

func copyArticle(a *annotation.Article) *annotation.Article { c := *a; return &c }

func copyAnnotation(a *annotation.Annotation) *annotation.Annotation {
	c := *a
	c.Tags = slices.Clone(a.Tags)
	return &c
}

func notFound(what, id string) error {
	return annotation.Errorf(annotation.NotFound, "%s %s not found.", what, id)
}

func (s *memStore) Articles(ctx context.Context) ([]annotation.ArticleSummary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []annotation.ArticleSummary
	for _, a := range s.arts {
		var c annotation.Counts
		for _, x := range s.anns {
			if x.ArticleID == a.ID {
				c.Add(x.Kind, 1)
			}
		}
		out = append(out, a.Summary(c))
	}
	slices.SortFunc(out, func(a, b annotation.ArticleSummary) int {
		return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

func (s *memStore) Article(ctx context.Context, id string) (*annotation.Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.arts[id]
	if !ok {
		return nil, notFound("Article", id)
	}
	return copyArticle(a), nil
}

func (s *memStore) CreateArticle(ctx context.Context, a *annotation.Article) (string, error) {
	if err := a.Validate(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.ID == "" {
		a.ID = annotation.NewID()
	}
	if a.URL != "" {
		a.URL, _ = annotation.CanonicalURL(a.URL)
	}
	a.TextHash = annotation.HashText(a.Text)
	for _, b := range s.arts {
		if b.ID == a.ID || (a.URL != "" && b.URL == a.URL) || b.TextHash == a.TextHash {
			return b.ID, annotation.Errorf(annotation.Conflict, "The article %q is already stored.", b.Title)
		}
	}
	a.Created, a.Updated, a.Version = s.now, s.now, 1
	s.arts[a.ID] = copyArticle(a)
	return "", nil
}

func (s *memStore) UpdateArticle(ctx context.Context, a *annotation.Article) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.arts[a.ID]
	if !ok {
		return notFound("Article", a.ID)
	}
	a.Created, a.Updated, a.Version, a.TextHash = old.Created, s.now, old.Version+1, annotation.HashText(a.Text)
	s.arts[a.ID] = copyArticle(a)
	return nil
}

func (s *memStore) DeleteArticle(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.arts[id]; !ok {
		return notFound("Article", id)
	}
	delete(s.arts, id)
	for k, a := range s.anns {
		if a.ArticleID == id {
			delete(s.anns, k)
		}
	}
	return nil
}

func (s *memStore) Annotations(ctx context.Context, articleID string) ([]*annotation.Annotation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.arts[articleID]; !ok {
		return nil, notFound("Article", articleID)
	}
	var out []*annotation.Annotation
	for _, a := range s.anns {
		if a.ArticleID == articleID {
			out = append(out, copyAnnotation(a))
		}
	}
	slices.SortFunc(out, func(a, b *annotation.Annotation) int {
		return cmp.Or(cmp.Compare(a.Target.Position.Start, b.Target.Position.Start),
			cmp.Compare(a.Target.Position.End, b.Target.Position.End), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

func (s *memStore) Annotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.anns[id]
	if !ok {
		return nil, notFound("Annotation", id)
	}
	return copyAnnotation(a), nil
}

func (s *memStore) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	art, ok := s.arts[a.ArticleID]
	if !ok {
		return false, notFound("Article", a.ArticleID)
	}
	a.Clean(art.Text)
	if err := a.Validate(art.Text); err != nil {
		return false, err
	}
	old, exists := s.anns[a.ID]
	if ifMatch != "" && (!exists || (ifMatch != "*" && ifMatch != old.ETag())) {
		return false, annotation.Errorf(annotation.PreconditionFailed, "Stale.")
	}
	a.Modified, a.Revision = s.now, 1
	if exists {
		a.Created, a.Revision = old.Created, old.Revision+1
	} else {
		a.Created = s.now
	}
	s.anns[a.ID] = copyAnnotation(a)
	s.seq++
	return !exists, nil
}

func (s *memStore) DeleteAnnotation(ctx context.Context, id, ifMatch string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.anns[id]; !ok {
		return notFound("Annotation", id)
	}
	delete(s.anns, id)
	s.seq++
	return nil
}

func (s *memStore) Import(ctx context.Context, arts []*annotation.Article, anns []*annotation.Annotation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.imports++
	for _, a := range arts {
		s.arts[a.ID] = copyArticle(a)
	}
	for _, a := range anns {
		s.anns[a.ID] = copyAnnotation(a)
		s.seq++
	}
	return nil
}

func (s *memStore) Walk(ctx context.Context, fn func(*annotation.Annotation) error) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.anns))
	for id := range s.anns {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := fn(copyAnnotation(s.anns[id])); err != nil {
			return 0, err
		}
	}
	return s.seq, nil
}

func (s *memStore) Changes(ctx context.Context, after uint64, limit int) ([]annotation.Change, uint64, error) {
	return nil, s.seq, nil
}

func (s *memStore) TrimChanges(ctx context.Context, upTo uint64) error { return nil }

// snapshot returns everything st holds as JSON, for "nothing changed"
// assertions.
func snapshot(t testing.TB, st annotation.Store) string {
	t.Helper()
	ctx := context.Background()
	sums, err := st.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range sums {
		a, err := st.Article(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		anns, err := st.Annotations(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		j, _ := json.Marshal(struct {
			A *annotation.Article
			N []*annotation.Annotation
		}{a, anns})
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}
