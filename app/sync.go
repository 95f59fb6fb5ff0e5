package app

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// Sync timing in the browser: the first retry after a failure comes soon,
// and the wait never grows past a few seconds, so changes reach a server
// that is back within moments, without a click.
const (
	browserMinBackoff = 500 * time.Millisecond
	browserMaxBackoff = 4 * time.Second
)

// startBrowser sets the session up in the browser: who uses the app
// (identify, in the background), that user's device store (IndexedDB,
// opened once the user is known; memory if that fails or without a user), a client of
// the page's origin whose requests tell the outbox whether the server
// answers, the outbox (its queue read from the device, one tab at a time
// sending, the other tabs told of every change) and the network watch.
func (s *session) startBrowser() {
	ld := newLazyDevice()
	var (
		box *outbox
		bc  *broadcaster
	)
	raw := newBrowserClient(func(online bool) {
		if box != nil {
			box.SetOnline(online)
		}
	})
	box = newOutbox(raw, outboxConfig{
		Settle:     outboxSettle,
		MinBackoff: browserMinBackoff,
		MaxBackoff: browserMaxBackoff,
		Device:     ld,
		Stored:     true,
		Lock:       newWebLock("claimmark-outbox"),
		Notify:     func(online bool) { bc.Post(online) },
	})
	bc = newBroadcaster("claimmark-outbox", box.Changed)
	s.ks, s.acct, s.whoCh = localStore{}, raw, make(chan struct{})
	go func() {
		who := s.identify(raw)
		if who.State == authSignedOut {
			box.PauseSignedOut() // the remembered user's changes wait for them
		}
		s.setIdentity(who)
		d, durable := openUserDevice(who)
		box.durable.Store(durable)
		ld.set(d)
		perfMark("deviceReady")
	}()
	watchNetwork(box)
	s.dev, s.box = ld, box
	sa := &syncAPI{API: raw, dev: ld, box: box, loaded: make(chan struct{})}
	s.api = sa
	go func() {
		_ = box.Load()
		box.kickNow() // send what an earlier visit left
		go func() {
			sa.afterLoad() // not amid the first page's loading
			sa.refreshSpeakers()
		}()
		box.Run(context.Background())
	}()
}

// newBrowserClient returns a client of the server the page came from,
// reporting after each request whether the server answered.
func newBrowserClient(report func(online bool)) *client.Client {
	w := &watchTransport{send: fetchSend, report: report}
	return pageClient(w.Send)
}

// device returns the session's device store (after start).
func (s *session) device() device {
	s.start()
	return s.dev
}

// serverAPI returns the client under api: the browser's session wraps it
// (syncAPI, sync.go) to keep the device's copy, and the wrapper offers only
// the API methods. Reads that the device cannot answer go to it.
func serverAPI(api API) API {
	if s, ok := api.(*syncAPI); ok {
		return s.API
	}
	return api
}

// syncAPI is the API the pages use in the browser: the server when it
// answers, the device otherwise. Every article and annotation list the
// server sends is kept on the device; lists come back with the changes
// still in the outbox applied, so the page shows what this device knows;
// and when the server cannot be reached, articles, lists and searches are
// answered from the device (search results then carry Local).
type syncAPI struct {
	API        // the server
	dev device // the device store
	box *outbox
	// lastGroup is the group of the list last kept by PutLibrary in this
	// visit.
	lastGroup atomic.Pointer[string]
	// copies holds, by article, the device's list of its annotations as
	// DeviceAnnotations last read it in this visit; Annotations takes it
	// to skip writing back a server list equal to it.
	copiesMu sync.Mutex
	copies   map[string][]*annotation.Annotation
	// loaded is closed once the page opened first has shown its data
	// (Loaded); work that can wait, such as keeping the speakers on the
	// device, waits for it.
	loadedOnce sync.Once
	loaded     chan struct{}
}

// unreachable reports whether err means that the server could not be
// reached (as opposed to an answer from it).
func unreachable(err error) bool {
	if err == nil {
		return false
	}
	var e *annotation.Error
	return errors.Is(err, client.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &e)
}

// keep runs a device write in the background: the page does not wait for
// it, and a failure only costs the offline copy.
func keep(fn func() error) { go func() { _ = fn() }() }

// Article returns the server's article, keeping a copy; unreachable, the
// device's copy.
func (s *syncAPI) Article(ctx context.Context, id string) (*annotation.Article, error) {
	a, err := s.API.Article(ctx, id)
	if err == nil {
		s.keepArticle(a)
		return a, nil
	}
	if unreachable(err) {
		if local, lerr := s.dev.Article(id); lerr == nil && local != nil {
			return local, nil
		}
		return nil, offlineError("This article has not been opened on this device yet; it will be available offline once you open it online.")
	}
	return nil, err
}

// keepArticle keeps a copy of a, the server's article, on the device, in
// the background: as Article does for what it fetches, and the session
// for the article the server sent with the page (pagearticle.go).
func (s *syncAPI) keepArticle(a *annotation.Article) {
	cp := *a
	keep(func() error { return s.dev.PutArticle(&cp) })
}

