package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// These tests hold the rules that send near-duplicates to review (or
// orphan them) instead of anchoring them: see settleCollisions,
// editedOutOfPlace, verbatimElsewhere and checkOrder.

func TestSettleCollisions(t *testing.T) {
	tg := func(start, end int) annotation.Target {
		return annotation.Target{Position: annotation.Position{Start: start, End: end}}
	}
	exact := func(start, end int, score float64) Result {
		return Result{Status: Anchored, Start: start, End: end, Score: score, Method: ByExact}
	}
	fuzzy := func(start, end int, score float64) Result {
		return Result{Status: Anchored, Start: start, End: end, Score: score, Method: ByFuzzy}
	}
	tests := []struct {
		name    string
		targets []annotation.Target
		in      []Result
		want    []Status
	}{
		{
			name:    "an edited quote on another's verbatim passage is an orphan",
			targets: []annotation.Target{tg(100, 150), tg(300, 350)},
			in:      []Result{exact(500, 550, 0.97), fuzzy(500, 551, 0.98)},
			want:    []Status{Anchored, Orphan},
		},
		{
			name:    "two edited quotes on one place: the lower score needs review",
			targets: []annotation.Target{tg(100, 150), tg(300, 350)},
			in:      []Result{fuzzy(500, 550, 0.90), fuzzy(502, 550, 0.85)},
			want:    []Status{Anchored, NeedsReview},
		},
		{
			name:    "nested old ranges (a clause and its sentence) may share a place",
			targets: []annotation.Target{tg(100, 200), tg(120, 160)},
			in:      []Result{exact(500, 600, 1), exact(520, 560, 1)},
			want:    []Status{Anchored, Anchored},
		},
		{
			name:    "neighbours that touch do not collide",
			targets: []annotation.Target{tg(100, 150), tg(151, 200)},
			in:      []Result{exact(500, 550, 1), fuzzy(551, 600, 0.9)},
			want:    []Status{Anchored, Anchored},
		},
		{
			name:    "results that overlap by less than half are left alone",
			targets: []annotation.Target{tg(100, 150), tg(300, 350)},
			in:      []Result{exact(500, 550, 1), fuzzy(530, 580, 0.9)},
			want:    []Status{Anchored, Anchored},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := append([]Result(nil), tt.in...)
			settleCollisions(tt.targets, out, []int{0, 1})
			for i, r := range out {
				if r.Status != tt.want[i] {
					t.Errorf("result %d: %s, want %s", i, r.Status, tt.want[i])
				}
			}
		})
	}
}

