package app

import (
	"bytes"

	"claimmark/internal/annotation"
)

// DeviceAnnotations returns the annotations of articleID kept on the
// device, without the queued changes, and remembers them until the next
// Annotations of articleID: a server list equal to them is then not
// written back (on a repeat visit with nothing changed, rewriting a
// thousand records cost the page about 75 ms). Callers must not change
// the annotations returned.
func (s *syncAPI) DeviceAnnotations(articleID string) ([]*annotation.Annotation, error) {
	list, err := s.dev.Annotations(articleID)
	if err != nil {
		return nil, err
	}
	s.copiesMu.Lock()
	if s.copies == nil {
		s.copies = map[string][]*annotation.Annotation{}
	}
	s.copies[articleID] = list
	s.copiesMu.Unlock()
	return list, nil
}

// takeCopy returns and forgets the device's list of articleID remembered
// by DeviceAnnotations (nil when there is none).
func (s *syncAPI) takeCopy(articleID string) []*annotation.Annotation {
	s.copiesMu.Lock()
	defer s.copiesMu.Unlock()
	list := s.copies[articleID]
	delete(s.copies, articleID)
	return list
}

// sameAnnotations reports whether server and device hold the same
// annotations, in any order, each with the same JSON document (what the
// device would store): the revision alone is not enough, since a speaker
// merge or a creator's new name changes an annotation without one. A nil
// device list is never the same (nothing was read).
func sameAnnotations(server, device []*annotation.Annotation) bool {
	if device == nil || len(server) != len(device) {
		return false
	}
	byID := make(map[string]*annotation.Annotation, len(device))
	for _, a := range device {
		byID[a.ID] = a
	}
	var x, y []byte
	for _, a := range server {
		d := byID[a.ID]
		if d == nil || d.Revision != a.Revision {
			return false
		}
		var err error
		if x, err = annotation.AppendJSON(x[:0], a); err != nil {
			return false
		}
		if y, err = annotation.AppendJSON(y[:0], d); err != nil {
			return false
		}
		if !bytes.Equal(x, y) {
			return false
		}
		delete(byID, a.ID) // a duplicate id in server then fails the lookup
	}
	return true
}

// deviceCopier is an API that reads the device's copy of an article's
// annotations for the page and remembers it (syncAPI).
type deviceCopier interface {
	DeviceAnnotations(articleID string) ([]*annotation.Annotation, error)
}

var _ deviceCopier = (*syncAPI)(nil)
