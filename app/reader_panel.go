package app

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// sidePanel is the annotation panel beside the article (#panel; a bottom
// sheet on phones): the counts and kind filters, the annotations to check
// after the article changed (review.go), the editor of the selected
// annotation (editor.go), the list of annotations in document order, one
// group per paragraph, and those not found in the current text.
//
// Props:
//
//	Counts   annotations per kind, for the filter buttons
//	Filter   the kind shown, "" for all
//	Open     the sheet was expanded (the editor being open expands it too)
//	Err      why the annotations could not be loaded, or ""
//	Loading  the annotations are not in yet
//	Edit     the selected annotation, for the editor, or nil
//	Review   the annotations to check, in document order
//	Groups   the entries by paragraph where they start (kept by the reader
//	         while nothing changes, so comparing them costs nothing)
//	Lost     the entries of the annotations not found in the text
//	Suggest  the suggestions on offer, when Suggest is on
//
// Posts actFilter (annotation.Kind), actToggleSheet, and actOpen (the id
// of a clicked entry); its children post their own (editor.go, review.go).
type sidePanel struct {
	app.Compo
	Counts  annotation.Counts
	Filter  annotation.Kind
	Open    bool
	Err     string
	Loading bool
	Edit    *editItem
	Review  []reviewItem
	Groups  [][]panelItem
	Lost    []lostItem
	Suggest *sugPanelView // the suggestions on offer (suggest_view.go), or nil
	// ReadOnly, when set, says why the user cannot annotate (a viewer):
	// it shows first, and the selected annotation shows without editor.
	ReadOnly string

	api API // the server, for the editor's links box; set at mount
}

// Render draws the panel.
func (p *sidePanel) Render() app.UI {
	total := p.Counts.Total()
	filterBtn := func(k annotation.Kind, label string, n int) app.UI {
		b := app.Button().Type("button").Class("filter").
			DataSet("kind", string(k)).
			Aria("pressed", strconv.FormatBool(p.Filter == k)).
			OnClick(p.onFilter, app.EventScope("filter", string(k))).
			Text(label + " " + strconv.Itoa(n))
		if k != "" {
			b = b.Class("filter-" + string(k))
		}
		return b
	}
	var ed, empty, review app.UI
	switch {
	case p.Err != "":
		empty = app.P().Class("notice", "notice-error").Role("alert").Text(p.Err)
	case p.Loading:
		empty = app.P().Class("panel-empty").Role("status").Text("Loading the annotations…")
	case total == 0:
		empty = app.P().Class("panel-empty").Text("No annotations yet. Select a passage of the article and choose Claim, Denial or Proposal.")
	}
	if e := p.Edit; e != nil && p.ReadOnly == "" { // a viewer has no editor: the entry says it all
		edc := &editor{ID: e.ID, Kind: e.Kind, Tags: e.Tags, State: e.State, Err: e.Err, Quote: e.Quote, Review: e.Review,
			Scale: e.Scale, Relations: e.Relations, api: p.api, speaker: e.Speaker, note: e.Note,
			Creator: e.Creator, Visibility: string(e.Visibility), CanSetVisibility: e.CanSetVisibility}
		if r := e.Rating; r != nil {
			edc.Rating, edc.rnote, edc.rurl = r.Label, r.Note, r.URL
			if !r.Date.IsZero() {
				edc.rdate = r.Date.Format(time.DateOnly)
			}
		}
		ed = edc
	}
	if len(p.Review) > 0 {
		review = &reviewList{Items: p.Review}
	}
	var sug app.UI
	if p.Suggest != nil {
		sug = &sugPanel{View: *p.Suggest}
	}
	open := p.Open || p.Edit != nil
	panel := app.Aside().Class("panel").ID("panel").Aria("label", "Annotations")
	if open {
		panel = panel.Class("open")
	}
	return panel.Body(
		app.Div().Class("panel-head").Body(
			app.Button().Type("button").Class("sheet-toggle").
				Aria("expanded", strconv.FormatBool(open)).
				Aria("controls", "panel-body").
				OnClick(p.onToggleSheet).
				Text("Annotations ("+strconv.Itoa(total)+")"),
			app.H2().Class("panel-title").Text("Annotations"),
			app.Div().Class("filters").Role("group").Aria("label", "Show").Body(
				filterBtn("", "All", total),
				filterBtn(annotation.Claim, "Claims", p.Counts.Claim),
				filterBtn(annotation.Denial, "Denials", p.Counts.Denial),
				filterBtn(annotation.Proposal, "Proposals", p.Counts.Proposal),
			),
		),
		app.Div().Class("panel-body").ID("panel-body").Body(
			slot("readonly-slot", app.If(p.ReadOnly != "", func() app.UI {
				return app.P().Class("panel-readonly").ID("readonly-note").Text(p.ReadOnly)
			})),
			slot("review-slot", review),
			slot("suggest-slot", sug),
			slot("editor-slot", ed),
			slot("empty-slot", empty),
			&annList{Groups: p.Groups, Lost: p.Lost},
			app.P().Class("panel-help").Text("Keys: j / k next and previous · Enter opens a highlight · c / d / p tag the selection · s suggests · Esc closes"),
		),
	)
}

func (p *sidePanel) onFilter(ctx app.Context, e app.Event) {
	post(ctx, actFilter, annotation.Kind(ctx.JSSrc().Get("dataset").Get("kind").String()))
}

func (p *sidePanel) onToggleSheet(ctx app.Context, e app.Event) { post(ctx, actToggleSheet, nil) }

