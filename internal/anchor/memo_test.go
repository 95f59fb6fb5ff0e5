package anchor

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

// TestMemoAnswersAsAFreshSearch checks what AnchorAll's second look at a
// target relies on: a search that reuses the memo of an earlier search
// of the same target (its scans, patterns and refined boundaries) returns
// what the same search returns from scratch, for searches restricted to
// part of the text as checkOrder makes them. Not always: a scan of the
// whole text counts the errors of a match that begins before the part
// searched, which a scan of that part alone cannot see, so a near-
// duplicate at the edge may count against a unique quote. At most 1 %
// may differ.
func TestMemoAnswersAsAFreshSearch(t *testing.T) {
	same, total := 0, 0
	for _, sc := range proseScenarios(t, 7_500)[:8] {
		text := NewText(sc.newText)
		n := text.Len()
		for _, tg := range sc.targets {
			memo := &targetMemo{}
			first, _ := text.search(tg, tg.Position.Start, 0, n, shiftedWindow, true, false, memo)
			for _, w := range [][3]int{{tg.Position.Start, 0, n}, {first.Start, max(0, first.Start-900), min(n, first.Start+900)}, {n / 2, n / 4, 3 * n / 4}} {
				fresh, _ := text.anchorIn(tg, w[0], w[1], w[2], nil)
				memoed, _ := text.anchorIn(tg, w[0], w[1], w[2], memo)
				total++
				if fresh == memoed {
					same++
				} else {
					t.Logf("%q, hint %d in [%d, %d]: %+v from scratch, %+v with the memo", tg.Quote.Exact, w[0], w[1], w[2], fresh, memoed)
				}
			}
		}
	}
	if total == 0 || 100*same < 99*total {
		t.Errorf("%d of %d searches with the memo differ from the same search from scratch", total-same, total)
	}
}

// TestExactOccurrencesMemo checks that a second search of a target reuses
// the first's exact occurrences unchanged, also when the quote occurs more
// than maxExact times and each search keeps those nearest its own hint.
func TestExactOccurrencesMemo(t *testing.T) {
	text := NewText(strings.Repeat("one word and another. ", 2*maxExact) + "A sentence of its own, here.")
	n := text.Len()
	tests := []struct {
		name  string
		quote string
		want  int // occurrences
	}{
		{"once", "A sentence of its own", 1},
		{"more than maxExact", "word", 2 * maxExact},
		{"nowhere", "not in the text at all", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := annotation.Target{Quote: annotation.Quote{Exact: tc.quote}, Position: annotation.Position{Start: 0, End: len(tc.quote)}}
			memo := &targetMemo{}
			for _, hint := range []int{n - 10, 0, n / 2} {
				memoed, _ := text.anchorIn(tg, hint, 0, n, memo)
				fresh, _ := text.anchorIn(tg, hint, 0, n, nil)
				if memoed != fresh {
					t.Errorf("hint %d: %+v with the memo, %+v from scratch", hint, memoed, fresh)
				}
				if !memo.exactFound || len(memo.exactAt) != tc.want || !slices.IsSorted(memo.exactAt) {
					t.Fatalf("hint %d: memo holds %d occurrences (found %v, sorted %v), want %d in order", hint, len(memo.exactAt), memo.exactFound, slices.IsSorted(memo.exactAt), tc.want)
				}
			}
		})
	}
}

// TestGoneOrphanSecondLook: a passage deleted from between its neighbours,
// with nothing like it near, is an orphan without a search of the whole
// text (no scan of the target has fewer errors than a window's), and
// checkOrder does not look at it again.
func TestGoneOrphanSecondLook(t *testing.T) {
	filler := func(seed uint64) string { return digitFiller(seed, 1, 3000) }
	sentences := []string{
		"Quarterly harvest figures arrived late from the northern cooperatives.",
		"Engineers replaced the corroded valves before the winter storms began.",
		filler(1),
		"Customs officers seized twelve crates of counterfeit watch batteries.",
		filler(2),
		"Volunteers mapped every footpath crossing the marshes last summer.",
	}
	old := strings.Join(sentences, " ")
	const deleted = 3
	text := NewText(strings.Join(slices.Delete(slices.Clone(sentences), deleted, deleted+1), " "))
	oldText := NewText(old)
	var targets []annotation.Target
	for _, k := range []int{1, deleted, 5} { // neighbours whose context the deletion leaves intact
		start := utf8.RuneCountInString(old[:strings.Index(old, sentences[k])])
		tg, err := oldText.Target(start, start+utf8.RuneCountInString(sentences[k]))
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, tg)
	}
	idx := []int{0, 1, 2}
	out := make([]Result, len(targets))
	memos := newMemoTable(len(targets))
	text.anchorShifted(targets, out, idx, memos)
	const i = 1
	m := memos.of(i)
	scans := len(m.scans)
	text.checkOrder(targets, out, idx, memos)
	if out[i].Status != Orphan {
		t.Fatalf("deleted sentence: %+v, want an orphan", out[i])
	}
	if !m.gone {
		t.Fatalf("deleted sentence not found gone with nothing near: %+v", out[i])
	}
	if len(m.scans) != scans {
		t.Errorf("checkOrder scanned the text %d more times for the orphan found gone", len(m.scans)-scans)
	}
	kmax := max(smallChangeErrors, len(m.q)*2/5)
	for _, s := range m.scans {
		if s.k < kmax {
			t.Errorf("scan of [%d, %d) with %d errors: the gap between the landmarks was searched", s.lo, s.hi, s.k)
		}
	}
	for j, r := range out {
		if j != i && r.Status != Anchored {
			t.Errorf("target %d: %+v, want anchored", j, r)
		}
	}
}