// TestEditedOutOfPlace: an edited quote anchored where its neighbours do
// not put it, while the quote occurs verbatim once elsewhere, needs review
// offering the verbatim occurrence; in place, or without the verbatim
// occurrence, it stays anchored.
func TestEditedOutOfPlace(t *testing.T) {
	quote := "Macron added that he plans to hold a trilateral meeting with both leaders."
	edited := "Rutte added that he plans to hold a trilateral meeting with both leaders."
	filler := strings.Repeat("x", 200)
	// The new text: the edited copy at 200, the verbatim quote at 600.
	text := filler + edited + strings.Repeat("y", 600-200-len(edited)) + quote + filler
	nt := NewText(text)
	target := annotation.Target{Quote: annotation.Quote{Exact: quote}, Position: annotation.Position{Start: 1000, End: 1000 + len(quote)}}
	res := func() Result {
		return Result{Status: Anchored, Start: 200, End: 200 + len(edited), Score: 0.95, Method: ByFuzzy}
	}
	tests := []struct {
		name  string
		marks []landmark // i 1 and 2; target 0
		quote string
		want  Result
	}{
		{
			name:  "out of place, verbatim elsewhere: review of the verbatim one",
			marks: []landmark{{old: 900, oldEnd: 950, new: 40, newEnd: 90, i: 1}, {old: 1200, oldEnd: 1250, new: 350, newEnd: 400, i: 2}},
			quote: quote,
			want:  Result{Status: NeedsReview, Start: 600, End: 600 + len(quote), Score: ReviewScore, Method: ByExact, Ambiguous: true},
		},
		{
			name:  "the landmark before puts it there: in place",
			marks: []landmark{{old: 900, oldEnd: 950, new: 100, newEnd: 150, i: 1}, {old: 1200, oldEnd: 1250, new: 350, newEnd: 400, i: 2}},
			quote: quote,
			want:  res(),
		},
		{
			name:  "no landmark around it: nothing to judge by",
			marks: nil,
			quote: quote,
			want:  res(),
		},
		{
			name:  "no verbatim occurrence, a better match of the quote near where the neighbours put it: review of that",
			marks: []landmark{{old: 900, oldEnd: 950, new: 440, newEnd: 490, i: 1}, {old: 1200, oldEnd: 1250, new: 750, newEnd: 800, i: 2}},
			quote: strings.Replace(quote, "both", "the two", 1),
			want:  Result{Status: NeedsReview, Start: 600, End: 600 + len(quote), Method: ByFuzzy, Ambiguous: true},
		},
		{
			name:  "no verbatim occurrence, no better match, the neighbours came together: review of itself",
			marks: []landmark{{old: 900, oldEnd: 950, new: 40, newEnd: 90, i: 1}, {old: 1200, oldEnd: 1250, new: 250, newEnd: 300, i: 2}},
			quote: strings.TrimSuffix(edited, ".") + "!",
			want:  Result{Status: NeedsReview, Start: 200, End: 200 + len(edited), Score: 0.95, Method: ByFuzzy, Ambiguous: true},
		},
		{
			name:  "no verbatim occurrence, no better match: left to the other rules",
			marks: []landmark{{old: 900, oldEnd: 950, new: 440, newEnd: 490, i: 1}, {old: 1200, oldEnd: 1250, new: 750, newEnd: 800, i: 2}},
			quote: strings.TrimSuffix(edited, ".") + "!",
			want:  res(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := target
			tg.Quote.Exact = tt.quote
			tg.Position.End = tg.Position.Start + len(tt.quote)
			out := []Result{res()}
			nt.editedOutOfPlace([]annotation.Target{tg}, out, []int{0}, tt.marks, nil, newMemoTable(1))
			got := out[0]
			if tt.want.Score == 0 {
				got.Score = 0 // the score of a candidate found by a search is not the point
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", out[0], tt.want)
			}
		})
	}
}

// TestEditedInContextFartherThanTheWindow: the quote occurs verbatim once
// near its old place with unrelated text before it, and edited with its
// whole context beyond the first search's window. Either may be the
// passage (a recurring sentence next to the place, or the passage edited),
// so the result needs review, offering the edited one in its context.
func TestEditedInContextFartherThanTheWindow(t *testing.T) {
	prefix := "The delegations met again on Tuesday in Geneva. "
	quote := "Energy infrastructure has become the quiet centre of the negotiations."
	suffix := " Both sides have struck power plants and substations."
	old := prefix + quote + suffix
	tg := mustTarget(t, old, quote, 0)
	edited := strings.Replace(quote, "become", "turned into", 1)
	filler := strings.Repeat("Markets moved little as traders waited for news. ", 60)
	text := "Unrelated words stand before the copy here. " + quote + suffix + "\n\n" + filler + prefix + edited + suffix
	nt := NewText(text)
	r := nt.Anchor(tg)
	ws, we := runeRange(t, text, edited, 0)
	if r.Status != NeedsReview || r.Start != ws || r.End != we || !r.Ambiguous {
		t.Errorf("got %+v (%q), want an ambiguous review of %d–%d", r, nt.Slice(r.Start, r.End), ws, we)
	}
}

