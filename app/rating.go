package app

import (
	"context"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// ratingSource is what an API offers when it can say the server's rating
// scale (GET /api/ratings); *client.Client does.
type ratingSource interface {
	Ratings(ctx context.Context) (annotation.RatingScale, error)
}

// ratingScale returns the labels of the server's rating scale, with ok
// set, or ok false when api cannot say them (offline, an older server or
// a test fake).
func ratingScale(ctx context.Context, api API) (labels []annotation.RatingLabel, ok bool) {
	if src, ok := serverAPI(api).(ratingSource); ok {
		if s, err := src.Ratings(ctx); err == nil && len(s.Labels) > 0 {
			return s.Labels, true
		}
	}
	return nil, false
}

// scaleKey is the localStorage key of the last rating scale the server
// said, which the editor uses offline.
const scaleKey = "claimmark/rating-scale"

// loadScale fetches the rating scale for the editor once per page. The
// device keeps the last scale the server said, so that a server's own
// labels (-ratings) stay offered offline; without one it offers
// annotation.DefaultRatingScale.
func (c *readerPage) loadScale(ctx app.Context) {
	if c.scale != nil {
		return
	}
	api := sessionAPI(c.s)
	ctx.Async(func() {
		labels, ok := ratingScale(ctx, api)
		ctx.Dispatch(func(ctx app.Context) { c.scale = keptScale(ctx.LocalStorage(), labels, ok) })
	})
}

// keeper is the part of app.BrowserStorage that keptScale uses.
type keeper interface {
	Set(k string, v any) error
	Get(k string, v any) error
}

// keptScale returns the scale to offer: labels when the server said them
// (ok), which st then keeps; otherwise the scale st kept, or
// annotation.DefaultRatingScale's labels when it kept none.
func keptScale(st keeper, labels []annotation.RatingLabel, ok bool) []annotation.RatingLabel {
	if ok {
		_ = st.Set(scaleKey, labels) // a full storage: the default scale offline
		return labels
	}
	var kept []annotation.RatingLabel
	if st.Get(scaleKey, &kept) != nil || len(kept) == 0 {
		return annotation.DefaultRatingScale.Labels
	}
	return kept
}

// ratingBadge draws a claim's verdict as words ("Rated: Mostly false") in
// a neutral badge, so that no colour has to carry it.
func ratingBadge(label string) app.UI {
	return app.Span().Class("rating-badge").DataSet("rating", label).Text("Rated: " + label)
}

// renderRating draws the rating fields of a claim's editor: the label of
// the scale (or none), then note, fact-check address and date, which wait
// for a label (a rating needs one).
func (e *editor) renderRating() app.UI {
	if e.Kind != string(annotation.Claim) {
		return nil
	}
	opts := []app.UI{app.Option().Value("").Selected(e.Rating == "").Text("Not rated")}
	found := e.Rating == ""
	for _, l := range e.Scale {
		opts = append(opts, app.Option().Value(l.Label).Selected(l.Label == e.Rating).Text(l.Label))
		found = found || l.Label == e.Rating
	}
	if !found { // a label the scale no longer has: keep it visible
		opts = append(opts, app.Option().Value(e.Rating).Selected(true).Text(e.Rating))
	}
	off := e.Rating == ""
	return app.FieldSet().Class("ed-rating").Body(
		app.Legend().Text("Rating"),
		app.Label().For("ed-rating").Text("Verdict"),
		app.Select().ID("ed-rating").OnChange(e.onRatingLabel).Body(opts...),
		app.Label().For("ed-rating-note").Text("Why"),
		app.Textarea().ID("ed-rating-note").Rows(2).MaxLength(annotation.MaxRatingNoteChars).
			Attr("disabled", boolAttr(off)).Text(e.rnote).OnInput(e.onRatingNote).OnChange(e.onCommit),
		app.Label().For("ed-rating-url").Text("Fact check (address)"),
		app.Input().Type("url").ID("ed-rating-url").Placeholder("https://…").
			Attr("disabled", boolAttr(off)).Value(e.rurl).OnInput(e.onRatingURL).OnChange(e.onCommit),
		app.Label().For("ed-rating-date").Text("Date of the verdict"),
		app.Input().Type("date").ID("ed-rating-date").
			Attr("disabled", boolAttr(off)).Value(e.rdate).OnChange(e.onRatingDate),
	)
}

// onRatingLabel sets the verdict (with its value from the scale), or
// removes the rating when "Not rated" is chosen; the note, address and
// date typed so far go with it.
func (e *editor) onRatingLabel(ctx app.Context, ev app.Event) {
	v := ctx.JSSrc().Get("value").String()
	e.Rating = v
	value := 0
	for _, l := range e.Scale {
		if l.Label == v {
			value = l.Value
		}
	}
	note, u, date := e.rnote, e.rurl, e.rdate
	e.edit(ctx, true, func(a *annotation.Annotation) {
		if v == "" {
			a.Rating = nil
			return
		}
		r := annotation.Rating{Label: v, Value: value, Note: note, URL: u}
		if a.Rating != nil {
			r.Note, r.URL, r.Date = a.Rating.Note, a.Rating.URL, a.Rating.Date
		}
		if d, err := time.Parse(time.DateOnly, date); err == nil && r.Date.IsZero() {
			r.Date = d
		}
		a.Rating = &r
	})
}

// changeRating applies f to a copy of the annotation's rating, if it has one.
func (e *editor) changeRating(ctx app.Context, immediate bool, f func(r *annotation.Rating)) {
	e.edit(ctx, immediate, func(a *annotation.Annotation) {
		if a.Rating == nil {
			return
		}
		r := *a.Rating
		f(&r)
		a.Rating = &r
	})
}

func (e *editor) onRatingNote(ctx app.Context, ev app.Event) {
	v := ctx.JSSrc().Get("value").String()
	e.rnote = v
	e.changeRating(ctx, false, func(r *annotation.Rating) { r.Note = v })
}

func (e *editor) onRatingURL(ctx app.Context, ev app.Event) {
	v := ctx.JSSrc().Get("value").String()
	e.rurl = v
	e.changeRating(ctx, false, func(r *annotation.Rating) { r.URL = v })
}

func (e *editor) onRatingDate(ctx app.Context, ev app.Event) {
	v := ctx.JSSrc().Get("value").String()
	e.rdate = v
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		d = time.Time{}
	}
	e.changeRating(ctx, true, func(r *annotation.Rating) { r.Date = d })
}
