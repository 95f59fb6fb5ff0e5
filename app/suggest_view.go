package app

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// Actions of the suggestion parts (see reader_actions.go).
const (
	actSuggest       = "reader/suggest"         // nil: show or hide the suggestions
	actSugFocus      = "reader/sug-focus"       // sugFocus: focus a suggestion
	actSugAccept     = "reader/sug-accept"      // string: accept suggestion key
	actSugReject     = "reader/sug-reject"      // string: reject suggestion key
	actSugAcceptAll  = "reader/sug-accept-all"  // nil: accept all ≥ the threshold
	actSugMin        = "reader/sug-min"         // float64: the threshold of Accept all
	actSugCloseSheet = "reader/sug-close-sheet" // nil: close the accept/reject sheet
	actSugRestore    = "reader/sug-restore"     // nil: bring back the rejected suggestions
)

// sugFocus focuses suggestion Key; Sheet opens its accept/reject sheet.
type sugFocus struct {
	Key   string
	Sheet bool
}

// suggestButton is the reader's Suggest button (key s). Props: On, the
// suggestions are shown. Posts actSuggest.
type suggestButton struct {
	app.Compo
	On bool
}

// Render draws the button.
func (b *suggestButton) Render() app.UI {
	label := "Suggest"
	if b.On {
		label = "Hide suggestions"
	}
	return app.Button().Type("button").ID("suggest-btn").Class("suggest-btn").
		Aria("pressed", strconv.FormatBool(b.On)).
		Aria("keyshortcuts", "s").
		Title("Suggest attributed statements found in the text (s)").
		OnClick(func(ctx app.Context, e app.Event) { post(ctx, actSuggest, nil) }).
		Body(app.Text(label), app.Span().Class("key-hint").Aria("hidden", "true").Text("s"))
}

// sugPanelView is what the panel's list of suggestions shows: Total on
// offer, of which Items, in text order, from the From-th on (a window
// around the focused one), the focused one, the threshold of "Accept all
// ≥" with the number of suggestions that reach it, Suggest's time, and
// how many of the article's suggestions the person rejected.
type sugPanelView struct {
	Items       []sugItem
	Total, From int
	Focus       string
	Min         float64
	AtLeast     int
	Took        float64
	Rejected    int
}

// sugItem is one suggestion in the panel.
type sugItem struct {
	Key, Kind, Speaker, Quote string
	Percent                   int
}

// sugPanel lists the suggestions in the side panel (#sug-list), each with
// Accept and Reject, offers "Accept all ≥" a confidence and, when some
// were rejected, "Bring back" them. Posts actSugFocus, actSugAccept,
// actSugReject, actSugAcceptAll, actSugMin and actSugRestore.
type sugPanel struct {
	app.Compo
	View sugPanelView
}

// sugThresholds are the choices of "Accept all ≥".
var sugThresholds = []float64{0.9, 0.8, 0.7, 0.6, 0.5}

