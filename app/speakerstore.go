package app

import (
	"slices"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// The speaker identities kept on the device (the "speakers" store of
// IndexedDB, version 3): every identity the server listed to this device,
// with the counts it sent, refreshed each time it lists them again, and
// changed at once by a merge made here (applySpeakerMerge). The Speakers
// page, the speaker field's suggestions and the offline search read them
// when the server cannot be reached.

func cloneSpeaker(s annotation.SpeakerSummary) annotation.SpeakerSummary {
	s.Aliases = slices.Clone(s.Aliases)
	return s
}

// PutSpeakers implements device.
func (m *memDevice) PutSpeakers(list []annotation.SpeakerSummary, all bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if all {
		clear(m.speakers)
	}
	for _, s := range list {
		m.speakers[s.ID] = cloneSpeaker(s)
	}
	return nil
}

// DeleteSpeaker implements device.
func (m *memDevice) DeleteSpeaker(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.speakers, id)
	return nil
}

// Speakers implements device.
func (m *memDevice) Speakers() ([]annotation.SpeakerSummary, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]annotation.SpeakerSummary, 0, len(m.speakers))
	for _, s := range m.speakers {
		out = append(out, cloneSpeaker(s))
	}
	annotation.SortSpeakers(out)
	return out, nil
}

// PutSpeakers implements device: in one transaction, the store is cleared
// first when all.
func (d *idbDevice) PutSpeakers(list []annotation.SpeakerSummary, all bool) error {
	recs := make([]map[string]any, len(list))
	for i := range list {
		r, err := record("id", list[i].ID, &list[i], nil)
		if err != nil {
			return err
		}
		recs[i] = r
	}
	return d.tx("readwrite", []string{"speakers"}, func(t app.Value) {
		s := t.Call("objectStore", "speakers")
		if all {
			s.Call("clear")
		}
		for _, r := range recs {
			s.Call("put", r)
		}
	})
}

// DeleteSpeaker implements device.
func (d *idbDevice) DeleteSpeaker(id string) error {
	return d.tx("readwrite", []string{"speakers"}, func(t app.Value) { t.Call("objectStore", "speakers").Call("delete", id) })
}

// Speakers implements device.
func (d *idbDevice) Speakers() ([]annotation.SpeakerSummary, error) {
	docs, err := d.getAll("speakers", "")
	if err != nil {
		return nil, err
	}
	ptrs, err := decodeAll[annotation.SpeakerSummary](docs)
	if err != nil {
		return nil, err
	}
	out := make([]annotation.SpeakerSummary, len(ptrs))
	for i, p := range ptrs {
		out[i] = *p
	}
	annotation.SortSpeakers(out)
	return out, nil
}

// applySpeakerMerge makes the device's copies say what the server will
// once it merges speaker from into speaker into: into gains from's name
// and aliases as aliases and its counts, from is forgotten, and every
// annotation kept here that pointed to from points to into. Identities
// the device has not seen are left as they are (the annotations still
// follow). It returns into as merged, or nil when the device does not
// keep it.
func applySpeakerMerge(dev device, from, into string) (*annotation.SpeakerSummary, error) {
	list, err := dev.Speakers()
	if err != nil {
		return nil, err
	}
	var f, t *annotation.SpeakerSummary
	for i := range list {
		switch list[i].ID {
		case from:
			f = &list[i]
		case into:
			t = &list[i]
		}
	}
	if t != nil && f != nil {
		merged, _ := annotation.MergeSpeaker(&f.Speaker, &t.Speaker) // too many aliases: the server will say so
		t.Speaker = merged
		t.Counts.Claim += f.Counts.Claim
		t.Counts.Denial += f.Counts.Denial
		t.Counts.Proposal += f.Counts.Proposal
		if err := dev.PutSpeakers([]annotation.SpeakerSummary{*t}, false); err != nil {
			return nil, err
		}
	}
	if err := dev.DeleteSpeaker(from); err != nil {
		return nil, err
	}
	anns, err := dev.AllAnnotations()
	if err != nil {
		return nil, err
	}
	for _, a := range anns {
		if a.SpeakerID == from {
			a.SpeakerID = into
			if err := dev.PutAnnotation(a); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

// applySpeakerPut makes the device's copy of speaker s.ID hold s's name,
// aliases and kind, keeping its counts; a speaker the device has not seen
// is kept with no counts.
func applySpeakerPut(dev device, s *annotation.Speaker) error {
	list, err := dev.Speakers()
	if err != nil {
		return err
	}
	sum := annotation.SpeakerSummary{Speaker: *s}
	for _, x := range list {
		if x.ID == s.ID {
			sum.Counts = x.Counts
		}
	}
	return dev.PutSpeakers([]annotation.SpeakerSummary{sum}, false)
}

// speakerIDs returns the identities in list by id, for
// memsearch.SearchIdentities.
func speakerIDs(list []annotation.SpeakerSummary) map[string]*annotation.Speaker {
	m := make(map[string]*annotation.Speaker, len(list))
	for i := range list {
		m[list[i].ID] = &list[i].Speaker
	}
	return m
}