// TestAnchorAllRecurringSentenceIsNotAMove: a sentence deleted from
// between its neighbours, whose copy with the same sentences around it
// recurs elsewhere (the same paragraph in another section), is not taken
// as moved: it needs review. A sentence moved alone, which keeps the
// context on one side only, is still anchored (TestAnchorAllMovedSentence).
func TestAnchorAllRecurringSentenceIsNotAMove(t *testing.T) {
	s := []string{
		"The first round of talks ended without a joint statement on Monday.",
		"Delegates said the mood had been tense but workable throughout.",
		"A second round is planned for the end of the month in Geneva.",
		"Observers expect little progress before the winter sets in.",
		"Energy strikes remain the most contested item on the agenda.",
		"Both sides accuse each other of targeting civilian infrastructure.",
	}
	old := strings.Join(s, " ")
	var targets []annotation.Target
	for _, q := range []string{s[0], s[2], s[4], s[5]} {
		targets = append(targets, mustTarget(t, old, q, 0))
	}
	recurring := s[1] + " " + s[2] + " " + s[3]
	filler := strings.Repeat("Markets moved little as traders waited for news. ", 10)
	text := strings.Join([]string{s[0], s[1], s[3], s[4], s[5]}, " ") + "\n\n" + filler + "\n\n" + recurring
	nt := NewText(text)
	rs := nt.AnchorAll(targets)
	for i, r := range rs {
		checkBounds(t, r, nt.Len())
		if i == 1 {
			if r.Status == Anchored {
				t.Errorf("deleted sentence anchored at its recurring copy: %+v", r)
			}
			continue
		}
		if r.Status != Anchored {
			t.Errorf("target %d: %+v, want anchored", i, r)
		}
	}
}

// TestEditedQuoteWithoutContextIsAnOrphan: a long quote found only edited,
// with unrelated text on both sides, is not offered for review: it is more
// often a near-duplicate of a deleted passage than the passage itself.
func TestEditedQuoteWithoutContextIsAnOrphan(t *testing.T) {
	quote := "Western leaders stressed that any peace deal must include guarantees strong enough to deter future aggression."
	old := "Update 2, 06:02\n\n" + quote + " Von der Leyen, Zelensky, and Macron attended the call."
	tg := mustTarget(t, old, quote, 0)
	edited := strings.Replace(quote, "strong enough to", "strong enough early", 1)
	text := "Markets moved little as traders waited for news.\n\n" + edited + "\n\nThe ministry gave no figures for the week."
	if r := Anchor(text, tg); r.Status != Orphan {
		t.Errorf("got %+v (%q), want an orphan", r, NewText(text).Slice(r.Start, r.End))
	}
}

// TestDeletedBoilerplateIsAnOrphan: a line of site boilerplate annotated
// in one place and deleted there, while copies remain elsewhere with other
// text around them, is an orphan: which copy could stand for it nobody can
// tell.
func TestDeletedBoilerplateIsAnOrphan(t *testing.T) {
	boiler := "Our journalists are on the ground; support independent reporting by subscribing today."
	old := "Both sides agreed to keep the channels open during future direct talks.\n\n" + boiler +
		"\n\nUpdate 4, 06:04\n\nAccording to the ministry, delegates arrived late."
	tg := mustTarget(t, old, boiler, 0)
	text := "Both sides agreed to keep the channels open during future direct talks.\n\nUpdate 4, 06:04\n\n" +
		"According to the ministry, delegates arrived late.\n\n" +
		"Residents described the latest round of shelling.\n\n" + boiler + "\n\nUpdate 5, 06:05\n\nStarmer described the call as useful.\n\n" +
		"Aid convoys were delayed again by the latest round of shelling.\n\n" + boiler + "\n\nUpdate 9, 07:10\n\nThe ministry gave no figures."
	if r := Anchor(text, tg); r.Status != Orphan {
		t.Errorf("got %+v (%q), want an orphan", r, NewText(text).Slice(r.Start, r.End))
	}
}

// TestTwoVerbatimCopiesNeitherInContextIsAnOrphan: the quote occurs
// verbatim twice, one copy after the stored prefix and the other before
// the stored suffix: the context cannot tell them apart, and offering
// either for review would be a guess.
func TestTwoVerbatimCopiesNeitherInContextIsAnOrphan(t *testing.T) {
	boiler := "Sign up for our morning briefing to get the latest news on the war delivered to your inbox."
	before, after := "Delegates agreed to meet again before the end of the month. ", " Shelling continued overnight near the river crossing."
	old := before + boiler + after
	tg := mustTarget(t, old, boiler, 0)
	text := "Update 3, 06:03: the talks resume.\n\n" + before + boiler + " Shelling resumed at dawn near the old bridge.\n\n" +
		"The ministry gave no figures for the week of fighting. " + boiler + after
	r := Anchor(text, tg)
	if r.Status != Orphan {
		t.Errorf("got %+v (%q), want an orphan", r, NewText(text).Slice(r.Start, r.End))
	}
}

