package app

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// reviewItem is an annotation that re-anchoring placed again only
// tentatively (needs review), as the panel and the editor show it: the
// passage it was made on, the place proposed in the current text and how
// well that place matches.
type reviewItem struct {
	ID, Kind, Speaker string
	Quote             string  // the stored quote (the text it was made on)
	Candidate         string  // the text at the proposed place
	Score             float64 // 0..1
	Selected          bool
}

// reviewItemOf returns the review entry of e, or nil when e is not
// awaiting review.
func reviewItemOf(e *entry, d *doc) *reviewItem {
	if e == nil || !e.Review || !d.fits(e.At) {
		return nil
	}
	it := &reviewItem{
		ID: e.A.ID, Kind: string(e.A.Kind), Speaker: e.A.Speaker,
		Quote:     clip(e.A.Target.Quote.Exact, 200),
		Candidate: clip(d.quote(e.At.Start, e.At.End), 200),
		Selected:  e.A.ID == d.sel,
	}
	if e.A.Anchoring != nil {
		it.Score = e.A.Anchoring.Score
	}
	return it
}

// scoreText says how well a proposed place matches, in percent.
func scoreText(s float64) string {
	return strconv.Itoa(int(s*100+0.5)) + " % match"
}

// confirmedAnnotation returns a copy of a moved to its review candidate in
// art's text: the candidate range with the text there as its quote (and
// the context around it), made on the current text, anchored. It is an
// error when a has no candidate inside the text.
func confirmedAnnotation(a *annotation.Annotation, art *annotation.Article) (*annotation.Annotation, error) {
	if a.Anchoring == nil || a.Anchoring.Candidate == nil {
		return nil, errors.New("this annotation has no proposed place to confirm")
	}
	p := *a.Anchoring.Candidate
	exact, ok := annotation.Slice(art.Text, p.Start, p.End)
	if !ok || exact == "" {
		return nil, errors.New("the proposed place is outside the article's text; reload the page")
	}
	b := *a
	b.Tags = slices.Clone(a.Tags)
	b.Target = annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: p, TextHash: art.TextHash}
	b.Target.Quote.Prefix, b.Target.Quote.Suffix = annotation.Context(art.Text, p.Start, p.End, annotation.ContextChars)
	b.Anchoring = nil
	b.Modified = time.Now().UTC()
	if err := b.Validate(art.Text); err != nil {
		return nil, err
	}
	return &b, nil
}

// rejectedAnnotation returns a copy of a whose proposed place is refused:
// it keeps the target it was made on and becomes an orphan, which the
// server keeps as such.
func rejectedAnnotation(a *annotation.Annotation) *annotation.Annotation {
	b := *a
	b.Tags = slices.Clone(a.Tags)
	b.Anchoring = &annotation.Anchoring{Status: annotation.Orphaned}
	if a.Anchoring != nil {
		b.Anchoring.TextHash = a.Anchoring.TextHash
	}
	b.Modified = time.Now().UTC()
	return &b
}

// reviewList is the panel's block of annotations awaiting review
// (#review-list), one reviewCard each.
//
// Props:
//
//	Items  the annotations to check, in document order
type reviewList struct {
	app.Compo
	Items []reviewItem
}

// Render draws the block.
func (l *reviewList) Render() app.UI {
	cards := make([]app.UI, len(l.Items))
	for i, it := range l.Items {
		cards[i] = &reviewCard{Item: it}
	}
	return app.Section().Class("review-list").ID("review-list").Aria("label", "Annotations to check").Body(
		app.H3().Text("Check "+plural(len(l.Items), "annotation")+" placed again"),
		app.P().Class("hint").Text("The article changed since these were made. Confirm the new place, or reject it to keep the annotation without a place."),
		app.Div().Body(cards...),
	)
}

// reviewCard shows one annotation awaiting review with its Confirm and
// Reject buttons; the panel and the editor use it.
//
// Props:
//
//	Item  the annotation, as reviewItemOf describes it
//
// Posts actConfirm and actReject with the annotation's id.
type reviewCard struct {
	app.Compo
	Item reviewItem
}

