package index

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"claimmark/internal/annotation"
)

// fakeStore is an in-memory annotation.Store with a change log, enough
// to drive the index: one change-log entry (own seq) per annotation
// written or deleted, as the bbolt store does, including one per
// annotation of an article whose title changes or which is deleted.
// FailAnnotation, when set, makes Annotation fail (an unreadable store).
type fakeStore struct {
	mu        sync.Mutex
	articles  map[string]*annotation.Article
	anns      map[string]*annotation.Annotation
	log       []annotation.Change
	seq       uint64
	trimmedTo uint64
	now       time.Time

	FailAnnotation error
}

var _ annotation.Store = (*fakeStore)(nil)

func newFakeStore() *fakeStore {
	return &fakeStore{
		articles: map[string]*annotation.Article{},
		anns:     map[string]*annotation.Annotation{},
		now:      time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
	}
}

func (f *fakeStore) logChange(id string) {
	f.seq++
	f.log = append(f.log, annotation.Change{Seq: f.seq, AnnotationID: id})
}

func (f *fakeStore) tick() time.Time {
	f.now = f.now.Add(time.Second)
	return f.now
}

func clone[T any](v *T) *T {
	c := *v
	return &c
}

func (f *fakeStore) Articles(ctx context.Context) ([]annotation.ArticleSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	counts := map[string]*annotation.Counts{}
	for _, a := range f.anns {
		if counts[a.ArticleID] == nil {
			counts[a.ArticleID] = &annotation.Counts{}
		}
		counts[a.ArticleID].Add(a.Kind, 1)
	}
	var out []annotation.ArticleSummary
	for _, a := range f.articles {
		var c annotation.Counts
		if counts[a.ID] != nil {
			c = *counts[a.ID]
		}
		out = append(out, a.Summary(c))
	}
	slices.SortFunc(out, func(a, b annotation.ArticleSummary) int { return b.Created.Compare(a.Created) })
	return out, nil
}

func (f *fakeStore) Article(ctx context.Context, id string) (*annotation.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := f.articles[id]
	if a == nil {
		return nil, annotation.Errorf(annotation.NotFound, "No article %s.", id)
	}
	return clone(a), nil
}

func (f *fakeStore) CreateArticle(ctx context.Context, a *annotation.Article) (string, error) {
	if err := a.Validate(); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if a.ID == "" {
		a.ID = annotation.NewID()
	}
	if f.articles[a.ID] != nil {
		return a.ID, annotation.Errorf(annotation.Conflict, "Article %s exists.", a.ID)
	}
	now := f.tick()
	a.TextHash, a.Created, a.Updated, a.Version = annotation.HashText(a.Text), now, now, 1
	f.seq++ // article writes take a seq too, without an annotation entry
	f.articles[a.ID] = clone(a)
	return "", nil
}

