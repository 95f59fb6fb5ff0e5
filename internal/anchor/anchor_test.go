package anchor

import (
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// article is a short text written for these tests; its second paragraph has
// accents and emoji (flags are two code points each).
const article = `Ceasefire talks: who said what

Trump claimed that Putin signaled he was open to a ceasefire along the current front line. Russian foreign ministry spokeswoman Maria Zakharova dismissed the idea outright, stating Moscow “categorically rejects” any freeze that leaves NATO expansion unresolved. Ukraine even proposed linking security guarantees to a timetable for European troop deployments.

Negotiators met again in Genève on Tuesday 🇺🇦🤝🇷🇺, and the mood was described as “tense but workable”. Officials in Kraków and São Paulo followed the talks closely, while the Kremlin said little.

Analysts said the next round would test whether either side is ready to compromise on the sequencing of a ceasefire and security guarantees.`

// mustTarget returns the target of the n-th (from 0) occurrence of quote in
// text, as a client would store it.
func mustTarget(t *testing.T, text, quote string, n int) annotation.Target {
	t.Helper()
	b := -1
	for range n + 1 {
		i := strings.Index(text[b+1:], quote)
		if i < 0 {
			t.Fatalf("%q occurs fewer than %d times", quote, n+1)
		}
		b += 1 + i
	}
	start := annotation.RuneLen(text[:b])
	tg, err := NewText(text).Target(start, start+annotation.RuneLen(quote))
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// runeRange returns the code point range of the n-th occurrence of s in
// text.
func runeRange(t *testing.T, text, s string, n int) (int, int) {
	t.Helper()
	b := -1
	for range n + 1 {
		i := strings.Index(text[b+1:], s)
		if i < 0 {
			t.Fatalf("%q occurs fewer than %d times in the new text", s, n+1)
		}
		b += 1 + i
	}
	start := annotation.RuneLen(text[:b])
	return start, start + annotation.RuneLen(s)
}

// checkBounds fails unless r is a well-formed result for a text of n code
// points.
func checkBounds(t *testing.T, r Result, n int) {
	t.Helper()
	if r.Score < 0 || r.Score > 1 {
		t.Errorf("score %v outside [0, 1]", r.Score)
	}
	switch r.Status {
	case Anchored, NeedsReview:
		if r.Start < 0 || r.End <= r.Start || r.End > n {
			t.Errorf("%s result %d–%d is not a range inside the text (%d code points)", r.Status, r.Start, r.End, n)
		}
		if r.Method == "" {
			t.Errorf("%s result has no method", r.Status)
		}
	case Orphan:
		if r.Start != 0 || r.End != 0 {
			t.Errorf("orphan with range %d–%d", r.Start, r.End)
		}
	default:
		t.Errorf("unknown status %q", r.Status)
	}
}

// moved is the last sentence of the second paragraph of article, which
// moveTwoSentences moves to the end with the sentence before it: the same
// prefix, a new suffix.
const moved = "Ukraine even proposed linking security guarantees to a timetable for European troop deployments."

func moveTwoSentences(s string) string {
	pair := sentence + " " + moved
	return strings.Replace(s, " "+pair, "", 1) + "\n\n" + pair
}

const (
	sentence  = "Russian foreign ministry spokeswoman Maria Zakharova dismissed the idea outright, stating Moscow “categorically rejects” any freeze that leaves NATO expansion unresolved."
	pullQuote = "\n\n" + sentence + "\n\n"
)

func TestAnchor(t *testing.T) {
	above := "Editor's note: this story was updated on Wednesday with reaction from Kyiv and a correction to the date of the meeting.\n\n"
	tests := []struct {
		name   string
		quote  string // annotated in article (first occurrence unless nth)
		nth    int
		edit   func(string) string
		noHash bool // store no TextHash
		status Status
		method Method
		want   string // the text the result must cover (its first occurrence unless wantN)
		wantN  int
	}{
		{
			name: "unchanged text", quote: sentence, edit: func(s string) string { return s },
			status: Anchored, method: ByPosition, want: sentence,
		},
		{
			name: "unchanged text without a stored hash", quote: sentence, edit: func(s string) string { return s }, noHash: true,
			status: Anchored, method: ByPosition, want: sentence,
		},
		{
			name: "paragraph inserted above", quote: sentence,
			edit:   func(s string) string { return strings.Replace(s, "Trump claimed", above+"Trump claimed", 1) },
			status: Anchored, method: ByExact, want: sentence,
		},
		{
			name: "edited word inside the quote", quote: sentence,
			edit: func(s string) string {
				return above + strings.Replace(s, "dismissed the idea outright", "rejected the idea outright", 1)
			},
			status: Anchored, method: ByFuzzy,
			want: strings.Replace(sentence, "dismissed", "rejected", 1),
		},
		{
			name: "words inserted at the start of the quote", quote: sentence,
			edit: func(s string) string {
				return strings.Replace(s, "Russian foreign ministry", "On Monday, the Russian foreign ministry", 1)
			},
			status: Anchored, method: ByFuzzy,
			want: "On Monday, the Russian foreign ministry spokeswoman Maria Zakharova dismissed",
		},
		{
			name: "deleted sentence", quote: sentence,
			edit:   func(s string) string { return strings.Replace(s, sentence+" ", "", 1) },
			status: Orphan,
		},
		{
			// Issue 13: a unique verbatim quote of 30 code points or more is
			// the passage, even where its suffix changed.
			name: "sentence moved verbatim with its prefix", quote: moved,
			edit:   moveTwoSentences,
			status: Anchored, method: ByExact, want: moved,
		},
		{
			name: "sentence rewritten beyond recognition", quote: sentence,
			edit: func(s string) string {
				return strings.Replace(s, sentence, "Moscow has not yet commented on the proposal, a spokesman said.", 1)
			},
			status: Orphan,
		},
		{
			name: "pull-quote of the old wording does not steal the edited sentence", quote: sentence,
			edit: func(s string) string {
				s = strings.Replace(s, "dismissed the idea outright", "dismissed, in fact, the idea outright", 1)
				return strings.Replace(s, "\n\nAnalysts said", pullQuote+"Analysts said", 1)
			},
			status: Anchored, method: ByFuzzy,
			want: strings.Replace(sentence, "dismissed", "dismissed, in fact,", 1),
		},
		{
			name: "pull-quote in both versions, text inserted above", quote: sentence,
			edit:   func(s string) string { return above + s },
			status: Anchored, method: ByExact, want: sentence,
		},
		{
			name: "accents and emoji before and inside the quote", quote: "Genève on Tuesday 🇺🇦🤝🇷🇺, and the mood",
			edit: func(s string) string {
				return strings.Replace(s, "Trump claimed", "🇺🇦 Update: Trump claimed", 1)
			},
			status: Anchored, method: ByExact, want: "Genève on Tuesday 🇺🇦🤝🇷🇺, and the mood",
		},
		{
			name: "edited emoji inside the quote", quote: "Negotiators met again in Genève on Tuesday 🇺🇦🤝🇷🇺, and the mood was described",
			edit:   func(s string) string { return strings.Replace(s, "🇺🇦🤝🇷🇺", "🤝", 1) },
			status: Anchored, method: ByFuzzy, want: "Negotiators met again in Genève on Tuesday 🤝, and the mood was described",
		},
		{
			name: "quote at the start of the text", quote: "Ceasefire talks: who said what",
			edit:   func(s string) string { return s + "\n\nThis article was updated." },
			status: Anchored, method: ByPosition, want: "Ceasefire talks: who said what",
		},
		{
			name: "quote at the start, text inserted before it", quote: "Ceasefire talks: who said what",
			edit:   func(s string) string { return "LIVE — " + s },
			status: Anchored, method: ByExact, want: "Ceasefire talks: who said what",
		},
		{
			name: "quote at the end of the text", quote: "the sequencing of a ceasefire and security guarantees.",
			edit:   func(s string) string { return above + s },
			status: Anchored, method: ByExact, want: "the sequencing of a ceasefire and security guarantees.",
		},
		{
			name: "short quote", quote: "Putin",
			edit:   func(s string) string { return above + s },
			status: Anchored, method: ByExact, want: "Putin",
		},
		{
			name: "short quote repeated: the annotated occurrence", quote: "ceasefire", nth: 1,
			edit:   func(s string) string { return strings.Replace(s, "Analysts", "Independent analysts", 1) },
			status: Anchored, method: ByExact, want: "ceasefire", wantN: 1,
		},
		{
			name: "one character", quote: "🤝",
			edit:   func(s string) string { return above + s },
			status: Anchored, method: ByExact, want: "🤝",
		},
		{
			name: "short quote edited", quote: "Zakharova",
			edit:   func(s string) string { return strings.Replace(s, "Zakharova", "Zakharowa", 1) },
			status: Anchored, method: ByFuzzy, want: "Zakharowa",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := article
			if strings.Contains(tt.name, "pull-quote in both") {
				old = strings.Replace(article, "\n\nAnalysts said", pullQuote+"Analysts said", 1)
			}
			tg := mustTarget(t, old, tt.quote, tt.nth)
			if tt.noHash {
				tg.TextHash = ""
			}
			newText := tt.edit(old)
			text := NewText(newText)
			r := text.Anchor(tg)
			checkBounds(t, r, text.Len())
			if r.Status != tt.status {
				t.Fatalf("Anchor(%q) = %+v (%q), want status %s", tt.quote, r, text.Slice(r.Start, r.End), tt.status)
			}
			if tt.status == Orphan {
				return
			}
			if r.Method != tt.method {
				t.Errorf("method = %s, want %s", r.Method, tt.method)
			}
			ws, we := runeRange(t, newText, tt.want, tt.wantN)
			if strings.Contains(tt.name, "words inserted at the start") {
				we = ws + annotation.RuneLen(strings.Replace(sentence, "Russian", "On Monday, the Russian", 1))
			}
			if r.Start != ws || r.End != we {
				t.Errorf("anchored at %d–%d %q, want %d–%d %q", r.Start, r.End, text.Slice(r.Start, r.End), ws, we, text.Slice(ws, we))
			}
		})
	}
}

// TestAnchorAdjacentPullQuote covers the case that cannot be decided from
// the selectors: the sentence is edited and a pull-quote of its old wording
// is inserted right after its paragraph, so that the copy has the old
// suffix and the edited sentence the old prefix. The result may need
// review, but must not be anchored at the copy.
func TestAnchorAdjacentPullQuote(t *testing.T) {
	tg := mustTarget(t, article, "Ukraine even proposed linking security guarantees to a timetable for European troop deployments.", 0)
	newText := strings.Replace(article, "Ukraine even proposed", "Ukraine, remarkably, proposed", 1)
	newText = strings.Replace(newText, "deployments.\n\n", "deployments.\n\nUkraine even proposed linking security guarantees to a timetable for European troop deployments.\n\n", 1)
	text := NewText(newText)
	r := text.Anchor(tg)
	checkBounds(t, r, text.Len())
	copyStart, _ := runeRange(t, newText, "Ukraine even proposed", 0)
	if r.Status == Anchored && r.Start == copyStart {
		t.Errorf("anchored at the pull-quote: %+v", r)
	}
	if r.Status == Orphan {
		t.Errorf("orphaned although the passage is there: %+v", r)
	}
}

func TestAnchorEdgeCases(t *testing.T) {
	text := NewText(article)
	n := text.Len()
	good := mustTarget(t, article, "Putin", 0)
	tests := []struct {
		name   string
		target annotation.Target
		status Status
	}{
		{"empty target", annotation.Target{}, Orphan},
		{"empty quote, same text, valid position", annotation.Target{Position: good.Position, TextHash: text.Hash()}, Anchored},
		{"empty quote, other text", annotation.Target{Position: good.Position, TextHash: "0123"}, Orphan},
		{"same hash, position past the end", annotation.Target{Quote: good.Quote, Position: annotation.Position{Start: n, End: n + 5}, TextHash: text.Hash()}, Anchored},
		{"negative position", annotation.Target{Quote: good.Quote, Position: annotation.Position{Start: -10, End: -5}}, Anchored},
		{"inverted position", annotation.Target{Quote: good.Quote, Position: annotation.Position{Start: 50, End: 10}}, Anchored},
		{"same hash, quote not at the position", annotation.Target{Quote: good.Quote, Position: annotation.Position{Start: 0, End: 5}, TextHash: text.Hash()}, Anchored},
		{"quote longer than the text", annotation.Target{Quote: annotation.Quote{Exact: strings.Repeat("ceasefire talks ", 200)}}, Orphan},
		{"quote not in the text at all", annotation.Target{Quote: annotation.Quote{Exact: "Lorem ipsum dolor sit amet, consectetur adipiscing elit"}}, Orphan},
		{"invalid UTF-8 in the quote", annotation.Target{Quote: annotation.Quote{Exact: "Put\xffin", Prefix: "\xfe", Suffix: "\xc3"}}, Orphan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := text.Anchor(tt.target)
			checkBounds(t, r, n)
			if r.Status != tt.status {
				t.Errorf("Anchor = %+v (%q), want status %s", r, text.Slice(r.Start, r.End), tt.status)
			}
		})
	}
	// A text with invalid UTF-8 counts each bad byte as one code point.
	bad := "caf\xe9 au lait \xff and a ceasefire along the current front line"
	tg := annotation.Target{Quote: annotation.Quote{Exact: "a ceasefire along"}}
	r := Anchor(bad, tg)
	checkBounds(t, r, annotation.RuneLen(bad))
	if want := annotation.RuneLen("caf\xe9 au lait \xff and "); r.Status != Anchored || r.Start != want {
		t.Errorf("Anchor in invalid UTF-8 = %+v, want anchored at %d", r, want)
	}
}

