package server

import (
	"context"

	"claimmark/internal/annotation"
)

// readable is the Store as one principal sees it: reads return only what
// p may read (annotation.Principal.CanReadArticle and CanRead), and what p
// may not read is NotFound with the store's own message for a missing id,
// so that no answer tells an unreadable item from a missing one. Writes
// pass through: handlers check roles before they write.
type readable struct {
	annotation.Store
	p   *annotation.Principal
	srv *Server // for the cache of private counts; nil: none
}

// readableSpeakers is a readable view of a store that keeps speaker
// identities: the list counts only readable annotations.
type readableSpeakers struct {
	*readable
	annotation.SpeakerStore
}

// view returns the store as p sees it: s.store itself for a nil p (no
// accounts), else a readable view (with speakers when the server keeps
// them).
func (s *Server) view(p *annotation.Principal) annotation.Store {
	if p == nil {
		return s.store
	}
	rd := &readable{Store: s.store, p: p, srv: s}
	if s.speakers != nil {
		return readableSpeakers{rd, s.speakers}
	}
	return rd
}

// census returns the server's census of the store, or a new one for a
// view made without a server.
func (v *readable) census(ctx context.Context) (*census, error) {
	if v.srv != nil {
		return v.srv.census(ctx)
	}
	c, _, err := takeCensus(ctx, v.Store)
	return c, err
}

// Articles returns the readable articles, with counts that leave out the
// private annotations of others (see census).
func (v *readable) Articles(ctx context.Context) ([]annotation.ArticleSummary, error) {
	all, err := v.Store.Articles(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]annotation.ArticleSummary, 0, len(all))
	for _, a := range all {
		if v.p.Roles[a.GroupID] != "" {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	cs, err := v.census(ctx)
	if err != nil {
		return nil, err
	}
	// The census is at least as new as the summaries (taken after them);
	// a write in between can only make it subtract too much, never too
	// little: counts stop at zero.
	for i, a := range out {
		n := &out[i].Counts
		for creator, c := range cs.private[a.ID] {
			if creator != v.p.User.ID {
				n.Claim, n.Denial, n.Proposal = max(n.Claim-c.Claim, 0), max(n.Denial-c.Denial, 0), max(n.Proposal-c.Proposal, 0)
			}
		}
	}
	return out, nil
}

// census is what the readable views need to know of every annotation:
// the private annotations of each article and the annotations of each
// speaker, by who may read them. It is taken by one walk over every
// annotation, then kept current from the store's change log (see
// Server.census).
type census struct {
	// private counts the private annotations: article id → creator →
	// counts by kind.
	private map[string]map[string]annotation.Counts
	// speakers counts the annotations of each speaker id by group and, for
	// private ones, creator ("" for those the whole group reads).
	speakers map[string]map[readers]annotation.Counts
	// byID is what each annotation counts for, to take it back out when
	// it changes or goes.
	byID map[string]censusEntry
}

// censusEntry is what one annotation adds to a census.
type censusEntry struct {
	article, speaker string
	kind             annotation.Kind
	rd               readers
}

// readers says who may read an annotation: the members of group, or only
// creator among them when it is not "".
type readers struct{ group, creator string }

func newCensus() *census {
	return &census{private: map[string]map[string]annotation.Counts{}, speakers: map[string]map[readers]annotation.Counts{},
		byID: map[string]censusEntry{}}
}

// set records annotation id as it now is: a, or nothing when a is nil
// (deleted).
func (c *census) set(id string, a *annotation.Annotation) {
	if old, ok := c.byID[id]; ok {
		c.count(old, -1)
		delete(c.byID, id)
	}
	if a == nil {
		return
	}
	e := censusEntry{article: a.ArticleID, speaker: a.SpeakerID, kind: a.Kind, rd: readers{group: a.GroupID}}
	if a.Visibility.Private() {
		e.rd.creator = a.Creator
	}
	if e.rd.creator == "" && e.speaker == "" {
		return // counts for nothing: group-wide, without an identity
	}
	c.byID[id] = e
	c.count(e, 1)
}

// count adds n of e's kind to its counts.
func (c *census) count(e censusEntry, n int) {
	if e.rd.creator != "" {
		byCreator := c.private[e.article]
		if byCreator == nil {
			byCreator = map[string]annotation.Counts{}
			c.private[e.article] = byCreator
		}
		k := byCreator[e.rd.creator]
		k.Add(e.kind, n)
		if k.Total() == 0 {
			delete(byCreator, e.rd.creator)
			if len(byCreator) == 0 {
				delete(c.private, e.article)
			}
		} else {
			byCreator[e.rd.creator] = k
		}
	}
	if e.speaker != "" {
		byReaders := c.speakers[e.speaker]
		if byReaders == nil {
			byReaders = map[readers]annotation.Counts{}
			c.speakers[e.speaker] = byReaders
		}
		k := byReaders[e.rd]
		k.Add(e.kind, n)
		if k.Total() == 0 {
			delete(byReaders, e.rd)
			if len(byReaders) == 0 {
				delete(c.speakers, e.speaker)
			}
		} else {
			byReaders[e.rd] = k
		}
	}
}

// takeCensus walks every annotation of st; it returns the census and the
// change-log sequence number of the snapshot it walked.
func takeCensus(ctx context.Context, st annotation.Store) (*census, uint64, error) {
	out := newCensus()
	seq, err := st.Walk(ctx, func(a *annotation.Annotation) error {
		out.set(a.ID, a)
		return nil
	})
	return out, seq, err
}

// census returns the census of the store as it is now. Every change of an
// annotation takes a new change-log sequence number: the census walks
// every annotation once, then follows the log, reading only the
// annotations that changed since. It walks again when the log no longer
// holds what it missed (the index trims it every few thousand changes),
// or when the log skips a number.
func (s *Server) census(ctx context.Context) (*census, error) {
	s.censusMu.Lock()
	defer s.censusMu.Unlock()
	if s.lastCensus != nil {
		ok, err := s.followCensus(ctx)
		if err != nil {
			return nil, err
		}
		if ok {
			return s.lastCensus, nil
		}
	}
	c, seq, err := takeCensus(ctx, s.store)
	if err != nil {
		return nil, err
	}
	s.lastCensus, s.censusSeq = c, seq
	return c, nil
}

// followCensus brings s.lastCensus up to the end of the change log, and
// reports false when it cannot (a gap: changes it missed were trimmed).
// The caller holds censusMu.
func (s *Server) followCensus(ctx context.Context) (bool, error) {
	const page = 1000
	for {
		changes, last, err := s.store.Changes(ctx, s.censusSeq, page)
		if err != nil {
			return false, err
		}
		if len(changes) == 0 {
			return last <= s.censusSeq, nil
		}
		if changes[0].Seq != s.censusSeq+1 {
			return false, nil
		}
		for _, ch := range changes {
			a, err := s.store.Annotation(ctx, ch.AnnotationID)
			switch {
			case annotation.ErrorCode(err) == annotation.NotFound:
				a = nil
			case err != nil:
				return false, err
			}
			s.lastCensus.set(ch.AnnotationID, a)
			s.censusSeq = ch.Seq
		}
		if s.censusSeq >= last {
			return true, nil
		}
	}
}

// Article returns the article if p may read it, else NotFound.
func (v *readable) Article(ctx context.Context, id string) (*annotation.Article, error) {
	a, err := v.Store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if !v.p.CanReadArticle(a) {
		return nil, annotation.ArticleNotFound(id)
	}
	return a, nil
}

// ArticleGroup returns the group of article id if p may read the
// article, else NotFound; see annotation.ArticleGrouper.
func (v *readable) ArticleGroup(ctx context.Context, id string) (string, error) {
	g, err := annotation.ArticleGroup(ctx, v.Store, id)
	if err != nil {
		return "", err
	}
	if v.p.Roles[g] == "" {
		return "", annotation.ArticleNotFound(id)
	}
	return g, nil
}

// Annotations returns the readable annotations of a readable article.
func (v *readable) Annotations(ctx context.Context, articleID string) ([]*annotation.Annotation, error) {
	if _, err := v.Article(ctx, articleID); err != nil {
		return nil, err
	}
	all, err := v.Store.Annotations(ctx, articleID)
	if err != nil {
		return nil, err
	}
	return v.filter(all), nil
}

// filter returns the annotations of anns that p may read.
func (v *readable) filter(anns []*annotation.Annotation) []*annotation.Annotation {
	out := make([]*annotation.Annotation, 0, len(anns))
	for _, a := range anns {
		if v.p.CanRead(a) {
			out = append(out, a)
		}
	}
	return out
}

// Annotation returns the annotation if p may read it, else NotFound.
func (v *readable) Annotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	a, err := v.Store.Annotation(ctx, id)
	if err != nil {
		return nil, err
	}
	if !v.p.CanRead(a) {
		return nil, annotation.AnnotationNotFound(id)
	}
	return a, nil
}

