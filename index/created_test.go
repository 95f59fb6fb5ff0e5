package index

import (
	"context"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestCreatedRanges checks date ranges on Created, which read the sort
// key (created.go): each end included or excluded to the nanosecond, in a
// query string and as the Since and Until filters, beside words, across
// segments, and without annotations deleted since.
func TestCreatedRanges(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	st := Indexing(f.st, ix)
	ctx := context.Background()
	quote := "Moscow rejected the ceasefire proposal outright"
	n3 := day("2025-01-10") // n3's Created
	before := newAnn(f.a1, "x0", quote, annotation.Claim, "", "", nil, n3.Add(-1))
	after := newAnn(f.a1, "x1", quote, annotation.Claim, "", "", nil, n3.Add(1))
	// A second batch: the new annotations are in a segment of their own.
	if err := st.Import(ctx, nil, []*annotation.Annotation{before, after}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		q    annotation.Query
		want []string
	}{
		{"from, included", annotation.Query{Text: `created:>="2025-01-10T00:00:00Z"`}, []string{"n3", "n4", "n5", "n6", "n7", "x1"}},
		{"from, excluded", annotation.Query{Text: `created:>"2025-01-10T00:00:00Z"`}, []string{"n4", "n5", "n6", "n7", "x1"}},
		{"to, included", annotation.Query{Text: `created:<="2025-01-10T00:00:00Z"`}, []string{"n1", "n2", "n3", "x0"}},
		{"to, excluded", annotation.Query{Text: `created:<"2025-01-10T00:00:00Z"`}, []string{"n1", "n2", "x0"}},
		{"both ends", annotation.Query{Text: `+created:>"2024-03-01T00:00:00Z" +created:<"2025-01-10T00:00:00Z"`}, []string{"n2", "x0"}},
		{"a nanosecond wide", annotation.Query{Text: `+created:>="2025-01-10T00:00:00.000000001Z" +created:<="2025-01-10T00:00:00.000000001Z"`}, []string{"x1"}},
		{"since", annotation.Query{Since: n3}, []string{"n3", "n4", "n5", "n6", "n7", "x1"}},
		{"until", annotation.Query{Until: n3}, []string{"n1", "n2", "x0"}},
		{"since and until, a nanosecond apart", annotation.Query{Since: n3, Until: n3.Add(1)}, []string{"n3"}},
		{"either a word or a date", annotation.Query{Text: `convoy created:>="2025-07-01"`}, []string{"n4", "n6", "n7"}},
		{"a word but not a date", annotation.Query{Text: `+quote:summit -created:>="2025-07-01"`}, []string{"n3"}},
		{"a date range and a filter", annotation.Query{Text: `created:<"2025-01-10"`, Kind: annotation.Claim}, []string{"n2", "x0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := wantHits(t, ix, tt.q, tt.want)
			if res.Total != len(tt.want) {
				t.Errorf("Total = %d, want %d", res.Total, len(tt.want))
			}
		})
	}

	if err := st.DeleteAnnotation(ctx, "x1", ""); err != nil {
		t.Fatal(err)
	}
	wantHits(t, ix, annotation.Query{Text: `created:>"2025-01-10T00:00:00Z"`}, []string{"n4", "n5", "n6", "n7"})
	wantHits(t, ix, annotation.Query{Since: n3}, []string{"n3", "n4", "n5", "n6", "n7"})
}

// TestCreatedRangeErrors checks that a date a range cannot compare is
// Invalid, with a sentence naming the dates it can, in a query string
// and as a filter.
func TestCreatedRangeErrors(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	for _, q := range []annotation.Query{
		{Text: `created:>"1500-01-01"`},
		{Text: `created:>"0001-01-01T00:00:00Z"`},
		{Text: `summit created:<="0001-01-01"`},
		{Text: `quote:summit created:<"2300-01-01"`},
		{Since: day("1600-01-01")},
	} {
		_, err := ix.Search(context.Background(), q)
		if code := annotation.ErrorCode(err); code != annotation.Invalid {
			t.Errorf("Search(%+v) = %v (%s), want Invalid", q, err, code)
			continue
		}
		if msg := annotation.ErrorMessage(err); !strings.Contains(msg, "1677-12-01 to 2262-04-11") {
			t.Errorf("Search(%+v): %q does not say which dates a search can compare", q, msg)
		}
	}
}

// TestNoCreatedField checks that documents carry no created field: bleve
// indexed a datetime as 16 terms, most of them unique.
func TestNoCreatedField(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	fields, err := ix.bi.Fields()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range fields {
		if name == fieldCreated {
			t.Errorf("the index has a %s field", fieldCreated)
		}
	}
}
