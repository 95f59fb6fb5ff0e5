package app

import (
	"context"
	"errors"
	"slices"

	"claimmark/internal/annotation"
)

// speakerLister is an API that lists speaker identities from the device
// when the server cannot be reached (syncAPI).
type speakerLister interface {
	// ListSpeakers returns the speakers that SpeakerMatches q, as
	// SpeakerStore.Speakers does, with this device's queued merges
	// applied; local reports that they come from the device.
	ListSpeakers(ctx context.Context, q string) (list []annotation.SpeakerSummary, local bool, err error)
}

// speakerMerger is an API that merges and renames speakers offline too
// (syncAPI).
type speakerMerger interface {
	// MergeSpeakersAnywhere merges from into into on the server when it
	// answers; when it cannot be reached the merge is queued in the
	// outbox (queued). Either way the device's copies follow at once.
	MergeSpeakersAnywhere(ctx context.Context, from, into annotation.Speaker) (queued bool, err error)
	// PutSpeakerAnywhere stores s (made on s.Revision) the same way.
	PutSpeakerAnywhere(ctx context.Context, s annotation.Speaker) (queued bool, err error)
}

var (
	_ speakerLister = (*syncAPI)(nil)
	_ speakerMerger = (*syncAPI)(nil)
)

// listSpeakers lists the speakers matching q through api: the device's
// when api is a speakerLister and the server cannot be reached, else the
// server's. ok is false when api has no speaker identities.
func listSpeakers(ctx context.Context, api API, q string) (list []annotation.SpeakerSummary, local, ok bool, err error) {
	if l, is := api.(speakerLister); is {
		list, local, err = l.ListSpeakers(ctx, q)
		return list, local, true, err
	}
	sp, is := speakerAPI(api)
	if !is {
		return nil, false, false, nil
	}
	list, err = sp.Speakers(ctx, q)
	return list, false, true, err
}

// ListSpeakers implements speakerLister: the server's answer is kept on
// the device (replacing what it kept when q is empty, since that lists
// every speaker).
func (s *syncAPI) ListSpeakers(ctx context.Context, q string) ([]annotation.SpeakerSummary, bool, error) {
	sp, ok := s.API.(annotation.SpeakerStore)
	if !ok {
		return nil, false, errors.New("this client has no speaker identities")
	}
	list, err := sp.Speakers(ctx, q)
	if err == nil {
		kept := make([]annotation.SpeakerSummary, len(list))
		for i := range list {
			kept[i] = cloneSpeaker(list[i])
		}
		keep(func() error { return s.dev.PutSpeakers(kept, q == "") })
		return overlaySpeakers(list, s.box.Ops("")), false, nil
	}
	if !unreachable(err) {
		return nil, false, err
	}
	all, lerr := s.dev.Speakers()
	if lerr != nil {
		return nil, false, err
	}
	out := []annotation.SpeakerSummary{}
	for _, x := range overlaySpeakers(all, s.box.Ops("")) {
		if annotation.SpeakerMatches(&x.Speaker, q) {
			out = append(out, x)
		}
	}
	return out, true, nil
}

// KeptSpeakers returns the identities kept on the device, with the queued
// merges applied. It blocks on the device: call it from ctx.Async.
func (s *syncAPI) KeptSpeakers() ([]annotation.SpeakerSummary, error) {
	list, err := s.dev.Speakers()
	if err != nil {
		return nil, err
	}
	return overlaySpeakers(list, s.box.Ops("")), nil
}

// refreshSpeakers keeps the server's list of every speaker on the device,
// when the server answers, for the speaker field and the offline search.
func (s *syncAPI) refreshSpeakers() {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	_, _, _ = s.ListSpeakers(ctx, "")
}

// MergeSpeakersAnywhere implements speakerMerger.
func (s *syncAPI) MergeSpeakersAnywhere(ctx context.Context, from, into annotation.Speaker) (bool, error) {
	if sp, ok := s.API.(annotation.SpeakerStore); ok && !s.box.Status().Offline {
		_, err := sp.MergeSpeakers(ctx, from.ID, into.ID)
		if err == nil {
			_, err = applySpeakerMerge(s.dev, from.ID, into.ID)
			return false, err
		}
		if !unreachable(err) {
			return false, err
		}
		s.box.SetOnline(false)
	}
	return true, s.box.EnqueueMergeSpeaker(from, into)
}

// PutSpeakerAnywhere implements speakerMerger.
func (s *syncAPI) PutSpeakerAnywhere(ctx context.Context, next annotation.Speaker) (bool, error) {
	if sp, ok := s.API.(annotation.SpeakerStore); ok && !s.box.Status().Offline {
		cp := next
		cp.Aliases = slices.Clone(next.Aliases)
		_, err := sp.PutSpeaker(ctx, &cp, cp.ETag())
		if err == nil {
			return false, applySpeakerPut(s.dev, &cp)
		}
		if !unreachable(err) {
			return false, err
		}
		s.box.SetOnline(false)
	}
	return true, s.box.EnqueuePutSpeaker(next)
}

// overlaySpeakers returns list with the queued speaker merges of ops
// applied, as the server will list them: a merged speaker leaves the list
// and, when listed, the one it went into takes its names as aliases and
// its counts. list is not modified.
func overlaySpeakers(list []annotation.SpeakerSummary, ops []*op) []annotation.SpeakerSummary {
	out := make([]annotation.SpeakerSummary, len(list))
	for i := range list {
		out[i] = cloneSpeaker(list[i])
	}
	changed := false
	for _, p := range ops {
		if p.Kind == opPutSpeaker && p.Speaker != nil {
			for i := range out {
				if out[i].ID == p.ID {
					out[i].Name, out[i].Kind = p.Speaker.Name, p.Speaker.Kind
					out[i].Aliases = slices.Clone(p.Speaker.Aliases)
					changed = true
				}
			}
		}
		if p.Kind != opMergeSpeaker {
			continue
		}
		fi, ti := -1, -1
		for i := range out {
			switch out[i].ID {
			case p.ID:
				fi = i
			case p.Into:
				ti = i
			}
		}
		if fi < 0 {
			continue
		}
		if ti >= 0 {
			t, f := &out[ti], out[fi]
			t.Speaker, _ = annotation.MergeSpeaker(&f.Speaker, &t.Speaker)
			t.Counts.Claim += f.Counts.Claim
			t.Counts.Denial += f.Counts.Denial
			t.Counts.Proposal += f.Counts.Proposal
		}
		out = append(out[:fi], out[fi+1:]...)
		changed = true
	}
	if changed {
		annotation.SortSpeakers(out)
	}
	return out
}

// linkLocal returns anns with each speaker text linked to an identity of
// ids as the server's LinkSpeaker would link it: an annotation whose
// SpeakerID is not among ids (none yet, or one merged away) takes the
// identity whose name or alias has its text's SpeakerKey. Annotations
// that change are copies; anns is not modified.
func linkLocal(anns []*annotation.Annotation, ids map[string]*annotation.Speaker) []*annotation.Annotation {
	byKey := map[string]string{}
	for id, sp := range ids {
		for _, k := range sp.Keys() {
			byKey[k] = id
		}
	}
	out := make([]*annotation.Annotation, len(anns))
	for i, a := range anns {
		out[i] = a
		if a.Speaker == "" || ids[a.SpeakerID] != nil {
			continue
		}
		if id, ok := byKey[annotation.SpeakerKey(a.Speaker)]; ok && id != a.SpeakerID {
			cp := *a
			cp.SpeakerID = id
			out[i] = &cp
		}
	}
	return out
}