// Annotations returns the server's list with this device's queued changes
// applied, keeping the server's list (unless it equals the device's copy
// that DeviceAnnotations read last for articleID); unreachable, the
// device's.
func (s *syncAPI) Annotations(ctx context.Context, articleID string) ([]*annotation.Annotation, error) {
	list, err := s.API.Annotations(ctx, articleID)
	if err == nil {
		if !sameAnnotations(list, s.takeCopy(articleID)) {
			kept := make([]*annotation.Annotation, len(list))
			for i, a := range list {
				kept[i] = a.Clone()
			}
			keep(func() error { return s.dev.SetAnnotations(articleID, kept) })
		}
		return overlay(articleID, list, s.box.Ops(articleID)), nil
	}
	if unreachable(err) {
		local, lerr := s.dev.Annotations(articleID)
		if lerr != nil {
			return nil, err
		}
		return overlay(articleID, local, s.box.Ops(articleID)), nil
	}
	return nil, err
}

// GroupArticles returns the list of Library, without saying which
// articles this device lacks.
func (s *syncAPI) GroupArticles(ctx context.Context, group string) ([]annotation.ArticleSummary, error) {
	list, _, err := s.Library(ctx, group)
	return list, err
}

// libraryLister is an API that also tells, when the server cannot be
// reached, which of the articles it lists are not kept on this device
// (syncAPI).
type libraryLister interface {
	// Library returns the articles of group (every article when it is
	// empty), newest first. absent holds the ids of listed articles that
	// cannot be opened here (nil when the server answered).
	Library(ctx context.Context, group string) (list []annotation.ArticleSummary, absent map[string]bool, err error)
}

var _ libraryLister = (*syncAPI)(nil)

// Library returns the server's list of group's articles, keeping it on
// the device; unreachable, the articles of group kept on this device
// (counts from the annotations kept and queued) and, marked absent, the
// other articles of the list the server sent last for group (with the
// counts it sent then).
func (s *syncAPI) Library(ctx context.Context, group string) ([]annotation.ArticleSummary, map[string]bool, error) {
	list, err := s.API.GroupArticles(ctx, group)
	if err == nil {
		kept := slices.Clone(list)
		keep(func() error { return s.dev.PutLibrary(kept) })
		s.lastGroup.Store(&group)
	}
	if err == nil || !unreachable(err) {
		return list, nil, err
	}
	arts, lerr := s.dev.Articles()
	other := map[string]bool{} // kept here, of another group
	if group != "" {
		arts = slices.DeleteFunc(arts, func(a *annotation.Article) bool {
			o := a.GroupID != "" && a.GroupID != group
			other[a.ID] = o
			return o
		})
	}
	last, _ := s.dev.Library()
	switch g := s.lastGroup.Load(); {
	case group == "":
	case g != nil && *g != group:
		// The list kept is another group's: only this group's
		// articles kept here show.
		last = nil
	default:
		// This group's list, or one kept by an earlier visit: without
		// the articles known to be another group's.
		last = slices.DeleteFunc(last, func(a annotation.ArticleSummary) bool { return other[a.ID] })
	}
	if lerr != nil || len(arts)+len(last) == 0 {
		return nil, nil, err
	}
	anns, _ := s.dev.AllAnnotations()
	anns = overlay("", anns, s.box.Ops(""))
	counts := map[string]*annotation.Counts{}
	for _, a := range anns {
		if counts[a.ArticleID] == nil {
			counts[a.ArticleID] = &annotation.Counts{}
		}
		counts[a.ArticleID].Add(a.Kind, 1)
	}
	out := make([]annotation.ArticleSummary, 0, len(arts))
	for _, a := range arts {
		var c annotation.Counts
		if p := counts[a.ID]; p != nil {
			c = *p
		}
		out = append(out, a.Summary(c))
	}
	here := make(map[string]bool, len(arts))
	for _, a := range arts {
		here[a.ID] = true
	}
	absent := map[string]bool{}
	for _, a := range last {
		if here[a.ID] {
			continue
		}
		absent[a.ID] = true
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b annotation.ArticleSummary) int {
		return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(a.ID, b.ID))
	})
	return out, absent, nil
}

// UpdateDetails changes the details (title, source, web address,
// published date) of article id on the server: it reads the server's copy
// (never the device's, since the text is sent back unchanged), applies d
// and sends it with PUT /api/articles/{id}; the stored answer is kept on
// the device. Article edits are not queued in the outbox: when the server
// cannot be reached, it fails.
func (s *syncAPI) UpdateDetails(ctx context.Context, id string, d articleDetails) (*annotation.Article, error) {
	up, ok := s.API.(interface {
		UpdateArticle(ctx context.Context, a *annotation.Article) error
	})
	if !ok {
		return nil, errors.New("this client cannot change articles")
	}
	a, err := s.API.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	d.apply(a)
	if err := up.UpdateArticle(ctx, a); err != nil {
		return nil, err
	}
	cp := *a
	keep(func() error { return s.dev.PutArticle(&cp) })
	return a, nil
}