// Render draws the card.
func (c *reviewCard) Render() app.UI {
	it := c.Item
	speaker := it.Speaker
	if speaker == "" {
		speaker = "No speaker"
	}
	card := app.Div().Class("review-card", "ann-"+it.Kind).DataSet("annotation-id", it.ID).Body(
		app.P().Class("review-head").Body(
			app.Span().Class("badge", "badge-"+it.Kind).Role("img").Aria("label", annotation.Kind(it.Kind).Label()).Text(kindLetter(annotation.Kind(it.Kind))),
			app.Strong().Class("ann-speaker").Text(" "+speaker),
			app.Span().Class("review-score").Text(" · "+scoreText(it.Score)),
		),
		app.P().Class("review-was").Body(
			app.Span().Class("review-label").Text("Made on: "),
			app.Q().Class("ann-quote").Text(it.Quote),
		),
		app.P().Class("review-now").Body(
			app.Span().Class("review-label").Text("Now here: "),
			app.Q().Class("ann-quote", "review-candidate").Text(it.Candidate),
		),
		app.Div().Class("review-actions").Body(
			app.Button().Type("button").Class("primary", "review-confirm").
				DataSet("id", it.ID).
				Aria("label", "Confirm the new place of this "+kindNoun(annotation.Kind(it.Kind))).
				Text("Confirm").
				OnClick(c.onConfirm, app.EventScope("confirm", it.ID)),
			app.Button().Type("button").Class("review-reject").
				DataSet("id", it.ID).
				Aria("label", "Reject the new place of this "+kindNoun(annotation.Kind(it.Kind))).
				Text("Reject").
				OnClick(c.onReject, app.EventScope("reject", it.ID)),
		),
	)
	if it.Selected {
		card = card.Class("is-selected")
	}
	return card
}

func (c *reviewCard) onConfirm(ctx app.Context, e app.Event) {
	post(ctx, actConfirm, c.Item.ID)
}

func (c *reviewCard) onReject(ctx app.Context, e app.Event) {
	post(ctx, actReject, c.Item.ID)
}

// lostItem is a panel entry of an annotation not found in the current
// text, with the context it was made in.
type lostItem struct {
	panelItem
	Prefix, Exact, Suffix string
}

// lostItemOf returns the entry of the lost annotation e.
func lostItemOf(e *entry, d *doc) lostItem {
	q := e.A.Target.Quote
	return lostItem{
		panelItem: itemOf(e, d),
		Prefix:    clipStart(q.Prefix, 60),
		Exact:     clip(q.Exact, 300),
		Suffix:    clipEnd(q.Suffix, 60),
	}
}

// clipStart returns the last n code points of s, with "…" before when
// cut.
func clipStart(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n:])
}

// clipEnd returns the first n code points of s, with "…" after when
// cut; unlike clip it keeps the white space, which joins the context to
// the quote.
func clipEnd(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// lostGroup lists the annotations not found in the current text, each
// with its stored quote in its context: prefix … exact … suffix.
type lostGroup struct {
	app.Compo
	Items []lostItem
}

// Render draws the entries.
func (g *lostGroup) Render() app.UI {
	items := make([]app.UI, len(g.Items))
	for i, it := range g.Items {
		speaker := app.Strong().Class("ann-speaker").Text(it.Speaker)
		if it.Speaker == "" {
			speaker = app.Strong().Class("ann-speaker", "none").Text("No speaker")
		}
		btn := app.Button().Type("button").Class("ann-item", "ann-lost-item", "ann-"+it.Kind).
			DataSet("annotation-id", it.ID).
			Body(
				app.Span().Class("badge", "badge-"+it.Kind).Role("img").Aria("label", annotation.Kind(it.Kind).Label()).Text(kindLetter(annotation.Kind(it.Kind))),
				speaker,
				app.If(it.State == statePending, func() app.UI {
					return app.Span().Class("ann-state", "pending").Title("Not saved yet").Text("🕓 not saved yet")
				}),
				app.Span().Class("ann-context").Body(
					app.Span().Class("ann-prefix").Text(it.Prefix),
					app.Mark().Class("ann-exact").Text(it.Exact),
					app.Span().Class("ann-suffix").Text(it.Suffix),
				),
				app.If(it.Note != "", func() app.UI { return app.Span().Class("ann-note").Text(it.Note) }),
			)
		if it.Selected {
			btn = btn.Class("is-selected").Aria("current", "true")
		}
		items[i] = btn
	}
	return app.Div().Class("ann-group", "ann-lost-group").Body(items...)
}

// renderReview returns the editor's review card, nil unless the
// annotation awaits review.
func (e *editor) renderReview() app.UI {
	if e.Review == nil {
		return nil
	}
	return &reviewCard{Item: *e.Review}
}