// TestAnchorAll checks the ordering rules of AnchorAll: a paragraph that
// moved keeps its annotations, and a clause whose whole sentence was copied
// into a pull-quote further on (so the copy has the same context) goes back
// between its neighbours once it was edited in place.
func TestAnchorAll(t *testing.T) {
	paras := strings.Split(article, "\n\n")
	quotes := []string{
		"Trump claimed that Putin signaled he was open to a ceasefire along the current front line.",
		"spokeswoman Maria Zakharova dismissed the idea outright, stating Moscow",
		"Ukraine even proposed linking security guarantees to a timetable for European troop deployments.",
		"Officials in Kraków and São Paulo followed the talks closely",
		"Analysts said the next round would test whether either side is ready to compromise",
	}
	var targets []annotation.Target
	for _, q := range quotes {
		targets = append(targets, mustTarget(t, article, q, 0))
	}

	t.Run("moved paragraph", func(t *testing.T) {
		moved := strings.Join([]string{paras[0], paras[2], paras[3], paras[1]}, "\n\n")
		text := NewText(moved)
		for i, r := range text.AnchorAll(targets) {
			checkBounds(t, r, text.Len())
			ws, we := runeRange(t, moved, quotes[i], 0)
			if r.Status != Anchored || r.Start != ws || r.End != we {
				t.Errorf("%q: %+v, want anchored at %d–%d", quotes[i], r, ws, we)
			}
		}
	})

	t.Run("clause edited, its sentence copied as a pull-quote further on", func(t *testing.T) {
		edited := strings.Replace(article, "dismissed the idea outright", "brushed the idea aside", 1)
		filler := strings.Repeat("Background: the talks have stalled several times since the spring, and mediators have tried various formats. ", 25)
		edited = strings.Replace(edited, "\n\nAnalysts said", "\n\n"+filler+pullQuote+"Analysts said", 1)
		text := NewText(edited)
		copyStart, _ := runeRange(t, edited, "spokeswoman Maria Zakharova dismissed", 0)
		if r := text.Anchor(targets[1]); r.Status == Anchored && r.Start == copyStart {
			t.Errorf("Anchor alone anchored the clause at the pull-quote: %+v", r)
		}
		rs := text.AnchorAll(targets)
		ws, we := runeRange(t, edited, "spokeswoman Maria Zakharova brushed the idea aside, stating Moscow", 0)
		if r := rs[1]; r.Status != Anchored || r.Start != ws || r.End != we {
			t.Errorf("AnchorAll: %+v (%q), want anchored at %d–%d", r, text.Slice(r.Start, r.End), ws, we)
		}
		for i, r := range rs {
			checkBounds(t, r, text.Len())
			if i != 1 && r.Status != Anchored {
				t.Errorf("%q: %+v, want anchored", quotes[i], r)
			}
		}
	})
}

