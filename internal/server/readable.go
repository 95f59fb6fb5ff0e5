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

// Same messages as package store and servertest for missing ids.
func articleNotFound(id string) error {
	return annotation.Errorf(annotation.NotFound, "The article %q does not exist; it may have been deleted.", id)
}

func annotationNotFound(id string) error {
	return annotation.Errorf(annotation.NotFound, "The annotation %q does not exist; it may have been deleted.", id)
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

// Articles returns the readable articles, with counts that leave out the
// private annotations of others (see privateCounts).
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
	var priv privateCounts
	if v.srv != nil {
		priv, err = v.srv.privateCounts(ctx)
	} else {
		priv, _, err = countPrivate(ctx, v.Store)
	}
	if err != nil {
		return nil, err
	}
	for i, a := range out {
		for creator, c := range priv[a.ID] {
			if creator != v.p.User.ID {
				out[i].Counts.Claim -= c.Claim
				out[i].Counts.Denial -= c.Denial
				out[i].Counts.Proposal -= c.Proposal
			}
		}
	}
	return out, nil
}

// privateCounts counts the private annotations of each article by
// creator and kind: article id → creator → counts.
type privateCounts map[string]map[string]annotation.Counts

// countPrivate walks every annotation of st and counts the private ones;
// it returns the change-log sequence number of the snapshot it walked.
func countPrivate(ctx context.Context, st annotation.Store) (privateCounts, uint64, error) {
	out := privateCounts{}
	seq, err := st.Walk(ctx, func(a *annotation.Annotation) error {
		if !a.Visibility.Private() {
			return nil
		}
		byCreator := out[a.ArticleID]
		if byCreator == nil {
			byCreator = map[string]annotation.Counts{}
			out[a.ArticleID] = byCreator
		}
		c := byCreator[a.Creator]
		c.Add(a.Kind, 1)
		byCreator[a.Creator] = c
		return nil
	})
	return out, seq, err
}

// privateCounts returns the private annotations' counts of the store as
// it is now. They change only with annotations, and every change of an
// annotation takes a new change-log sequence number, so the counts of one
// walk serve every article list until the store's last number moves on:
// a list costs a walk over every annotation only after a write.
func (s *Server) privateCounts(ctx context.Context) (privateCounts, error) {
	_, last, err := s.store.Changes(ctx, 0, 1)
	if err != nil {
		return nil, err
	}
	s.privMu.Lock()
	defer s.privMu.Unlock()
	if s.priv != nil && s.privSeq == last {
		return s.priv, nil
	}
	counts, seq, err := countPrivate(ctx, s.store)
	if err != nil {
		return nil, err
	}
	s.priv, s.privSeq = counts, seq
	return counts, nil
}

// Article returns the article if p may read it, else NotFound.
func (v *readable) Article(ctx context.Context, id string) (*annotation.Article, error) {
	a, err := v.Store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if !v.p.CanReadArticle(a) {
		return nil, articleNotFound(id)
	}
	return a, nil
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
		return nil, annotationNotFound(id)
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
	counts := map[string]*annotation.Counts{}
	_, err = v.readable.Walk(ctx, func(a *annotation.Annotation) error {
		if a.SpeakerID == "" {
			return nil
		}
		c := counts[a.SpeakerID]
		if c == nil {
			c = &annotation.Counts{}
			counts[a.SpeakerID] = c
		}
		c.Add(a.Kind, 1)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]annotation.SpeakerSummary, 0, len(all))
	for _, sp := range all {
		c := counts[sp.ID]
		switch {
		case c != nil:
			sp.Counts = *c
		case sp.Counts.Total() > 0:
			continue
		}
		out = append(out, sp)
	}
	annotation.SortSpeakers(out)
	return out, nil
}
