package index

import (
	"context"
	"sync"

	"claimmark/internal/annotation"
)

// titleCache maps article ids to titles, for the title field of indexed
// documents, Hit.ArticleTitle and the labels of the article facet. Misses
// are loaded from the Store. The Indexing wrapper keeps entries current
// when articles change through it; the sync forgets the title of an
// article whose change-log entries say it changed (Change.Article), which
// is how a change made by another process sharing the store arrives.
type titleCache struct {
	st annotation.Store
	mu sync.RWMutex
	m  map[string]string
	// gen counts forget calls. get keeps a title it loaded only if no
	// forget came in between, so that a title read before a change is not
	// cached after the forget of that change. Guarded by mu.
	gen uint64
}

func newTitleCache(st annotation.Store) *titleCache {
	return &titleCache{st: st, m: map[string]string{}}
}

// get returns the title of article id, or "" if it cannot be found.
func (c *titleCache) get(ctx context.Context, id string) string {
	c.mu.RLock()
	t, ok := c.m[id]
	gen := c.gen
	c.mu.RUnlock()
	if ok {
		return t
	}
	a, err := c.st.Article(ctx, id)
	if err != nil {
		return ""
	}
	c.mu.Lock()
	if c.gen == gen {
		c.m[id] = a.Title
	}
	c.mu.Unlock()
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

// forget drops the title of article id: the next get loads it again.
func (c *titleCache) forget(id string) {
	c.mu.Lock()
	delete(c.m, id)
	c.gen++
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
