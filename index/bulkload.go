package index

import (
	"context"
	"fmt"

	"claimmark/internal/annotation"
)

// loadAnnotations returns the stored annotations among ids, by id; an id
// the Store no longer has is left out. A Store that is an
// annotation.BulkReader reads them in one call (one transaction, or one
// round trip to a database server); any other is asked for each id.
func (ix *Index) loadAnnotations(ctx context.Context, ids []string) (map[string]*annotation.Annotation, error) {
	if br, ok := ix.st.(annotation.BulkReader); ok {
		m, err := br.AnnotationsByID(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("index: load %d annotations: %w", len(ids), err)
		}
		return m, nil
	}
	m := make(map[string]*annotation.Annotation, len(ids))
	for _, id := range ids {
		a, err := ix.st.Annotation(ctx, id)
		switch {
		case annotation.ErrorCode(err) == annotation.NotFound:
			continue
		case err != nil:
			return nil, fmt.Errorf("index: load annotation %s: %w", id, err)
		}
		m[id] = a
	}
	return m, nil
}

// rejectingEach returns, for each of ids, the annotations that reject it
// (see rejecting), by id; ids that none rejects are left out. A
// BulkReader Store is asked once for all of them.
func (ix *Index) rejectingEach(ctx context.Context, ids []string) (map[string][]*annotation.Annotation, error) {
	out := map[string][]*annotation.Annotation{}
	if br, ok := ix.st.(annotation.BulkReader); ok {
		links, err := br.LinksToEach(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("index: find annotations linking to %d annotations: %w", len(ids), err)
		}
		for id, from := range links {
			if from = rejectingOnly(from, id); len(from) > 0 {
				out[id] = from
			}
		}
		return out, nil
	}
	for _, id := range ids {
		from, err := ix.rejecting(ctx, id)
		if err != nil {
			return nil, err
		}
		if len(from) > 0 {
			out[id] = from
		}
	}
	return out, nil
}

// changedDocs is what one apply pass reads of the Store to re-index the
// annotations that a page of changes names.
type changedDocs struct {
	// index holds the annotations to index, in the order of the changes:
	// each changed annotation that the Store has, followed by those that
	// reject it (their rejects field holds its speaker). Each id once.
	index []*annotation.Annotation
	// gone holds the changed ids that the Store no longer has.
	gone []string
	// known holds every annotation read, by id, and the ids read and not
	// found (nil), for the rejected speakers of index.
	known map[string]*annotation.Annotation
}

// loadChanged reads what the annotations named in changes need to be
// re-indexed: the annotations, those that reject them, the annotations
// those reject (for their rejects field) and their speakers, into
// speakers. A BulkReader Store is asked once for each of these sets
// (three or four calls for the page); any other once per id. With pre (an
// import's committed annotations) it reads only what pre does not hold.
func (ix *Index) loadChanged(ctx context.Context, changes []annotation.Change, speakers *speakerLookup, pre *committed) (*changedDocs, error) {
	ids := make([]string, 0, len(changes))
	seen := make(map[string]bool, len(changes))
	for _, c := range changes {
		if c.AnnotationID == "" {
			continue // names only an article, whose title apply forgot
		}
		if !seen[c.AnnotationID] {
			seen[c.AnnotationID] = true
			ids = append(ids, c.AnnotationID)
		}
	}
	read, linkable := ids, ids // to read from the Store; to ask which annotations reject
	if pre != nil {
		read, linkable = nil, nil
		for _, id := range ids {
			if _, ok := pre.anns[id]; !ok {
				read = append(read, id)
				linkable = append(linkable, id)
			} else if pre.linkedAll || pre.linked[id] {
				linkable = append(linkable, id)
			}
		}
	}
	anns, err := ix.loadAnnotations(ctx, read)
	if err != nil {
		return nil, err
	}
	if pre != nil {
		if anns == nil {
			anns = make(map[string]*annotation.Annotation, len(ids))
		}
		for _, id := range ids {
			if a, ok := pre.anns[id]; ok {
				anns[id] = a
			}
		}
	}
	from, err := ix.rejectingEach(ctx, linkable)
	if err != nil {
		return nil, err
	}
	d := &changedDocs{known: make(map[string]*annotation.Annotation, len(ids))}
	clear(seen)
	for _, id := range ids {
		d.known[id] = anns[id] // nil: gone
	}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			if a := anns[id]; a != nil {
				d.index = append(d.index, a)
			} else {
				d.gone = append(d.gone, id)
			}
		}
		for _, f := range from[id] {
			if !seen[f.ID] {
				seen[f.ID] = true
				d.index = append(d.index, f)
				d.known[f.ID] = f
			}
		}
	}
	var targets, speakerIDs []string
	asked := map[string]bool{}
	for _, a := range d.index {
		for _, r := range a.Relations {
			if _, ok := d.known[r.Target]; r.Type == annotation.Rejects && !ok && !asked[r.Target] {
				asked[r.Target] = true
				targets = append(targets, r.Target)
			}
		}
		if a.SpeakerID != "" && !asked["speaker:"+a.SpeakerID] {
			asked["speaker:"+a.SpeakerID] = true
			speakerIDs = append(speakerIDs, a.SpeakerID)
		}
	}
	if len(targets) > 0 {
		found, err := ix.loadAnnotations(ctx, targets)
		if err != nil {
			return nil, err
		}
		for _, id := range targets {
			d.known[id] = found[id]
		}
	}
	if err := speakers.prefetch(ctx, speakerIDs); err != nil {
		return nil, err
	}
	return d, nil
}
