package memsearch

import (
	"strconv"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// BenchmarkSearchIdentities measures what the speaker identities cost the
// offline search: the same queries over 2,000 annotations, without
// identities (Search) and with one identity, holding two aliases, per
// speaker (SearchIdentities).
func BenchmarkSearchIdentities(b *testing.B) {
	arts, anns := synth.Corpus(11, 30, 2000)
	titles := map[string]string{}
	for _, a := range arts {
		titles[a.ID] = a.Title
	}
	ids := map[string]*annotation.Speaker{}
	byName := map[string]string{}
	for _, a := range anns {
		if a.Speaker == "" {
			continue
		}
		id, ok := byName[a.Speaker]
		if !ok {
			id = "s" + strconv.Itoa(len(byName))
			byName[a.Speaker] = id
			ids[id] = &annotation.Speaker{ID: id, Name: a.Speaker, Aliases: []string{"Alias " + id, "Other " + id}}
		}
		a.SpeakerID = id
	}
	for _, q := range []annotation.Query{{}, {Text: "quote:ceasefire"}, {Text: "ceasefire"}, {Speaker: "Maria Zakharova"}} {
		name := q.Text + q.Speaker
		if name == "" {
			name = "all"
		}
		b.Run(name+"/plain", func(b *testing.B) {
			for b.Loop() {
				if _, err := Search(anns, titles, q); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/identities", func(b *testing.B) {
			for b.Loop() {
				if _, err := SearchIdentities(anns, titles, ids, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
