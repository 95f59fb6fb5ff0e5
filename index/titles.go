package index

import (
	"context"
	"maps"
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
	// gen counts set and forget calls. get and load keep titles they
	// read only if no set or forget came in between, so that a title read
	// before a change is not cached after the change is known. Guarded by
	// mu.
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

// set records the title of article id, as just written to the Store.
func (c *titleCache) set(id, title string) {
	c.mu.Lock()
	c.m[id] = title
	c.gen++
	c.mu.Unlock()
}

// forget drops the title of article id: the next get loads it again.
func (c *titleCache) forget(id string) {
	c.mu.Lock()
	delete(c.m, id)
	c.gen++
	c.mu.Unlock()
}

// load reads the titles of every article from the Store and returns them,
// with the number of annotations the Store holds. It fills the cache with
// them unless a set or forget came in while they were read (the cache then
// loads titles as needed); the returned titles are as read either way.
func (c *titleCache) load(ctx context.Context) (titles map[string]string, annotations int, err error) {
	c.mu.RLock()
	gen := c.gen
	c.mu.RUnlock()
	list, err := c.st.Articles(ctx)
	if err != nil {
		return nil, 0, err
	}
	titles = make(map[string]string, len(list))
	for _, a := range list {
		titles[a.ID] = a.Title
		annotations += a.Counts.Total()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		maps.Copy(c.m, titles)
	}
	return titles, annotations, nil
}
