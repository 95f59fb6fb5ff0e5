package app

import "time"

// loadedWait is how long work that waits for the first page to load
// (syncAPI.afterLoad) waits at most: pages other than the reader do not
// tell when they have loaded.
const loadedWait = 3 * time.Second

// loadNotifier is an API told when the page opened first has shown its
// data (syncAPI).
type loadNotifier interface{ Loaded() }

var _ loadNotifier = (*syncAPI)(nil)

// pageLoaded tells api, if it listens, that the page has shown its data.
func pageLoaded(api API) {
	if n, ok := api.(loadNotifier); ok {
		n.Loaded()
	}
}

// Loaded implements loadNotifier: afterLoad returns from now on. Later
// calls do nothing.
func (s *syncAPI) Loaded() {
	if s.loaded == nil {
		return
	}
	s.loadedOnce.Do(func() { close(s.loaded) })
}

// afterLoad waits until Loaded is called, or loadedWait has passed.
func (s *syncAPI) afterLoad() {
	t := time.NewTimer(loadedWait)
	defer t.Stop()
	select {
	case <-s.loaded:
	case <-t.C:
	}
}