// TestFarReviews: a review far from where the landmarks on both sides put
// the passage, offering an edited quote (with or without its context) or
// one of several verbatim copies of it, becomes an orphan: it is most
// likely a stand-in for a deleted passage. Near where one landmark puts
// it, or offering the only verbatim occurrence (the passage may have
// moved), it stays a review.
func TestFarReviews(t *testing.T) {
	const pre, suf = "The talks resumed on Monday. ", " Nobody expected a deal soon."
	edited := "Rutte described the meeting as constructive and long overdue."
	quote := "Merz described the meeting as constructive and long overdue."
	unrelated := "Ukraine's energy grid was hit again overnight, officials said."
	filler := func(n int) string { return strings.Repeat("·", n) }
	// The candidate at 3000, with the stored suffix after it and, before
	// it, either the stored prefix or unrelated text.
	at := 3000
	withPrefix := filler(at-len([]rune(pre))) + pre + edited + suf + filler(3000)
	withoutPrefix := filler(at-len([]rune(unrelated))) + unrelated + edited + suf + filler(3000)
	verbatim := filler(at-len([]rune(unrelated))) + unrelated + quote + suf + filler(3000)
	twoCopies := verbatim + unrelated + quote + filler(100)
	target := annotation.Target{
		Quote:    annotation.Quote{Exact: quote, Prefix: pre, Suffix: suf},
		Position: annotation.Position{Start: 1000, End: 1000 + len([]rune(quote))},
	}
	review := func(m Method) Result {
		return Result{Status: NeedsReview, Start: at, End: at + len([]rune(edited)), Score: 0.75, Method: m}
	}
	// Landmarks around the old place: before it (ends at 990), after it
	// (starts at 1100).
	marks := func(shiftBefore, shiftAfter int) []landmark {
		return []landmark{
			{old: 900, oldEnd: 990, new: 900 + shiftBefore, newEnd: 990 + shiftBefore, i: 1},
			{old: 1100, oldEnd: 1200, new: 1100 + shiftAfter, newEnd: 1200 + shiftAfter, i: 2},
		}
	}
	tests := []struct {
		name  string
		text  string
		in    Result
		marks []landmark
		want  Status
	}{
		{"edited, far from both neighbours, unrelated text before: an orphan", withoutPrefix, review(ByFuzzy), marks(0, -60), Orphan},
		{"edited, far, with its context on both sides: an orphan", withPrefix, review(ByFuzzy), marks(0, -60), Orphan},
		{"edited, near where the landmark before puts it: a review", withoutPrefix, review(ByFuzzy), marks(at-1000, -60), NeedsReview},
		{"edited, near where the landmark after puts it: a review", withoutPrefix, review(ByFuzzy), marks(0, at-1000), NeedsReview},
		{"edited, a little more than farFromNeighbours away: an orphan", withoutPrefix, review(ByFuzzy), marks(at-1000-farFromNeighbours-10, at-1000+farFromNeighbours+10), Orphan},
		{"edited, a little less than farFromNeighbours away: a review", withoutPrefix, review(ByFuzzy), marks(at-1000-farFromNeighbours+10, -60), NeedsReview},
		{"verbatim and the only copy, far: a review (it may have moved)", verbatim, review(ByExact), marks(0, -60), NeedsReview},
		{"one of two verbatim copies, far: an orphan", twoCopies, review(ByExact), marks(0, -60), Orphan},
		{"one of two verbatim copies, near the landmark before: a review", twoCopies, review(ByExact), marks(at-1000, -60), NeedsReview},
		{"no landmark: nothing to judge by", withoutPrefix, review(ByFuzzy), nil, NeedsReview},
		{"anchored: left alone", withoutPrefix, Result{Status: Anchored, Start: at, End: at + len([]rune(edited)), Score: 0.9, Method: ByFuzzy}, marks(0, -60), Anchored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := []Result{tt.in}
			NewText(tt.text).farReviews([]annotation.Target{target}, out, []int{0}, tt.marks)
			if out[0].Status != tt.want {
				t.Errorf("got %+v, want %s", out[0], tt.want)
			}
		})
	}
}