var _ detailsWriter = (*syncAPI)(nil)

// Search asks the server; unreachable, it searches the annotations kept
// on this device (with the queued changes applied) and marks the results
// Local.
func (s *syncAPI) Search(ctx context.Context, q annotation.Query) (*annotation.Results, error) {
	res, err := s.API.Search(ctx, q)
	if err == nil || !unreachable(err) {
		return res, err
	}
	return s.searchDevice(q)
}

// searchDevice searches the device's annotations.
func (s *syncAPI) searchDevice(q annotation.Query) (*annotation.Results, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	anns, err := s.dev.AllAnnotations()
	if err != nil {
		return nil, offlineError("The server cannot be reached, and the annotations on this device could not be read: " + err.Error())
	}
	anns = overlay("", anns, s.box.Ops(""))
	if q.Annotator != "" {
		anns = slices.DeleteFunc(anns, func(a *annotation.Annotation) bool { return a.Creator != q.Annotator })
	}
	titles := map[string]string{}
	if arts, err := s.dev.Articles(); err == nil {
		for _, a := range arts {
			titles[a.ID] = a.Title
		}
	}
	var ids map[string]*annotation.Speaker
	if list, err := s.dev.Speakers(); err == nil {
		ids = speakerIDs(overlaySpeakers(list, s.box.Ops("")))
	}
	res, err := searchLocal(anns, titles, ids, q)
	if err != nil {
		return nil, err
	}
	res.Took = float64(time.Since(t0).Microseconds()) / 1000
	return res, nil
}

// offlineError is an Unavailable error with msg.
func offlineError(msg string) error { return annotation.Errorf(annotation.Unavailable, "%s", msg) }

// lazyDevice is a device opened in the background: every call waits until
// it is ready. The app starts before IndexedDB is open; calls come from
// goroutines, which may wait.
type lazyDevice struct {
	once  sync.Once
	ready chan struct{}
	dev   device
}

func newLazyDevice() *lazyDevice { return &lazyDevice{ready: make(chan struct{})} }

// set makes d the device, once.
func (l *lazyDevice) set(d device) {
	l.once.Do(func() {
		l.dev = d
		close(l.ready)
	})
}

func (l *lazyDevice) get() device { <-l.ready; return l.dev }

// Ready returns a channel closed once the device is set.
func (l *lazyDevice) Ready() <-chan struct{} { return l.ready }

var _ device = (*lazyDevice)(nil)

func (l *lazyDevice) LoadOps() ([]*op, error) { return l.get().LoadOps() }
func (l *lazyDevice) PutOp(p *op) error       { return l.get().PutOp(p) }
func (l *lazyDevice) Conflicts() ([]*conflict, error) {
	return l.get().Conflicts()
}
func (l *lazyDevice) SwapOp(key string, gen int, next *op) (bool, error) {
	return l.get().SwapOp(key, gen, next)
}
func (l *lazyDevice) Apply(w *deviceWrites) error            { return l.get().Apply(w) }
func (l *lazyDevice) PutConflict(c *conflict) error          { return l.get().PutConflict(c) }
func (l *lazyDevice) DeleteConflict(id string) error         { return l.get().DeleteConflict(id) }
func (l *lazyDevice) PutArticle(a *annotation.Article) error { return l.get().PutArticle(a) }
func (l *lazyDevice) Article(id string) (*annotation.Article, error) {
	return l.get().Article(id)
}
func (l *lazyDevice) Articles() ([]*annotation.Article, error) { return l.get().Articles() }
func (l *lazyDevice) SetAnnotations(articleID string, list []*annotation.Annotation) error {
	return l.get().SetAnnotations(articleID, list)
}
func (l *lazyDevice) PutAnnotation(a *annotation.Annotation) error { return l.get().PutAnnotation(a) }
func (l *lazyDevice) DeleteAnnotation(id string) error             { return l.get().DeleteAnnotation(id) }
func (l *lazyDevice) Annotations(articleID string) ([]*annotation.Annotation, error) {
	return l.get().Annotations(articleID)
}
func (l *lazyDevice) AllAnnotations() ([]*annotation.Annotation, error) {
	return l.get().AllAnnotations()
}
func (l *lazyDevice) PutLibrary(list []annotation.ArticleSummary) error {
	return l.get().PutLibrary(list)
}
func (l *lazyDevice) Library() ([]annotation.ArticleSummary, error) { return l.get().Library() }
func (l *lazyDevice) PutSpeakers(list []annotation.SpeakerSummary, all bool) error {
	return l.get().PutSpeakers(list, all)
}
func (l *lazyDevice) DeleteSpeaker(id string) error { return l.get().DeleteSpeaker(id) }
func (l *lazyDevice) Speakers() ([]annotation.SpeakerSummary, error) {
	return l.get().Speakers()
}