// TestGoneWeakLookAlike: a passage deleted from between its neighbours,
// with only a weak look-alike near (a reworded copy of the sentence in
// unrelated text, scoring below ReviewScore) and no verbatim occurrence,
// is an orphan without a search of the whole text; with a verbatim copy
// elsewhere with some of its context (the passage moved), the whole text is
// searched. So it is for a verbatim copy far away without its context:
// the look-alike near contests it, so movedAway gives way to the search,
// and the passage stays an orphan.
func TestGoneWeakLookAlike(t *testing.T) {
	filler := func(seed uint64) string { return digitFiller(seed, 1, 3000) }
	const (
		deletedSentence = "Customs officers seized twelve crates of counterfeit watch batteries."
		lookAlike       = "Customs agents seized ten crates of counterfeit watch parts. "
	)
	tests := []struct {
		name       string
		elsewhere  string // appended to the new text
		wantGlobal bool
		want       Status // the deleted sentence's status; "" for any
	}{
		{"weak look-alike near", "", false, Orphan},
		{"verbatim copy far away", filler(3) + deletedSentence + " " + filler(2)[:40], true, ""},
		{"verbatim copy far away without context", filler(3) + deletedSentence, true, Orphan},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sentences := []string{
				"Quarterly harvest figures arrived late from the northern cooperatives.",
				"Engineers replaced the corroded valves before the winter storms began.",
				filler(1),
				deletedSentence,
				filler(2),
				"Volunteers mapped every footpath crossing the marshes last summer.",
			}
			old := strings.Join(sentences, " ")
			oldText := NewText(old)
			var targets []annotation.Target
			for _, k := range []int{1, 3, 5} {
				start := utf8.RuneCountInString(old[:strings.Index(old, sentences[k])])
				tg, err := oldText.Target(start, start+utf8.RuneCountInString(sentences[k]))
				if err != nil {
					t.Fatal(err)
				}
				targets = append(targets, tg)
			}
			// Delete the passage; the look-alike replaces as much of the
			// filler after it, 100 code points on, which keeps the
			// neighbours' context and brings them closer.
			f2 := sentences[4]
			sentences[4] = f2[:100] + lookAlike + f2[100+len(lookAlike):]
			text := NewText(strings.Join(slices.Delete(slices.Clone(sentences), 3, 4), " ") + tc.elsewhere)
			idx := []int{0, 1, 2}
			out := make([]Result, len(targets))
			memos := newMemoTable(len(targets))
			text.anchorShifted(targets, out, idx, memos)
			const i = 1
			if tc.want != "" && out[i].Status != tc.want {
				t.Fatalf("deleted sentence: %+v, want %s", out[i], tc.want)
			}
			m := memos.of(i)
			if m.gone {
				t.Fatalf("the look-alike was not found near the deleted sentence's place")
			}
			kmax := max(smallChangeErrors, len(m.q)*2/5)
			global := false
			for _, s := range m.scans {
				global = global || s.k < kmax
			}
			if global != tc.wantGlobal {
				t.Errorf("whole text searched: %v, want %v (scans %+v)", global, tc.wantGlobal, m.scans)
			}
		})
	}
}

// TestSharedScratchSearches checks that searches of different targets
// that share one scratch (as AnchorAll's do, see memoTable), the second
// looks coming after the other targets' searches have reused the memory
// of the patterns, answer as the same searches with a scratch of their
// own, and that no memo holds patterns between searches (see
// releasePatterns).
func TestSharedScratchSearches(t *testing.T) {
	for _, sc := range proseScenarios(t, 7_500)[:4] {
		text := NewText(sc.newText)
		n := text.Len()
		shared := newMemoTable(len(sc.targets))
		own := make([]targetMemo, len(sc.targets))
		for _, at := range []int{-1, n / 3, 2 * n / 3} { // the target's old place, then elsewhere
			for i, tg := range sc.targets {
				hint := at
				if at < 0 {
					hint = tg.Position.Start
				}
				got, _ := text.search(tg, hint, 0, n, shiftedWindow, at < 0, false, shared.of(i))
				want, _ := text.search(tg, hint, 0, n, shiftedWindow, at < 0, false, &own[i])
				if got != want {
					t.Errorf("%q, hint %d: %+v with a shared scratch, %+v with its own", tg.Quote.Exact, hint, got, want)
				}
				if m := shared.of(i); m.qPat != nil || m.qRev != nil || m.prePat != nil || m.preFwd != nil || m.sufPat != nil || m.sufRev != nil {
					t.Fatalf("%q: the memo holds patterns after its search", tg.Quote.Exact)
				}
				if sp := &shared.of(i).scratch.patterns; sp.w.used != 0 || sp.t.used != 0 || sp.p.used != 0 {
					t.Fatalf("%q: the pattern space is not free after its search", tg.Quote.Exact)
				}
			}
		}
	}
}
