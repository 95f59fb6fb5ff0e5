package index

import (
	"context"
	"sync"

	"claimmark/internal/annotation"
)

// titleCache maps article ids to titles, for the title field of indexed
// documents, Hit.ArticleTitle and the labels of the article facet. Misses
// are loaded from the Store; the Indexing wrapper keeps entries current
// when articles change through it.
type titleCache struct {
	st annotation.Store
	mu sync.RWMutex
	m  map[string]string
}

func newTitleCache(st annotation.Store) *titleCache {
	return &titleCache{st: st, m: map[string]string{}}
}

// get returns the title of article id, or "" if it cannot be found.
func (c *titleCache) get(ctx context.Context, id string) string {
	c.mu.RLock()
	t, ok := c.m[id]
	c.mu.RUnlock()
	if ok {
		return t
	}
	a, err := c.st.Article(ctx, id)
	if err != nil {
		return ""
	}
	c.set(id, a.Title)
	return a.Title
}

// lookup returns the cached title of article id without loading it.
func (c *titleCache) lookup(id string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	t, ok := c.m[id]
	return t, ok
}

func (c *titleCache) set(id, title string) {
	c.mu.Lock()
	c.m[id] = title
	c.mu.Unlock()
}

func (c *titleCache) forget(id string) {
	c.mu.Lock()
	delete(c.m, id)
	c.mu.Unlock()
}

// load fills the cache with the titles of every article.
func (c *titleCache) load(ctx context.Context) (annotations int, err error) {
	list, err := c.st.Articles(ctx)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, a := range list {
		c.m[a.ID] = a.Title
		annotations += a.Counts.Total()
	}
	return annotations, nil
}
