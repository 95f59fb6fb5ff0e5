package store

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"claimmark/internal/annotation"
)

// TestAppendCountsIsJSON checks that appendCounts writes the bytes
// json.Marshal writes, and decodeCounts reads them back.
func TestAppendCountsIsJSON(t *testing.T) {
	cases := []annotation.Counts{
		{}, {Claim: 1}, {Denial: 2}, {Proposal: 3}, {Claim: 10, Denial: 200, Proposal: 3000},
		{Claim: -1, Denial: -20, Proposal: 0},
		{Claim: 999_999_999_999_999_999, Denial: -999_999_999_999_999_999},
		{Claim: math.MaxInt64, Denial: math.MinInt64, Proposal: math.MaxInt32},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := func() int { return int(r.Int64N(1<<uint(r.IntN(62)+1))) - 1<<uint(r.IntN(10)) }
		cases = append(cases, annotation.Counts{Claim: n(), Denial: n(), Proposal: n()})
	}
	for _, c := range cases {
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendCounts([]byte("x"), c); string(got) != "x"+string(want) {
			t.Fatalf("appendCounts(%+v) = %s, want x%s", c, got, want)
		}
		got, err := decodeCounts(want)
		if err != nil || got != c {
			t.Fatalf("decodeCounts(%s) = %+v, %v; want %+v", want, got, err, c)
		}
	}
}

// TestDecodeCountsOtherJSON checks that decodeCounts reads what
// encoding/json reads, as it does, when the bytes are not in
// appendCounts's form: other spacing, order, fields or numbers, and
// malformed data, which is an error.
func TestDecodeCountsOtherJSON(t *testing.T) {
	for _, data := range []string{
		`{"claim":1,"denial":2,"proposal":3}`,
		`{"claim": 1, "denial": 2, "proposal": 3}`,
		`{"proposal":3,"claim":1,"denial":2}`,
		`{"claim":1,"denial":2}`,
		`{"claim":1,"denial":2,"proposal":3,"other":4}`,
		`{"Claim":1,"denial":2,"proposal":3}`,
		`{"claim":01,"denial":2,"proposal":3}`,
		`{"claim":-0,"denial":2,"proposal":3}`,
		`{"claim":-,"denial":2,"proposal":3}`,
		`{"claim":1.0,"denial":2,"proposal":3}`,
		`{"claim":1,"denial":2,"proposal":3} `,
		`{"claim":1,"denial":2,"proposal":3}}`,
		`{"claim":1,"denial":2,"proposal":3`,
		`{"claim":99999999999999999999,"denial":2,"proposal":3}`,
		`{"claim":"1","denial":2,"proposal":3}`,
		`{}`, `null`, ``, `[1,2,3]`, `{"claim":1,"denial":2,"proposal":`,
	} {
		var want annotation.Counts
		wantErr := json.Unmarshal([]byte(data), &want)
		got, err := decodeCounts([]byte(data))
		if (err != nil) != (wantErr != nil) {
			t.Errorf("decodeCounts(%s): error %v, encoding/json's %v", data, err, wantErr)
			continue
		}
		if err == nil && got != want {
			t.Errorf("decodeCounts(%s) = %+v, encoding/json reads %+v", data, got, want)
		}
	}
}

func BenchmarkDecodeCounts(b *testing.B) {
	data := appendCounts(nil, annotation.Counts{Claim: 12, Denial: 3, Proposal: 7})
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			if _, err := decodeCounts(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			var c annotation.Counts
			if err := json.Unmarshal(data, &c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzDecodeCounts checks that decodeCounts reads any bytes as
// encoding/json does: the same counts, or an error when it errs.
func FuzzDecodeCounts(f *testing.F) {
	for _, s := range []string{`{"claim":1,"denial":2,"proposal":3}`, `{"claim":-0,"denial":0,"proposal":0}`,
		`{"claim":1,"denial":2,"proposal":3,"claim":4}`, `{"claim":012,"denial":2,"proposal":3}`,
		`{"claim":9223372036854775807,"denial":-9223372036854775808,"proposal":0}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want annotation.Counts
		wantErr := json.Unmarshal(data, &want)
		got, err := decodeCounts(data)
		if (err != nil) != (wantErr != nil) || (err == nil && got != want) {
			t.Fatalf("decodeCounts(%q) = %+v, %v; encoding/json: %+v, %v", data, got, err, want, wantErr)
		}
	})
}
