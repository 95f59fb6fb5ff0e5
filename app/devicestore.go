package app

import (
	"cmp"
	"slices"
	"sync"

	"claimmark/internal/annotation"
)

// device is what the app keeps on this device so that it works without the
// server: copies of the articles opened and of their annotations as the
// server last sent them, the outbox of changes not yet acknowledged, and
// the conflicts waiting for a person to choose. In the browser it is
// IndexedDB (idbDevice); natively and when IndexedDB is missing it is
// memDevice.
//
// Its methods block until the data is durable (or read) and must not be
// called from a go-app event handler or any other JavaScript callback:
// call them from ctx.Async or the outbox's own goroutines.
type device interface {
	// LoadOps returns every queued operation in key order.
	LoadOps() ([]*op, error)
	// PutOp stores p under p.Key, replacing what was there.
	PutOp(p *op) error
	// SwapOp replaces the operation stored under key with next (or removes
	// it when next is nil) only if the stored one has generation gen, and
	// reports whether it did.
	SwapOp(key string, gen int, next *op) (bool, error)
	// Apply makes the writes of w in one transaction: all of them, in
	// order, or (when it returns an error) none.
	Apply(w *deviceWrites) error

	// Conflicts returns the conflicts waiting for a decision.
	Conflicts() ([]*conflict, error)
	// PutConflict stores c under c.ID (the annotation's id).
	PutConflict(c *conflict) error
	// DeleteConflict forgets the conflict about annotation id.
	DeleteConflict(id string) error

	// PutArticle keeps a copy of an article.
	PutArticle(a *annotation.Article) error
	// Article returns the copy of article id, or nil when there is none.
	Article(id string) (*annotation.Article, error)
	// Articles returns the copies of every article kept.
	Articles() ([]*annotation.Article, error)
	// SetAnnotations replaces the kept annotations of an article with list
	// (the server's answer).
	SetAnnotations(articleID string, list []*annotation.Annotation) error
	// PutAnnotation keeps the server's copy of one annotation.
	PutAnnotation(a *annotation.Annotation) error
	// DeleteAnnotation forgets the copy of annotation id.
	DeleteAnnotation(id string) error
	// Annotations returns the kept annotations of an article by position.
	Annotations(articleID string) ([]*annotation.Annotation, error)
	// AllAnnotations returns every kept annotation.
	AllAnnotations() ([]*annotation.Annotation, error)

	// PutLibrary keeps the server's list of articles as last seen online,
	// replacing the one kept before.
	PutLibrary(list []annotation.ArticleSummary) error
	// Library returns the list kept by PutLibrary, or nil when there is none.
	Library() ([]annotation.ArticleSummary, error)

	// PutSpeakers keeps speaker identities as the server sent them (or as
	// a merge made here left them, see applySpeakerMerge): when all, list
	// is every identity and replaces those kept; otherwise the listed ones
	// are added or replaced (speakerstore.go).
	PutSpeakers(list []annotation.SpeakerSummary, all bool) error
	// DeleteSpeaker forgets identity id.
	DeleteSpeaker(id string) error
	// Speakers returns the identities kept, as SortSpeakers orders them.
	Speakers() ([]annotation.SpeakerSummary, error)
}

// deviceWrites is a group of writes to the device store made together
// (device.Apply): the outbox gathers those of a whole batch of answers, so
// that a thousand acknowledged operations cost a few transactions, not
// three each.
type deviceWrites struct {
	// Swaps are SwapOp calls, made in order: a swap whose operation is no
	// longer stored at its generation does nothing (another tab replaced
	// it, and the newer version stays).
	Swaps []opSwap
	// Anns are writes of the copies of annotations, in order.
	Anns []annWrite
	// Conflicts are stored under their ids.
	Conflicts []*conflict
}

// opSwap replaces the operation stored under Key with Next (removes it
// when Next is nil) if its stored generation is Gen.
type opSwap struct {
	Key  string
	Gen  int
	Next *op
}

// annWrite stores Put, or forgets annotation Delete when Put is nil.
type annWrite struct {
	Put    *annotation.Annotation
	Delete string
}

// empty reports whether w holds no write.
func (w *deviceWrites) empty() bool {
	return len(w.Swaps) == 0 && len(w.Anns) == 0 && len(w.Conflicts) == 0
}

// memDevice is a device in memory: for native tests, prerendering and
// browsers without IndexedDB (where changes then last as long as the tab).
type memDevice struct {
	mu        sync.Mutex
	ops       map[string]op
	conflicts map[string]conflict
	arts      map[string]annotation.Article
	anns      map[string]annotation.Annotation
	library   []annotation.ArticleSummary
	speakers  map[string]annotation.SpeakerSummary
}

// newMemDevice returns an empty memDevice.
func newMemDevice() *memDevice {
	return &memDevice{ops: map[string]op{}, conflicts: map[string]conflict{}, arts: map[string]annotation.Article{}, anns: map[string]annotation.Annotation{}, speakers: map[string]annotation.SpeakerSummary{}}
}

var _ device = (*memDevice)(nil)

func (m *memDevice) LoadOps() ([]*op, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*op, 0, len(m.ops))
	for _, p := range m.ops {
		out = append(out, p.clone())
	}
	slices.SortFunc(out, func(a, b *op) int { return cmp.Compare(a.Key, b.Key) })
	return out, nil
}