// editItem is the selected annotation as the editor starts from it.
type editItem struct {
	ID, Kind, State, Err, Quote string
	Speaker, Note               string
	Tags                        []string
	Review                      *reviewItem // set when it awaits review
	Rating                      *annotation.Rating
	Scale                       []annotation.RatingLabel // the server's rating scale
	Relations                   []annotation.Relation
	Creator                     string // the annotator's display name
	Visibility                  annotation.Visibility
	CanSetVisibility            bool // the user made it (or there are no accounts)
}

// editItemOf returns the editor's view of e.
func editItemOf(e *entry, d *doc) *editItem {
	return &editItem{
		Creator: e.A.CreatorName, Visibility: e.A.Visibility,
		ID: e.A.ID, Kind: string(e.A.Kind), Tags: e.A.Tags, State: e.State, Err: e.Err,
		Quote:   clip(e.A.Target.Quote.Exact, 160),
		Review:  reviewItemOf(e, d),
		Speaker: e.A.Speaker, Note: e.A.Note, Rating: e.A.Rating, Relations: e.A.Relations,
	}
}

// panelItem is one entry of the annotation panel.
type panelItem struct {
	ID, Kind, Speaker, Quote, Note, State string
	Creator                               string // the annotator's display name, "" when unknown
	Private                               bool   // visible to its creator only
	Rating                                string // the rating's label, if rated
	Review, Selected                      bool
}

// itemOf returns the panel entry of e.
func itemOf(e *entry, d *doc) panelItem {
	it := panelItem{
		ID: e.A.ID, Kind: string(e.A.Kind), Speaker: e.A.Speaker,
		Quote: clip(e.A.Target.Quote.Exact, 140), Note: clip(e.A.Note, 100),
		State: e.State, Review: e.Review, Selected: e.A.ID == d.sel,
		Creator: e.A.CreatorName, Private: e.A.Visibility.Private(),
	}
	if e.A.Rating != nil {
		it.Rating = e.A.Rating.Label
	}
	return it
}

// annList is the panel's list of annotations in document order, one group
// component per paragraph, then those not found in the current text.
// Clicks on entries are handled here, once: it posts actOpen with the
// entry's annotation id.
type annList struct {
	app.Compo
	Groups [][]panelItem
	Lost   []lostItem
}

// Render draws the list.
func (l *annList) Render() app.UI {
	groups := make([]app.UI, len(l.Groups))
	for i, g := range l.Groups {
		groups[i] = &panelGroup{Items: g}
	}
	var lost app.UI
	if len(l.Lost) > 0 {
		lost = app.Div().Class("ann-lost").Body(
			app.H3().Text("Not found in the current text ("+strconv.Itoa(len(l.Lost))+")"),
			&lostGroup{Items: l.Lost}, // review.go
		)
	}
	return app.Div().Class("ann-list").Aria("label", "Annotations in document order").
		OnClick(l.onClick).
		Body(
			app.Div().Class("ann-groups").Body(groups...),
			slot("lost-slot", lost),
		)
}

// onClick opens the clicked entry's annotation.
func (l *annList) onClick(ctx app.Context, e app.Event) {
	target := e.Get("target")
	if target.Get("nodeType").Int() != 1 {
		target = target.Get("parentElement")
	}
	item := target.Call("closest", ".ann-item")
	if !item.Truthy() {
		ctx.PreventUpdate()
		return
	}
	post(ctx, actOpen, item.Get("dataset").Get("annotationId").String())
}

// panelGroup renders the panel entries of the annotations that start in
// one paragraph. Splitting the list by paragraph keeps an insertion from
// shifting (and so re-rendering) every later entry: go-app diffs lists by
// position.
type panelGroup struct {
	app.Compo
	Items []panelItem
}

// Render draws the entries.
func (g *panelGroup) Render() app.UI {
	if len(g.Items) == 0 {
		return app.Div().Class("ann-group")
	}
	items := make([]app.UI, len(g.Items))
	for i, it := range g.Items {
		speaker := app.Strong().Class("ann-speaker").Text(it.Speaker)
		if it.Speaker == "" {
			speaker = app.Strong().Class("ann-speaker", "none").Text("No speaker")
		}
		btn := app.Button().Type("button").Class("ann-item", "ann-"+it.Kind).
			DataSet("annotation-id", it.ID).
			Body(
				app.Span().Class("badge", "badge-"+it.Kind).Role("img").Aria("label", annotation.Kind(it.Kind).Label()).Text(kindLetter(annotation.Kind(it.Kind))),
				speaker,
				app.If(it.Rating != "", func() app.UI { return ratingBadge(it.Rating) }),
				app.If(it.State == statePending, func() app.UI {
					return app.Span().Class("ann-state", "pending").Title("Not saved yet").Text("🕓 not saved yet")
				}),
				app.If(it.State == stateFailed, func() app.UI {
					return app.Span().Class("ann-state", "failed").Text("⚠ not saved")
				}),
				app.If(it.Review, func() app.UI {
					return app.Span().Class("ann-state", "review").Text("Placed again after the article changed: check it")
				}),
				app.Span().Class("ann-quote").Text(it.Quote),
				app.If(it.Note != "", func() app.UI { return app.Span().Class("ann-note").Text(it.Note) }),
				annotatorLine(it.Creator, it.Private), // editor_owner.go
			)
		if it.Selected {
			btn = btn.Class("is-selected").Aria("current", "true")
		}
		items[i] = btn
	}
	return app.Div().Class("ann-group").
		Style("contain-intrinsic-size", "auto "+strconv.Itoa(84*len(items))+"px").
		Body(items...)
}