func (f *fakeStore) UpdateArticle(ctx context.Context, a *annotation.Article) error {
	if err := a.Validate(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	old := f.articles[a.ID]
	if old == nil {
		return annotation.Errorf(annotation.NotFound, "No article %s.", a.ID)
	}
	a.TextHash, a.Created, a.Updated, a.Version = annotation.HashText(a.Text), old.Created, f.tick(), old.Version+1
	f.seq++
	if a.Title != old.Title {
		for _, id := range f.idsOf(a.ID) {
			f.logChange(id)
			f.log[len(f.log)-1].Article = a.ID
		}
	}
	f.articles[a.ID] = clone(a)
	return nil
}

func (f *fakeStore) idsOf(articleID string) []string {
	var ids []string
	for id, x := range f.anns {
		if x.ArticleID == articleID {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (f *fakeStore) DeleteArticle(ctx context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.articles[id] == nil {
		return annotation.Errorf(annotation.NotFound, "No article %s.", id)
	}
	for _, aid := range f.idsOf(id) {
		delete(f.anns, aid)
		f.logChange(aid)
	}
	delete(f.articles, id)
	return nil
}

func (f *fakeStore) Annotations(ctx context.Context, articleID string) ([]*annotation.Annotation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.articles[articleID] == nil {
		return nil, annotation.Errorf(annotation.NotFound, "No article %s.", articleID)
	}
	var out []*annotation.Annotation
	for _, id := range f.idsOf(articleID) {
		out = append(out, clone(f.anns[id]))
	}
	slices.SortFunc(out, func(a, b *annotation.Annotation) int {
		return cmp.Or(cmp.Compare(a.Target.Position.Start, b.Target.Position.Start), cmp.Compare(a.Target.Position.End, b.Target.Position.End), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

func (f *fakeStore) Annotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.FailAnnotation != nil {
		return nil, f.FailAnnotation
	}
	a := f.anns[id]
	if a == nil {
		return nil, annotation.Errorf(annotation.NotFound, "No annotation %s.", id)
	}
	return clone(a), nil
}

func (f *fakeStore) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	art := f.articles[a.ArticleID]
	if art == nil {
		return false, annotation.Errorf(annotation.NotFound, "No article %s.", a.ArticleID)
	}
	a.Clean(art.Text)
	if err := a.Validate(art.Text); err != nil {
		return false, err
	}
	old := f.anns[a.ID]
	switch {
	case ifMatch == "*" && old == nil:
		return false, annotation.Errorf(annotation.PreconditionFailed, "No annotation %s.", a.ID)
	case ifMatch != "" && ifMatch != "*" && (old == nil || old.ETag() != ifMatch):
		return false, annotation.Errorf(annotation.PreconditionFailed, "Stale revision.")
	}
	now := f.tick()
	a.Modified, a.Revision = now, 1
	if old != nil {
		a.Created, a.Revision = old.Created, old.Revision+1
	} else if a.Created.IsZero() {
		a.Created = now
	}
	f.anns[a.ID] = clone(a)
	f.logChange(a.ID)
	return old == nil, nil
}

func (f *fakeStore) DeleteAnnotation(ctx context.Context, id, ifMatch string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	old := f.anns[id]
	if old == nil {
		return annotation.Errorf(annotation.NotFound, "No annotation %s.", id)
	}
	if ifMatch != "" && ifMatch != "*" && old.ETag() != ifMatch {
		return annotation.Errorf(annotation.PreconditionFailed, "Stale revision.")
	}
	delete(f.anns, id)
	f.logChange(id)
	return nil
}

func (f *fakeStore) Import(ctx context.Context, articles []*annotation.Article, anns []*annotation.Annotation) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range articles {
		f.articles[a.ID] = clone(a)
	}
	for _, a := range anns {
		f.anns[a.ID] = clone(a)
		f.logChange(a.ID)
	}
	return nil
}

func (f *fakeStore) Walk(ctx context.Context, fn func(*annotation.Annotation) error) (uint64, error) {
	f.mu.Lock()
	seq := f.seq
	ids := make([]string, 0, len(f.anns))
	for id := range f.anns {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	snap := make([]*annotation.Annotation, len(ids))
	for i, id := range ids {
		snap[i] = clone(f.anns[id])
	}
	f.mu.Unlock()
	for _, a := range snap {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := fn(a); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

func (f *fakeStore) Changes(ctx context.Context, after uint64, limit int) ([]annotation.Change, uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []annotation.Change
	for _, c := range f.log {
		if c.Seq > after && (limit <= 0 || len(out) < limit) {
			out = append(out, c)
		}
	}
	return out, f.seq, nil
}

func (f *fakeStore) TrimChanges(ctx context.Context, upTo uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = slices.DeleteFunc(f.log, func(c annotation.Change) bool { return c.Seq <= upTo })
	f.trimmedTo = max(f.trimmedTo, upTo)
	return nil
}

// state returns the seq and the number of change-log entries kept.
func (f *fakeStore) state() (seq uint64, logged int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq, len(f.log)
}

func (f *fakeStore) setFailure(err error) {
	f.mu.Lock()
	f.FailAnnotation = err
	f.mu.Unlock()
}
