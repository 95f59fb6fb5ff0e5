package synth_test

import (
	"reflect"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

func TestCorpusIsValid(t *testing.T) {
	arts, anns := synth.Corpus(1, 50, 2000)
	if len(arts) != 50 || len(anns) != 2000 {
		t.Fatalf("Corpus(1, 50, 2000) gave %d articles and %d annotations", len(arts), len(anns))
	}
	byID := map[string]*annotation.Article{}
	for _, a := range arts {
		if err := a.Validate(); err != nil {
			t.Fatalf("article %s: %v", a.ID, err)
		}
		if a.TextHash != annotation.HashText(a.Text) {
			t.Errorf("article %s: TextHash does not match its text", a.ID)
		}
		if byID[a.ID] != nil {
			t.Errorf("article id %s repeats", a.ID)
		}
		byID[a.ID] = a
	}
	ids := map[string]bool{}
	for _, a := range anns {
		art := byID[a.ArticleID]
		if art == nil {
			t.Fatalf("annotation %s names unknown article %s", a.ID, a.ArticleID)
		}
		if err := a.Validate(art.Text); err != nil {
			t.Fatalf("annotation %s: %v", a.ID, err)
		}
		if got, _ := annotation.Slice(art.Text, a.Target.Position.Start, a.Target.Position.End); got != a.Target.Quote.Exact {
			t.Errorf("annotation %s: quote %q, text at position %q", a.ID, a.Target.Quote.Exact, got)
		}
		if ids[a.ID] {
			t.Errorf("annotation id %s repeats", a.ID)
		}
		ids[a.ID] = true
		if a.Created.Before(art.Created) || !a.Created.Before(synth.End) {
			t.Errorf("annotation %s created %v, article %v", a.ID, a.Created, art.Created)
		}
	}
}

func TestCorpusIsDeterministic(t *testing.T) {
	a1, n1 := synth.Corpus(7, 10, 300)
	a2, n2 := synth.Corpus(7, 10, 300)
	if !reflect.DeepEqual(a1, a2) || !reflect.DeepEqual(n1, n2) {
		t.Error("Corpus(7, 10, 300) differs between two calls")
	}
	a3, _ := synth.Corpus(8, 10, 300)
	if a3[0].Text == a1[0].Text {
		t.Error("Corpus with seeds 7 and 8 gave the same first article")
	}
}

func TestCorpusIsSkewed(t *testing.T) {
	_, anns := synth.Corpus(3, 200, 10000)
	speakers, tags := map[string]int{}, map[string]int{}
	kinds := map[annotation.Kind]int{}
	var first, last time.Time
	nonASCII := false
	for i, a := range anns {
		speakers[a.Speaker]++
		kinds[a.Kind]++
		for _, t := range a.Tags {
			tags[t]++
		}
		if i == 0 || a.Created.Before(first) {
			first = a.Created
		}
		if a.Created.After(last) {
			last = a.Created
		}
		if len(a.Target.Quote.Exact) != annotation.RuneLen(a.Target.Quote.Exact) || len(a.Speaker) != annotation.RuneLen(a.Speaker) {
			nonASCII = true
		}
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"a few dozen speakers", len(speakers) >= 25 && len(speakers) <= 45},
		{"the top speaker far above the median one", speakers["Maria Zakharova"] > 5*speakers["Petr Fiala"]},
		{"some annotations without speaker", speakers[""] > 0},
		{"about fifty tags", len(tags) >= 40 && len(tags) <= 50},
		{"every kind, claims most", kinds[annotation.Claim] > kinds[annotation.Denial] && kinds[annotation.Proposal] > 0},
		{"created over most of two years", last.Sub(first) > 500*24*time.Hour},
		{"some non-ASCII quotes or speakers", nonASCII},
	}
	for _, tt := range tests {
		if !tt.ok {
			t.Errorf("corpus is not %s (speakers %d, tags %d, kinds %v, %v–%v)", tt.name, len(speakers), len(tags), kinds, first, last)
		}
	}
}

func TestCorpusHasNoDuplicateTargets(t *testing.T) {
	tests := []struct {
		seed                  int64
		articles, annotations int
	}{
		{1, 50, 2000},
		{3, 200, 10000},
		{7, 10, 300},
		{4, 1, 300}, // more than random draws find free: the scan fills in
		{5, 2, 1000},
	}
	for _, tt := range tests {
		arts, anns := synth.Corpus(tt.seed, tt.articles, tt.annotations)
		if len(anns) != tt.annotations {
			t.Errorf("Corpus(%d, %d, %d) gave %d annotations", tt.seed, tt.articles, tt.annotations, len(anns))
		}
		texts := map[string]string{}
		for _, a := range arts {
			texts[a.ID] = a.Text
		}
		type key struct {
			article    string
			kind       annotation.Kind
			start, end int
		}
		seen := map[key]string{}
		for _, a := range anns {
			k := key{a.ArticleID, a.Kind, a.Target.Position.Start, a.Target.Position.End}
			if other, dup := seen[k]; dup {
				t.Errorf("Corpus(%d, %d, %d): annotations %s and %s have the same article, kind and position %+v",
					tt.seed, tt.articles, tt.annotations, other, a.ID, k)
			}
			seen[k] = a.ID
			if err := a.Validate(texts[a.ArticleID]); err != nil {
				t.Errorf("Corpus(%d, %d, %d): annotation %s: %v", tt.seed, tt.articles, tt.annotations, a.ID, err)
			}
		}
	}
}