// Walk calls fn with the readable annotations only.
func (v *readable) Walk(ctx context.Context, fn func(*annotation.Annotation) error) (uint64, error) {
	return v.Store.Walk(ctx, func(a *annotation.Annotation) error {
		if !v.p.CanRead(a) {
			return nil
		}
		return fn(a)
	})
}

// Speakers lists the speakers matching q with counts of the annotations p
// may read. A speaker that annotations name, none of them readable, is
// left out: its name would tell of annotations p may not see. Speakers
// that no annotation names are listed (identities are server-wide).
func (v readableSpeakers) Speakers(ctx context.Context, q string) ([]annotation.SpeakerSummary, error) {
	all, err := v.SpeakerStore.Speakers(ctx, q)
	if err != nil {
		return nil, err
	}
	cs, err := v.readable.census(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]annotation.SpeakerSummary, 0, len(all))
	for _, sp := range all {
		var c annotation.Counts
		for rd, n := range cs.speakers[sp.ID] {
			if v.p.Roles[rd.group] != "" && (rd.creator == "" || rd.creator == v.p.User.ID) {
				c.Claim += n.Claim
				c.Denial += n.Denial
				c.Proposal += n.Proposal
			}
		}
		if c.Total() == 0 && sp.Counts.Total() > 0 {
			continue
		}
		sp.Counts = c
		out = append(out, sp)
	}
	annotation.SortSpeakers(out)
	return out, nil
}
