package synth_test

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/synth"
)

// prose is real text for ProseCorpus: the attribution eval articles.
func prose(t *testing.T) string {
	t.Helper()
	files, err := filepath.Glob("../attrib/testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no prose in ../attrib/testdata: %v", err)
	}
	var b strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteString("\n\n")
	}
	return b.String()
}

func TestCorpusIsValid(t *testing.T) {
	text := prose(t)
	for _, tc := range []struct {
		name   string
		corpus func(seed int64, articles, annotations int) ([]*annotation.Article, []*annotation.Annotation)
	}{
		{"Corpus", synth.Corpus},
		{"ProseCorpus", func(seed int64, articles, annotations int) ([]*annotation.Article, []*annotation.Annotation) {
			return synth.ProseCorpus(seed, articles, annotations, text)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			arts, anns := tc.corpus(1, 50, 2000)
			checkCorpus(t, arts, anns)
		})
	}
}

// TestProseCorpusUsesTheProse checks that ProseCorpus's words come from
// the prose, with many more distinct words than Corpus's lists, and that
// the most frequent word is much more frequent than the median one (a
// Zipf-like skew).
func TestProseCorpusUsesTheProse(t *testing.T) {
	text := prose(t)
	inProse := map[string]bool{}
	for _, f := range strings.Fields(strings.ToLower(text)) {
		inProse[strings.Trim(f, ".,;:!?\"“”‘’()—")] = true
	}
	vocab := func(anns []*annotation.Annotation) map[string]int {
		n := map[string]int{}
		for _, a := range anns {
			for _, w := range strings.Fields(strings.ToLower(a.Target.Quote.Exact)) {
				n[w]++
			}
		}
		return n
	}
	_, proseAnns := synth.ProseCorpus(2, 100, 5000, text)
	_, wordAnns := synth.Corpus(2, 100, 5000)
	pv, wv := vocab(proseAnns), vocab(wordAnns)
	if len(pv) < 2*len(wv) {
		t.Errorf("ProseCorpus quotes use %d distinct words, Corpus's %d: want at least twice as many", len(pv), len(wv))
	}
	foreign := 0
	counts := make([]int, 0, len(pv))
	for w, n := range pv {
		if !inProse[strings.Trim(w, ".,;:!?\"“”‘’()—")] {
			foreign++
		}
		counts = append(counts, n)
	}
	if foreign > len(pv)/10 {
		t.Errorf("%d of %d distinct quote words are not in the prose", foreign, len(pv))
	}
	slices.Sort(counts)
	if top, mid := counts[len(counts)-1], counts[len(counts)/2]; top < 50*mid {
		t.Errorf("most frequent word %d times, median %d: want a Zipf-like skew (≥ 50×)", top, mid)
	}
}

// checkCorpus checks the guarantees of Corpus.
func checkCorpus(t *testing.T, arts []*annotation.Article, anns []*annotation.Annotation) {
	t.Helper()
	if len(arts) != 50 || len(anns) != 2000 {
		t.Fatalf("(1, 50, 2000) gave %d articles and %d annotations", len(arts), len(anns))
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
