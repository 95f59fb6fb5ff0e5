package index

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/document"

	"claimmark/internal/annotation"
)

// addSpeaker adds the speaker fields of a, whose identity is sp (or nil),
// to d: the facet value (the identity's current name, else the text as
// written), the names as text and the keys that the speaker filter
// matches (see speakerFilter).
func (b *docBuilder) addSpeaker(d *document.Document, a *annotation.Annotation, sp *annotation.Speaker) {
	if a.Speaker == "" {
		return
	}
	facet := a.Speaker
	keys := []string{annotation.SpeakerKey(a.Speaker)}
	if sp != nil {
		facet = sp.Name
		names := append([]string{sp.Name}, sp.Aliases...)
		d.AddField(document.NewTextFieldCustom(fieldSpeakerNames, nil, []byte(strings.Join(names, "\n")), optText, b.en))
		for _, k := range sp.Keys() {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	d.AddField(document.NewTextFieldCustom(fieldSpeakerExact, nil, []byte(facet), optKeyword, b.kw))
	for i, k := range keys {
		d.AddField(document.NewTextFieldCustom(fieldSpeakerKey, []uint64{uint64(i)}, []byte(k), optKeyword, b.kw))
	}
}

// speakerFilter returns the term the speaker filter looks for: the
// SpeakerKey of the name, so that a filter on any name or alias of an
// identity, however spelled, finds all of its annotations.
func speakerFilter(name string) (field, term string) {
	return fieldSpeakerKey, annotation.SpeakerKey(name)
}

// speakerLookup finds speaker identities for documents. It remembers what
// it loaded, so one is made per sync pass or rebuild: speakers change, and
// the store logs a change for every annotation whose speaker's names
// change, so the pass that applies it loads the new names.
type speakerLookup struct {
	st   annotation.SpeakerStore // nil when the Store keeps no identities
	bulk annotation.BulkReader   // nil when the Store reads one id at a time
	m    map[string]*annotation.Speaker
}

func (ix *Index) newSpeakerLookup() *speakerLookup {
	sp, _ := ix.st.(annotation.SpeakerStore)
	bulk, _ := ix.st.(annotation.BulkReader)
	return &speakerLookup{st: sp, bulk: bulk, m: map[string]*annotation.Speaker{}}
}

// prefetch loads the speakers among ids that are not loaded yet in one
// call, when the Store is an annotation.BulkReader; a speaker it does not
// have is remembered as nil, as get does. Without a BulkReader it does
// nothing (get loads each). Unlike get, it returns the Store's errors:
// the pass fails and is tried again rather than index a document
// without its speaker's names.
func (l *speakerLookup) prefetch(ctx context.Context, ids []string) error {
	if l.st == nil || l.bulk == nil {
		return nil
	}
	var missing []string
	for _, id := range ids {
		if _, ok := l.lookup(id); !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	found, err := l.bulk.SpeakersByID(ctx, missing)
	if err != nil {
		return fmt.Errorf("index: load %d speakers: %w", len(missing), err)
	}
	for _, id := range missing {
		l.m[id] = found[id]
	}
	return nil
}

// load reads every speaker, before a rebuild walks the store (whose
// callback may not call the store).
func (l *speakerLookup) load(ctx context.Context) error {
	if l.st == nil {
		return nil
	}
	list, err := l.st.Speakers(ctx, "")
	if err != nil {
		return err
	}
	for i := range list {
		l.m[list[i].ID] = &list[i].Speaker
	}
	return nil
}

// lookup returns the loaded speaker id, and whether the answer is known
// without asking the store.
func (l *speakerLookup) lookup(id string) (*annotation.Speaker, bool) {
	if id == "" || l.st == nil {
		return nil, true
	}
	sp, ok := l.m[id]
	return sp, ok
}

// get returns speaker id, loading it when needed; nil when a has no
// identity or it cannot be found (the speaker text then stands alone).
func (l *speakerLookup) get(ctx context.Context, id string) *annotation.Speaker {
	if sp, ok := l.lookup(id); ok {
		return sp
	}
	sp, err := l.st.Speaker(ctx, id)
	if err != nil {
		sp = nil
	}
	l.m[id] = sp
	return sp
}