// Render draws the list.
func (p *sugPanel) Render() app.UI {
	v := p.View
	opts := make([]app.UI, len(sugThresholds))
	for i, t := range sugThresholds {
		opts[i] = app.Option().Value(strconv.FormatFloat(t, 'f', 2, 64)).
			Selected(t == v.Min).Text(strconv.Itoa(int(t*100+0.5)) + " %")
	}
	items := make([]app.UI, len(v.Items))
	for i, it := range v.Items {
		sp := it.Speaker
		if sp == "" {
			sp = "No speaker"
		}
		li := app.Li().Class("sug-item", "ann-"+it.Kind).
			DataSet("suggestion-id", it.Key).
			DataSet("kind", it.Kind).
			TabIndex(-1).
			Body(
				app.Button().Type("button").Class("sug-open").
					OnClick(p.onOpen, app.EventScope(it.Key)).
					Body(
						app.Span().Class("badge", "badge-"+it.Kind).Aria("hidden", "true").Text(kindLetter(annotation.Kind(it.Kind))),
						app.Strong().Class("ann-speaker").Text(sp),
						app.Span().Class("sug-conf").Text(" "+strconv.Itoa(it.Percent)+" %"),
						app.Span().Class("ann-quote").Text(it.Quote),
					),
				app.Div().Class("sug-actions").Body(
					app.Button().Type("button").Class("sug-accept").
						Aria("label", "Accept: "+annotation.Kind(it.Kind).Label()+" by "+sp).
						OnClick(p.onAccept, app.EventScope(it.Key)).Text("Accept"),
					app.Button().Type("button").Class("sug-reject").
						Aria("label", "Reject: "+annotation.Kind(it.Kind).Label()+" by "+sp).
						OnClick(p.onReject, app.EventScope(it.Key)).Text("Reject"),
				),
			)
		if it.Key == v.Focus {
			li = li.Class("is-focused").Aria("current", "true")
		}
		items[i] = li
	}
	var empty, more, restore app.UI
	if v.Rejected > 0 {
		restore = app.P().Class("sug-rejected").Body(
			app.Button().Type("button").ID("sug-restore").Class("sug-restore").
				Title("Show the suggestions you rejected in this article again, on all your devices").
				OnClick(p.onRestore).
				Text(fmt.Sprintf("Bring back %d rejected", v.Rejected)))
	}
	if len(v.Items) == 0 {
		empty = app.P().Class("panel-empty").Text("No suggestions left in this article.")
	}
	if len(v.Items) < v.Total {
		more = app.P().Class("sug-more").Text(fmt.Sprintf("Showing %d–%d of %d: n and N move through them.", v.From+1, v.From+len(v.Items), v.Total))
	}
	return app.Section().Class("sug-panel").ID("sug-panel").Aria("label", "Suggestions").Body(
		app.H3().Class("sug-title").Text(fmt.Sprintf("Suggestions (%d)", v.Total)),
		app.Div().Class("sug-all").Body(
			app.Label().For("sug-min").Text("Accept all ≥"),
			app.Select().ID("sug-min").OnChange(p.onMin).Body(opts...),
			app.Button().Type("button").ID("sug-accept-all").Class("sug-accept-all").
				Attr("disabled", boolAttr(v.AtLeast == 0)).
				OnClick(p.onAcceptAll).
				Text(fmt.Sprintf("Accept %d", v.AtLeast)),
		),
		slot("sug-empty", empty),
		app.Ul().Class("sug-list").ID("sug-list").Body(items...),
		slot("sug-more-slot", more),
		slot("sug-restore-slot", restore),
		app.P().Class("panel-help").Text("Keys: n / N next and previous suggestion · a or Enter accepts · x rejects"),
	)
}

func (p *sugPanel) onOpen(ctx app.Context, e app.Event) {
	post(ctx, actSugFocus, sugFocus{Key: keyOf(ctx)})
}

func (p *sugPanel) onAccept(ctx app.Context, e app.Event) { post(ctx, actSugAccept, keyOf(ctx)) }
func (p *sugPanel) onReject(ctx app.Context, e app.Event) { post(ctx, actSugReject, keyOf(ctx)) }
func (p *sugPanel) onAcceptAll(ctx app.Context, e app.Event) {
	post(ctx, actSugAcceptAll, nil)
}
func (p *sugPanel) onRestore(ctx app.Context, e app.Event) { post(ctx, actSugRestore, nil) }

func (p *sugPanel) onMin(ctx app.Context, e app.Event) {
	v, err := strconv.ParseFloat(ctx.JSSrc().Get("value").String(), 64)
	if err != nil {
		ctx.PreventUpdate()
		return
	}
	post(ctx, actSugMin, v)
}

// keyOf returns the suggestion key of the item around the event's element.
func keyOf(ctx app.Context) string {
	el := ctx.JSSrc().Call("closest", "[data-suggestion-id]")
	if !el.Truthy() {
		return ""
	}
	return el.Get("dataset").Get("suggestionId").String()
}

