package servertest

import (
	"context"
	"slices"
	"strings"
	"time"

	"claimmark/internal/annotation"
)

var _ annotation.SpeakerStore = (*Store)(nil)

// speakerState gives annotation.LinkSpeaker its lookups in a state.
type speakerState struct{ s *state }

func (l speakerState) HasSpeaker(id string) (bool, error) {
	_, ok := l.s.speakers[id]
	return ok, nil
}

func (l speakerState) SpeakerIDByKey(key string) (string, bool, error) {
	if sp := l.s.speakerWithKey(key, ""); sp != nil {
		return sp.ID, true, nil
	}
	return "", false, nil
}

// speakerWithKey returns the speaker other than except whose name or
// alias has SpeakerKey key, or nil.
func (s *state) speakerWithKey(key, except string) *annotation.Speaker {
	for id, sp := range s.speakers {
		if id != except && slices.Contains(sp.Keys(), key) {
			return sp
		}
	}
	return nil
}

// linkSpeaker applies annotation.LinkSpeaker to a, which replaces the
// stored annotation of its id (if any), storing a speaker it creates. It
// needs s.mu held.
func (s *state) linkSpeaker(a *annotation.Annotation, now time.Time) {
	old := s.annotations[a.ID]                                         // nil when new
	created, _ := annotation.LinkSpeaker(a, old, speakerState{s}, now) // the lookups never fail
	if created != nil {
		s.speakers[created.ID] = created
	}
}

// speakerAnnotations returns the annotations linked to speaker id, in id
// order.
func (s *state) speakerAnnotations(id string) []*annotation.Annotation {
	var list []*annotation.Annotation
	for _, a := range s.annotations {
		if a.SpeakerID == id {
			list = append(list, a)
		}
	}
	slices.SortFunc(list, func(a, b *annotation.Annotation) int { return strings.Compare(a.ID, b.ID) })
	return list
}

// speakerCounts counts the annotations of speaker id by kind.
func (s *state) speakerCounts(id string) annotation.Counts {
	var c annotation.Counts
	for _, a := range s.speakerAnnotations(id) {
		c.Add(a.Kind, 1)
	}
	return c
}

// Speakers implements annotation.SpeakerStore.
func (s *Store) Speakers(ctx context.Context, q string) ([]annotation.SpeakerSummary, error) {
	if err := s.begin(ctx, "Speakers"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []annotation.SpeakerSummary{}
	for _, sp := range s.st.speakers {
		if annotation.SpeakerMatches(sp, q) {
			list = append(list, annotation.SpeakerSummary{Speaker: copySpeaker(sp), Counts: s.st.speakerCounts(sp.ID)})
		}
	}
	annotation.SortSpeakers(list)
	return list, nil
}

// Speaker implements annotation.SpeakerStore.
func (s *Store) Speaker(ctx context.Context, id string) (*annotation.Speaker, error) {
	if err := s.begin(ctx, "Speaker"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sp, ok := s.st.speakers[id]
	if !ok {
		return nil, annotation.SpeakerNotFound(id)
	}
	c := copySpeaker(sp)
	return &c, nil
}

// PutSpeaker implements annotation.SpeakerStore. A change of name or
// aliases logs a change for every linked annotation, as package store does.
func (s *Store) PutSpeaker(ctx context.Context, sp *annotation.Speaker, ifMatch string) (bool, error) {
	if err := s.begin(ctx, "PutSpeaker"); err != nil {
		return false, err
	}
	if sp == nil {
		return false, annotation.Errorf(annotation.Invalid, "No speaker was given.")
	}
	in, err := annotation.PrepareSpeaker(sp)
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.noteLogPosition(ctx, s.st.seq)
	old, exists := s.st.speakers[in.ID]
	if ifMatch != "" && (!exists || !annotation.ETagMatches(ifMatch, old.Revision)) {
		return false, annotation.SpeakerChanged(old)
	}
	for _, n := range append([]string{in.Name}, in.Aliases...) {
		if other := s.st.speakerWithKey(annotation.SpeakerKey(n), in.ID); other != nil {
			return false, annotation.SpeakerTaken(n, other)
		}
	}
	now := s.now()
	in.Updated = now
	if exists {
		in.Created, in.Revision = old.Created, old.Revision+1
	} else {
		in.Created, in.Revision = now, 1
	}
	s.st.putSpeaker(old, &in)
	*sp = copySpeaker(&in)
	return !exists, nil
}

// putSpeaker stores sp over old (or nil) and logs a change for every
// linked annotation when the names changed. It needs s.mu held.
func (s *state) putSpeaker(old, sp *annotation.Speaker) {
	c := copySpeaker(sp)
	s.speakers[sp.ID] = &c
	if old != nil && (old.Name != sp.Name || !slices.Equal(old.Aliases, sp.Aliases)) {
		for _, a := range s.speakerAnnotations(sp.ID) {
			s.logChange(a.ID)
		}
	}
}

// DeleteSpeaker implements annotation.SpeakerStore.
func (s *Store) DeleteSpeaker(ctx context.Context, id, ifMatch string) error {
	if err := s.begin(ctx, "DeleteSpeaker"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.noteLogPosition(ctx, s.st.seq)
	sp, ok := s.st.speakers[id]
	if !ok {
		return annotation.SpeakerNotFound(id)
	}
	if ifMatch != "" && !annotation.ETagMatches(ifMatch, sp.Revision) {
		return annotation.SpeakerChanged(sp)
	}
	if n := s.st.speakerCounts(id).Total(); n > 0 {
		return annotation.Errorf(annotation.Conflict,
			"%d annotations name the speaker %q; merge it into another speaker, or change those annotations, before deleting it.", n, sp.Name)
	}
	delete(s.st.speakers, id)
	return nil
}

// MergeSpeakers implements annotation.SpeakerStore.
func (s *Store) MergeSpeakers(ctx context.Context, from, into string) (*annotation.Speaker, error) {
	if err := s.begin(ctx, "MergeSpeakers"); err != nil {
		return nil, err
	}
	if from == into {
		return nil, annotation.Errorf(annotation.Invalid, "A speaker cannot be merged into itself; choose another speaker to merge into.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.noteLogPosition(ctx, s.st.seq)
	src, ok := s.st.speakers[from]
	if !ok {
		return nil, annotation.SpeakerNotFound(from)
	}
	dst, ok := s.st.speakers[into]
	if !ok {
		return nil, annotation.SpeakerNotFound(into)
	}
	out, err := annotation.MergeSpeaker(src, dst)
	if err != nil {
		return nil, err
	}
	out.Updated, out.Revision = s.now(), dst.Revision+1
	for _, a := range s.st.speakerAnnotations(from) {
		moved := a.Clone()
		moved.SpeakerID = into
		s.st.annotations[a.ID] = moved
	}
	delete(s.st.speakers, from)
	s.st.putSpeaker(dst, &out)
	c := copySpeaker(&out)
	return &c, nil
}

// copySpeaker returns a copy of sp that shares no memory with it.
func copySpeaker(sp *annotation.Speaker) annotation.Speaker {
	c := *sp
	c.Aliases = slices.Clone(sp.Aliases)
	return c
}
