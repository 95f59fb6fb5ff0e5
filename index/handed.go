package index

import (
	"sync"

	"claimmark/internal/annotation"
)

// Saves hand the index what they stored.
//
// A sync pass used to read every annotation named in the change log back
// from the Store and decode it, moments after the save that logged it had
// the very same annotation in memory. Now a save made through Indexing
// hands the annotation it stored, with the change-log position of its
// commit, to the index (handed.put); a pass takes an annotation from there
// instead of reading it when its last change in the batch is the one the
// save logged (handed.take), and reads it from the Store otherwise: a
// change by another process sharing the store, a later save whose hand
// has not arrived yet, a deletion. What a save committed at a position is
// the annotation's state there, so the document is the same either way.
// Entries are dropped once a pass has applied their position.

// handedAnns holds the annotations saves have handed over, by id: the
// latest position of each. It is safe for concurrent use.
type handedAnns struct {
	mu sync.Mutex
	m  map[string]handedAnn
	// floor is the highest position a pass has applied: a hand-over at
	// or below it is of no use and is dropped. closed drops them all.
	floor  uint64
	closed bool
}

// handedAnn is an annotation as a save stored it, and the change-log
// position of that save's commit.
type handedAnn struct {
	seq uint64
	a   *annotation.Annotation
}

// maxHanded is how many annotations handedAnns holds at most: while
// passes fail (see Health), saves keep coming and are not applied; past
// this many, passes read the rest from the Store as before.
const maxHanded = 4 * maxBacklog

// put records that the save committed at seq stored a (which the index
// keeps: pass a copy). A position at or below one already held for the
// same id is ignored: saves of one annotation may hand over out of order.
// So is one a pass has applied already, and every one after close.
func (h *handedAnns) put(a *annotation.Annotation, seq uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || seq <= h.floor {
		return
	}
	if h.m == nil {
		h.m = map[string]handedAnn{}
	}
	old, ok := h.m[a.ID]
	if ok && old.seq >= seq || !ok && len(h.m) >= maxHanded {
		return
	}
	h.m[a.ID] = handedAnn{seq: seq, a: a}
}

// take returns the annotations of changes that saves handed over at the
// position of their last change among changes, by id; nil when none.
func (h *handedAnns) take(changes []annotation.Change) map[string]*annotation.Annotation {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.m) == 0 {
		return nil
	}
	last := make(map[string]uint64, len(changes))
	for _, c := range changes {
		if c.AnnotationID != "" {
			last[c.AnnotationID] = max(last[c.AnnotationID], c.Seq)
		}
	}
	var got map[string]*annotation.Annotation
	for id, seq := range last {
		if e, ok := h.m[id]; ok && e.seq == seq {
			if got == nil {
				got = make(map[string]*annotation.Annotation, len(last))
			}
			got[id] = e.a
		}
	}
	return got
}

// applied drops the entries at or below upTo, which a pass has applied
// (or read from the Store instead).
func (h *handedAnns) applied(upTo uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.floor = max(h.floor, upTo)
	for id, e := range h.m {
		if e.seq <= upTo {
			delete(h.m, id)
		}
	}
}

// close drops every entry and every later hand-over: the index is
// closed, and the next Open replays the change log from the Store.
func (h *handedAnns) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed, h.m = true, nil
}

// len returns how many entries are held.
func (h *handedAnns) len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.m)
}