func (m *memDevice) PutOp(p *op) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ops[p.Key] = *p.clone()
	return nil
}

func (m *memDevice) SwapOp(key string, gen int, next *op) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.ops[key]
	if !ok || cur.Gen != gen {
		return false, nil
	}
	if next == nil {
		delete(m.ops, key)
	} else {
		m.ops[key] = *next.clone()
	}
	return true, nil
}

func (m *memDevice) Apply(w *deviceWrites) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, sw := range w.Swaps {
		if cur, ok := m.ops[sw.Key]; !ok || cur.Gen != sw.Gen {
			continue
		}
		if sw.Next == nil {
			delete(m.ops, sw.Key)
		} else {
			m.ops[sw.Key] = *sw.Next.clone()
		}
	}
	for _, a := range w.Anns {
		if a.Put != nil {
			m.anns[a.Put.ID] = *a.Put.Clone()
		} else {
			delete(m.anns, a.Delete)
		}
	}
	for _, c := range w.Conflicts {
		m.conflicts[c.ID] = *c
	}
	return nil
}

func (m *memDevice) Conflicts() ([]*conflict, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*conflict, 0, len(m.conflicts))
	for _, c := range m.conflicts {
		c := c
		out = append(out, &c)
	}
	slices.SortFunc(out, func(a, b *conflict) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

func (m *memDevice) PutConflict(c *conflict) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.conflicts[c.ID] = *c
	return nil
}

func (m *memDevice) DeleteConflict(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.conflicts, id)
	return nil
}

func (m *memDevice) PutArticle(a *annotation.Article) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.arts[a.ID] = *a
	return nil
}

func (m *memDevice) Article(id string) (*annotation.Article, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if a, ok := m.arts[id]; ok {
		return &a, nil
	}
	return nil, nil
}

func (m *memDevice) Articles() ([]*annotation.Article, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*annotation.Article, 0, len(m.arts))
	for _, a := range m.arts {
		a := a
		out = append(out, &a)
	}
	sortArticles(out)
	return out, nil
}

func (m *memDevice) SetAnnotations(articleID string, list []*annotation.Annotation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, a := range m.anns {
		if a.ArticleID == articleID {
			delete(m.anns, id)
		}
	}
	for _, a := range list {
		m.anns[a.ID] = *a.Clone()
	}
	return nil
}

func (m *memDevice) PutAnnotation(a *annotation.Annotation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.anns[a.ID] = *a.Clone()
	return nil
}

func (m *memDevice) DeleteAnnotation(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.anns, id)
	return nil
}

func (m *memDevice) Annotations(articleID string) ([]*annotation.Annotation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*annotation.Annotation
	for _, a := range m.anns {
		if a.ArticleID == articleID {
			out = append(out, a.Clone())
		}
	}
	sortByPosition(out)
	return out, nil
}

func (m *memDevice) AllAnnotations() ([]*annotation.Annotation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*annotation.Annotation, 0, len(m.anns))
	for _, a := range m.anns {
		out = append(out, a.Clone())
	}
	sortByPosition(out)
	return out, nil
}

func (m *memDevice) PutLibrary(list []annotation.ArticleSummary) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.library = slices.Clone(list)
	return nil
}

func (m *memDevice) Library() ([]annotation.ArticleSummary, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.library), nil
}

// sortByPosition orders annotations as the store does: by article, start,
// end, then id.
func sortByPosition(list []*annotation.Annotation) {
	slices.SortFunc(list, func(a, b *annotation.Annotation) int {
		return cmp.Or(cmp.Compare(a.ArticleID, b.ArticleID),
			cmp.Compare(a.Target.Position.Start, b.Target.Position.Start),
			cmp.Compare(a.Target.Position.End, b.Target.Position.End),
			cmp.Compare(a.ID, b.ID))
	})
}

// sortArticles orders articles newest first, as the library lists them.
func sortArticles(list []*annotation.Article) {
	slices.SortFunc(list, func(a, b *annotation.Article) int {
		return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(a.ID, b.ID))
	})
}

// overlay returns the annotations of list (the server's, or the device's
// copy of them) with the queued operations ops applied in order: a put
// adds or replaces, a delete removes. ops for other annotations of other
// articles are ignored when articleID is not empty. The result is ordered
// by position; list is not modified.
func overlay(articleID string, list []*annotation.Annotation, ops []*op) []*annotation.Annotation {
	byID := make(map[string]*annotation.Annotation, len(list))
	order := make([]string, 0, len(list))
	for _, a := range list {
		if _, dup := byID[a.ID]; !dup {
			order = append(order, a.ID)
		}
		byID[a.ID] = a
	}
	for _, p := range ops {
		if articleID != "" && p.ArticleID != articleID {
			continue
		}
		switch p.Kind {
		case opPut:
			if p.Ann == nil {
				continue
			}
			if _, ok := byID[p.ID]; !ok {
				order = append(order, p.ID)
			}
			byID[p.ID] = p.Ann.Clone()
		case opDelete:
			delete(byID, p.ID)
		}
	}
	out := make([]*annotation.Annotation, 0, len(byID))
	for _, id := range order {
		if a, ok := byID[id]; ok {
			out = append(out, a)
			delete(byID, id)
		}
	}
	sortByPosition(out)
	return out
}