// sugSheet is the sheet of a tapped or clicked suggestion (#sug-sheet; at
// the bottom of the screen on phones): kind, speaker, quote, Accept and
// Reject. Posts actSugAccept, actSugReject and actSugCloseSheet.
type sugSheet struct {
	app.Compo
	Key, Kind, Speaker, Quote string
	Percent                   int
}

// OnMount focuses Accept, so Enter accepts and Escape closes.
func (s *sugSheet) OnMount(ctx app.Context) {
	ctx.Defer(func(app.Context) { focusSelector("#sug-sheet .sug-accept") })
}

// Render draws the sheet.
func (s *sugSheet) Render() app.UI {
	sp := s.Speaker
	if sp == "" {
		sp = "No speaker"
	}
	return app.Div().Class("sug-sheet", "editor-"+s.Kind).ID("sug-sheet").
		Role("dialog").Aria("label", "Suggested "+kindNoun(annotation.Kind(s.Kind))).
		DataSet("suggestion-id", s.Key).
		Body(
			app.P().Class("sug-sheet-head").Body(
				app.Span().Class("badge", "badge-"+s.Kind).Aria("hidden", "true").Text(kindLetter(annotation.Kind(s.Kind))),
				app.Text(" "+annotation.Kind(s.Kind).Label()+" · "),
				app.Strong().Text(sp),
				app.Span().Class("sug-conf").Text(" · "+strconv.Itoa(s.Percent)+" % sure"),
			),
			app.Q().Class("editor-quote").Text(s.Quote),
			app.Div().Class("sug-actions").Body(
				app.Button().Type("button").Class("sug-accept").OnClick(s.onAccept).Text("Accept"),
				app.Button().Type("button").Class("sug-reject").OnClick(s.onReject).Text("Reject"),
				app.Button().Type("button").Class("sug-close").Aria("label", "Close").OnClick(s.onClose).Text("×"),
			),
		)
}

func (s *sugSheet) onAccept(ctx app.Context, e app.Event) { post(ctx, actSugAccept, s.Key) }
func (s *sugSheet) onReject(ctx app.Context, e app.Event) { post(ctx, actSugReject, s.Key) }
func (s *sugSheet) onClose(ctx app.Context, e app.Event)  { post(ctx, actSugCloseSheet, nil) }

// handleSuggestActions registers the reader's handlers of the suggestion
// parts' actions.
func (c *readerPage) handleSuggestActions(ctx app.Context) {
	str := func(a app.Action) string { s, _ := a.Value.(string); return s }
	ctx.Handle(actSuggest, func(ctx app.Context, a app.Action) { c.toggleSuggest(ctx) })
	ctx.Handle(actSugFocus, func(ctx app.Context, a app.Action) {
		if f, ok := a.Value.(sugFocus); ok {
			c.focusSuggestion(ctx, f.Key, f.Sheet)
		}
	})
	ctx.Handle(actSugAccept, func(ctx app.Context, a app.Action) { c.acceptSuggestion(ctx, str(a)) })
	ctx.Handle(actSugReject, func(ctx app.Context, a app.Action) { c.rejectSuggestion(ctx, str(a)) })
	ctx.Handle(actSugAcceptAll, func(ctx app.Context, a app.Action) { c.acceptAll(ctx) })
	ctx.Handle(actSugRestore, func(ctx app.Context, a app.Action) { c.restoreRejected(ctx) })
	ctx.Handle(actSugMin, func(ctx app.Context, a app.Action) {
		if v, ok := a.Value.(float64); ok {
			c.setSuggestMin(v)
		}
	})
	ctx.Handle(actSugCloseSheet, func(ctx app.Context, a app.Action) {
		key := c.sug.focus
		c.sug.sheet = false
		c.sug.rev++
		ctx.Defer(func(app.Context) { focusSuggestionMark(key) })
	})
}