// TestAnchorAllMovedSentence is the moved sentence of TestAnchor among
// other annotations of the article, as Reanchor sees it: a unique verbatim
// quote is accepted although it left its neighbours.
func TestAnchorAllMovedSentence(t *testing.T) {
	quotes := []string{
		"Trump claimed that Putin signaled he was open to a ceasefire along the current front line.",
		moved,
		"Negotiators met again in Genève on Tuesday",
		"Analysts said the next round would test whether either side is ready to compromise",
	}
	var targets []annotation.Target
	for _, q := range quotes {
		targets = append(targets, mustTarget(t, article, q, 0))
	}
	newText := moveTwoSentences(article)
	text := NewText(newText)
	for i, r := range text.AnchorAll(targets) {
		ws, we := runeRange(t, newText, quotes[i], 0)
		if r.Status != Anchored || r.Start != ws || r.End != we {
			t.Errorf("%q: %+v, want anchored at %d–%d", quotes[i], r, ws, we)
		}
	}
}

// TestBracketed: a passage edited a little in place, between its stored
// prefix and suffix that each occur once near the predicted hint, is
// taken from between them without a search; a context that occurs twice,
// a quote edited too much, a place far from the hint or a hint that the
// neighbours did not predict leave it to the search.
func TestBracketed(t *testing.T) {
	const pre = "Negotiators met again in Geneva on Tuesday morning. "
	const suf = " Officials said the next round would follow in March."
	const quote = "Merz said the guarantees would have to be written into a treaty."
	edited := "Merz said the guarantees would need to be written into a binding treaty."
	rewritten := "A treaty, Merz argued, is the only form such guarantees could take."
	filler := strings.Repeat("The weather in the capital stayed cold. ", 20)
	target := annotation.Target{
		Quote:    annotation.Quote{Exact: quote, Prefix: pre[len(pre)-32:], Suffix: suf[:32]},
		Position: annotation.Position{Start: len(filler) + len(pre), End: len(filler) + len(pre) + len(quote)},
		TextHash: "old",
	}
	tests := []struct {
		name      string
		text      string
		hint      int
		predicted bool
		want      bool
	}{
		{"edited in place with its context", filler + pre + edited + suf + filler, len(filler) + len(pre), true, true},
		{"shifted, but within the window of the hint", filler + filler[:200] + pre + edited + suf + filler, len(filler) + len(pre), true, true},
		{"a verbatim copy of the old wording elsewhere (a pull-quote)", filler + pre + edited + suf + filler + quote + filler, len(filler) + len(pre), true, true},
		{"the hint not predicted by the neighbours", filler + pre + edited + suf + filler, len(filler) + len(pre), false, false},
		{"rewritten, not edited a little", filler + pre + rewritten + suf + filler, len(filler) + len(pre), true, false},
		{"the prefix twice", filler + pre + "Nothing else. " + pre + edited + suf + filler, len(filler) + len(pre), true, false},
		{"far from the hint", filler + filler + filler + pre + edited + suf, len(filler) + len(pre), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := NewText(tt.text)
			_, a := text.search(target, tt.hint, 0, text.Len(), shiftedWindow, tt.predicted, false, nil)
			if a == nil {
				t.Fatal("no search state")
			}
			c, ok := a.bracketed()
			if ok != tt.want {
				t.Fatalf("bracketed: %v (%+v), want %v", ok, c, tt.want)
			}
			if !ok {
				return
			}
			start, end := runeRange(t, tt.text, edited, 0)
			if c.start != start || c.end != end || c.errors == 0 {
				t.Errorf("bracketed [%d, %d) with %d errors, want [%d, %d) edited", c.start, c.end, c.errors, start, end)
			}
			if r, _ := text.search(target, tt.hint, 0, text.Len(), shiftedWindow, true, false, nil); r.Status != Anchored || r.Start != start || r.End != end {
				t.Errorf("search: %+v, want anchored at [%d, %d)", r, start, end)
			}
		})
	}
}
