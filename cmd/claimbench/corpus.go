package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"claimmark/internal/annotation"
)

// writeCorpus writes arts to 000-articles.jsonl and anns to
// NNN-annotations.jsonl files of at most chunk annotations each, named so
// that a shell glob lists them in import order (an import takes at most
// annotation.MaxImportBytes), and returns the file names in import order.
func writeCorpus(dir string, arts []*annotation.Article, anns []*annotation.Annotation, chunk int) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var files []string
	write := func(name string, items func(enc *json.Encoder) error) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		if err := items(json.NewEncoder(w)); err != nil {
			f.Close()
			return err
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		files = append(files, f.Name())
		return f.Close()
	}
	err := write("000-articles.jsonl", func(enc *json.Encoder) error {
		for _, a := range arts {
			if err := enc.Encode(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := 0; i < len(anns); i += chunk {
		part := anns[i:min(i+chunk, len(anns))]
		err := write(fmt.Sprintf("%03d-annotations.jsonl", i/chunk+1), func(enc *json.Encoder) error {
			for _, a := range part {
				if err := enc.Encode(a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// stopWords are left out of query words: the index drops them anyway.
var stopWords = map[string]bool{
	"about": true, "after": true, "again": true, "because": true, "before": true, "being": true, "could": true,
	"their": true, "there": true, "these": true, "those": true, "which": true, "while": true, "would": true,
	"should": true, "other": true, "where": true, "under": true, "until": true, "whose": true, "into": true,
	"that": true, "this": true, "with": true, "from": true, "have": true, "will": true, "were": true, "what": true,
}

// queryPairs returns n two-word queries of mid-frequency words of the
// annotations' quotes and notes (each word in 0.3 % to 5 % of them),
// chosen deterministically from seed.
func queryPairs(anns []*annotation.Annotation, n int, seed uint64) []string {
	df := map[string]int{}
	for _, a := range anns {
		seen := map[string]bool{}
		for _, w := range strings.FieldsFunc(strings.ToLower(a.Target.Quote.Exact+" "+a.Note), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len(w) >= 4 && !stopWords[w] && !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	var words []string
	lo, hi := len(anns)*3/1000, len(anns)*5/100
	for w, c := range df {
		if c >= max(lo, 2) && c <= hi {
			words = append(words, w)
		}
	}
	slices.Sort(words)
	if len(words) < 2 {
		return []string{"ceasefire talks"}
	}
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]string, n)
	for i := range out {
		a, b := words[r.IntN(len(words))], words[r.IntN(len(words))]
		out[i] = a + " " + b
	}
	return out
}

// newAnnotations returns n new, valid annotations on random passages of
// arts, in their article's group, by one of the corpus' creators, one in
// benchPrivateEvery private.
func newAnnotations(arts []*annotation.Article, n int, seed uint64) []*annotation.Annotation {
	r := rand.New(rand.NewPCG(seed, 11))
	kinds := []annotation.Kind{annotation.Claim, annotation.Denial, annotation.Proposal}
	out := make([]*annotation.Annotation, n)
	for i := range out {
		art := arts[r.IntN(len(arts))]
		runes := []rune(art.Text)
		length := 20 + r.IntN(100)
		start := r.IntN(max(1, len(runes)-length))
		end := min(len(runes), start+length)
		out[i] = &annotation.Annotation{
			ID:        annotation.NewID(),
			ArticleID: art.ID,
			Kind:      kinds[r.IntN(3)],
			Target: annotation.Target{
				Quote:    annotation.Quote{Exact: string(runes[start:end])},
				Position: annotation.Position{Start: start, End: end},
			},
			Speaker: fmt.Sprintf("Bench Speaker %d", r.IntN(20)),
			Note:    "written by claimbench",
			Tags:    []string{"bench"},
			GroupID: art.GroupID,
			Creator: benchUser(r.IntN(benchUsers)),
		}
		if r.IntN(benchPrivateEvery) == 0 {
			out[i].Visibility = annotation.VisibleToSelf
		}
	}
	return out
}
