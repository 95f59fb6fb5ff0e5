package app

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/attrib"
)

// stateSuggested is the State of a span that is a suggestion, not an
// annotation: it is drawn outlined (suggestionMark) and is not saved.
const stateSuggested = "suggested"

// suggestions is what the reader's Suggest computed for the open article,
// in the browser with attrib.Suggest (no server round trip: it works
// offline), and what the person did with it. Rejected suggestions are
// remembered per article and person, on the server and in localStorage
// (rejectedKey), and stay hidden after a reload and on the person's
// other devices (suggest_sync.go). The zero value is "not asked for".
type suggestions struct {
	on       bool
	all      []attrib.Suggestion
	rejected map[string]bool // by sugKey
	focus    string          // sugKey of the focused suggestion, or ""
	sheet    bool            // the accept/reject sheet of focus is open
	min      float64         // threshold of "Accept all ≥"
	rev      int             // grows with every change that shows
	tookMs   float64         // how long attrib.Suggest took

	cacheRev, cacheDoc int
	cache              []attrib.Suggestion // visible, for cacheRev and cacheDoc
	byPara             map[int][]span
}

// sugKey names a suggestion by its span and kind: stable across reloads
// of the same text, so a rejection can be remembered.
func sugKey(s attrib.Suggestion) string {
	return "s-" + strconv.Itoa(s.Start) + "-" + strconv.Itoa(s.End) + "-" + string(s.Kind)
}

// sugLabel is what a suggestion says about itself: kind and speaker.
func sugLabel(s attrib.Suggestion) string {
	sp := s.Speaker
	if sp == "" {
		sp = "no speaker"
	}
	return s.Kind.Label() + " · " + sp
}

// toggleSuggest shows the suggestions for the article (computing them the
// first time), or hides them. The time attrib.Suggest takes is recorded as
// the performance measure "claimmark:suggest" and window.__claimmark.suggestMs;
// the time until they are painted, as window.__claimmark.suggestShownMs.
func (c *readerPage) toggleSuggest(ctx app.Context) {
	if c.d == nil {
		return
	}
	g := &c.sug
	if g.on {
		g.on, g.focus, g.sheet = false, "", false
		g.rev++
		c.announce("Suggestions hidden")
		return
	}
	if g.all == nil {
		perfMark("suggestStart")
		t0 := perfNow()
		g.all = attrib.Suggest(c.d.art.Text)
		g.tookMs = perfNow() - t0
		if app.IsClient {
			perf := app.Window().Get("performance")
			func() {
				defer func() { _ = recover() }()
				perf.Call("measure", "claimmark:suggest", "claimmark:suggestStart")
			}()
			perfObject().Set("suggestMs", g.tookMs)
			perfObject().Set("suggestChars", len(c.d.runes))
			perfObject().Set("suggestCount", len(g.all))
		}
		if g.all == nil {
			g.all = []attrib.Suggestion{}
		}
		g.rejected = c.deviceRejected()
		if g.min == 0 {
			g.min = 0.8
		}
	}
	g.on = true
	g.rev++
	c.refreshRejected(ctx) // what the person's other devices did
	if app.IsClient {
		t0 := perfNow()
		ctx.Defer(func(app.Context) {
			perfObject().Set("suggestRenderedMs", perfNow()-t0)
			afterPaint(func(now float64) { perfObject().Set("suggestShownMs", now-t0) })
		})
	}
	c.light(0, len(c.d.paras))
	c.shown = len(c.d.paras)
	vis := c.visibleSuggestions()
	c.announce(fmt.Sprintf("%d suggestions. N next, A or Enter accepts, X rejects.", len(vis)))
	if len(vis) > 0 {
		c.focusSuggestion(ctx, sugKey(vis[0]), false)
	}
}

// visibleSuggestions returns the suggestions on offer, in text order:
// neither rejected nor overlapping an annotation of the same kind (an
// accepted one included).
func (c *readerPage) visibleSuggestions() []attrib.Suggestion {
	g := &c.sug
	if !g.on || c.d == nil {
		return nil
	}
	if g.cache != nil && g.cacheRev == g.rev && g.cacheDoc == c.d.rev {
		return g.cache
	}
	out := []attrib.Suggestion{}
	byPara := map[int][]span{}
	for _, s := range g.all {
		if g.rejected[sugKey(s)] || s.End <= s.Start || c.annotated(s) {
			continue
		}
		out = append(out, s)
		key := sugKey(s)
		i, j := paraRange(c.d.paras, s.Start, s.End)
		for k := i; k < j; k++ {
			byPara[k] = append(byPara[k], span{ID: key, Kind: s.Kind, Start: s.Start, End: s.End,
				State: stateSuggested, Selected: key == g.focus, Label: sugLabel(s)})
		}
	}
	g.cache, g.byPara, g.cacheRev, g.cacheDoc = out, byPara, g.rev, c.d.rev
	return out
}

// annotated reports whether an annotation of s's kind overlaps s.
func (c *readerPage) annotated(s attrib.Suggestion) bool {
	i, j := paraRange(c.d.paras, s.Start, s.End)
	for k := i; k < j; k++ {
		for _, e := range c.d.byPara[k] {
			if e.A.Kind == s.Kind && e.At.Start < s.End && s.Start < e.At.End {
				return true
			}
		}
	}
	return false
}

// suggestionAt returns the suggestion named key, if it is on offer.
func (c *readerPage) suggestionAt(key string) (attrib.Suggestion, int, bool) {
	for i, s := range c.visibleSuggestions() {
		if sugKey(s) == key {
			return s, i, true
		}
	}
	return attrib.Suggestion{}, -1, false
}

// focusSuggestion makes key the focused suggestion, focuses its highlight
// and scrolls it into view; sheet opens its accept/reject sheet (a tap).
func (c *readerPage) focusSuggestion(ctx app.Context, key string, sheet bool) {
	if _, _, ok := c.suggestionAt(key); !ok {
		return
	}
	c.sug.focus, c.sug.sheet = key, sheet
	c.sug.rev++
	ctx.Defer(func(app.Context) { focusSuggestionMark(key) })
}

// stepSuggestion focuses the next (dir > 0) or previous suggestion.
func (c *readerPage) stepSuggestion(ctx app.Context, dir int) {
	vis := c.visibleSuggestions()
	if len(vis) == 0 {
		return
	}
	_, i, ok := c.suggestionAt(c.sug.focus)
	switch {
	case !ok && dir > 0:
		i = 0
	case !ok:
		i = len(vis) - 1
	default:
		i = (i + dir + len(vis)) % len(vis)
	}
	c.focusSuggestion(ctx, sugKey(vis[i]), false)
}

// afterDecision moves the focus to the suggestion that followed the one
// at index i before it was accepted or rejected.
func (c *readerPage) afterDecision(ctx app.Context, i int) {
	vis := c.visibleSuggestions()
	c.sug.sheet = false
	if len(vis) == 0 {
		c.sug.focus = ""
		return
	}
	c.focusSuggestion(ctx, sugKey(vis[min(i, len(vis)-1)]), false)
}

// acceptSuggestion makes suggestion key an annotation (kind and speaker
// set) through the outbox, as a manual one, and offers Undo.
func (c *readerPage) acceptSuggestion(ctx app.Context, key string) {
	s, i, ok := c.suggestionAt(key)
	if !ok {
		return
	}
	id, ok := c.addSuggested(s)
	if !ok {
		return
	}
	c.sug.rev++
	c.offerUndo(s.Kind.Label()+" by "+orNobody(s.Speaker)+" accepted.", func(ctx app.Context) {
		c.unaccept(ctx, []string{id})
		c.focusSuggestion(ctx, key, false)
	})
	c.announce(s.Kind.Label() + " accepted. Undo is available for ten seconds.")
	c.afterDecision(ctx, i)
}

// acceptAll accepts every suggestion on offer of confidence ≥ c.sug.min.
func (c *readerPage) acceptAll(ctx app.Context) {
	var ids []string
	for _, s := range slices.Clone(c.visibleSuggestions()) {
		if s.Confidence+1e-9 < c.sug.min {
			continue
		}
		if id, ok := c.addSuggested(s); ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return
	}
	c.sug.rev++
	msg := fmt.Sprintf("%d suggestions accepted.", len(ids))
	c.offerUndo(msg, func(ctx app.Context) { c.unaccept(ctx, ids) })
	c.announce(msg + " Undo is available for ten seconds.")
	c.afterDecision(ctx, 0)
}

// orNobody returns speaker, or "no speaker".
func orNobody(speaker string) string {
	if speaker == "" {
		return "no speaker"
	}
	return speaker
}

// addSuggested adds s as a pending annotation and queues it for the server.
func (c *readerPage) addSuggested(s attrib.Suggestion) (string, bool) {
	a := c.newAnnotation(s.Start, s.End, s.Kind)
	a.Speaker = s.Speaker
	if err := a.Validate(c.d.art.Text); err != nil {
		c.alert = "Could not accept this suggestion: " + errorText(err)
		c.announce(c.alert)
		return "", false
	}
	ent := c.d.add(a, statePending)
	if ent == nil {
		return "", false
	}
	c.groups.touchEntry(c.d, ent)
	c.ensureShown(ent)
	if box := c.box(); box != nil {
		box.EnqueuePut(a)
		c.sync = box.Status()
	}
	return a.ID, true
}

// unaccept deletes the annotations ids made by accepting suggestions: the
// suggestions are on offer again.
func (c *readerPage) unaccept(ctx app.Context, ids []string) {
	box := c.box()
	for _, id := range ids {
		if e := c.d.remove(id); e != nil {
			c.groups.touchEntry(c.d, e)
			if box != nil {
				box.EnqueueDelete(&e.A)
			}
		}
	}
	if box != nil {
		c.sync = box.Status()
	}
	c.sug.rev++
	c.announce("Accepting undone")
}

// rejectSuggestion hides suggestion key for good, on every device of the
// person (Undo, or "Bring back", shows it again).
func (c *readerPage) rejectSuggestion(ctx app.Context, key string) {
	_, i, ok := c.suggestionAt(key)
	if !ok {
		return
	}
	c.changeRejected([]string{key}, nil)
	c.offerUndo("Suggestion rejected.", func(ctx app.Context) {
		c.changeRejected(nil, []string{key})
		c.announce("Rejecting undone")
		c.focusSuggestion(ctx, key, false)
	})
	c.announce("Suggestion rejected. Undo is available for ten seconds.")
	c.afterDecision(ctx, i)
}

// offerUndo shows msg in the toast with an Undo that runs revert.
func (c *readerPage) offerUndo(msg string, revert func(ctx app.Context)) {
	c.toastSeq++
	c.toast = &toast{Text: msg, Revert: revert, Seq: c.toastSeq}
}

// setSuggestMin sets the threshold of "Accept all ≥".
func (c *readerPage) setSuggestMin(v float64) {
	if v > 0 && v <= 1 {
		c.sug.min = v
		c.sug.rev++
	}
}

// speakerContext is how many code points before the selection's paragraph
// suggestedSpeaker also reads (whole paragraphs), so that a surname or a
// pronoun resolves to the name introduced earlier, at a bounded cost.
const speakerContext = 3000

// suggestedSpeaker returns the speaker of the suggestion that overlaps the
// code points [start, end) most: from the article's suggestions when
// Suggest computed them, else from attrib.Suggest of the paragraph holding
// start and the paragraphs of up to speakerContext code points before it.
func (c *readerPage) suggestedSpeaker(start, end int) string {
	list := c.sug.all
	if list == nil {
		i := paraAt(c.d.paras, start)
		if i >= len(c.d.paras) {
			return ""
		}
		from := i
		for from > 0 && c.d.paras[from-1].Start >= c.d.paras[i].Start-speakerContext {
			from--
		}
		ws, we := c.d.paras[from].Start, c.d.paras[i].End
		for _, s := range attrib.Suggest(string(c.d.runes[ws:we])) {
			s.Start += ws
			s.End += ws
			list = append(list, s)
		}
	}
	best, most := "", 0
	for _, s := range list {
		if o := min(s.End, end) - max(s.Start, start); o > most && s.Speaker != "" {
			best, most = s.Speaker, o
		}
	}
	return best
}

// sugWindow is how many suggestions the panel lists at once, around the
// focused one: building a list entry costs the wasm about a millisecond,
// and a long article has hundreds of suggestions.
const sugWindow = 25

// sugView is the side panel's list of suggestions.
func (c *readerPage) sugView() *sugPanelView {
	if !c.sug.on {
		return nil
	}
	vis := c.visibleSuggestions()
	v := &sugPanelView{Focus: c.sug.focus, Min: c.sug.min, Took: c.sug.tookMs, Total: len(vis), Rejected: len(c.rejectedOnOffer())}
	_, i, _ := c.suggestionAt(c.sug.focus)
	end := min(len(vis), max(i-5, 0)+sugWindow)
	v.From = max(0, end-sugWindow)
	for _, s := range vis[v.From:end] {
		v.Items = append(v.Items, sugItem{Key: sugKey(s), Kind: string(s.Kind), Speaker: s.Speaker,
			Quote: clip(s.Exact, 140), Percent: int(math.Round(s.Confidence * 100))})
	}
	for _, s := range vis {
		if s.Confidence+1e-9 >= c.sug.min {
			v.AtLeast++
		}
	}
	return v
}

// sheetView returns the accept/reject sheet of the focused suggestion, or nil.
func (c *readerPage) sheetView() app.UI {
	if !c.sug.on || !c.sug.sheet {
		return nil
	}
	s, _, ok := c.suggestionAt(c.sug.focus)
	if !ok {
		return nil
	}
	return &sugSheet{Key: sugKey(s), Kind: string(s.Kind), Speaker: s.Speaker, Quote: clip(s.Exact, 200),
		Percent: int(math.Round(s.Confidence * 100))}
}

// newAnnotation returns a new annotation of kind k on the code points
// [s, e) of the article, with its quote and context.
func (c *readerPage) newAnnotation(s, e int, k annotation.Kind) *annotation.Annotation {
	art := c.d.art
	now := time.Now().UTC()
	a := &annotation.Annotation{
		ID:        annotation.NewID(),
		ArticleID: art.ID,
		Kind:      k,
		Target: annotation.Target{
			Quote:    annotation.Quote{Exact: c.d.quote(s, e)},
			Position: annotation.Position{Start: s, End: e},
			TextHash: art.TextHash,
		},
		Created:  now,
		Modified: now,
	}
	a.Target.Quote.Prefix, a.Target.Quote.Suffix = annotation.Context(art.Text, s, e, annotation.ContextChars)
	c.stamp(a) // reader_access.go
	return a
}

// focusSuggestionMark focuses the first piece of suggestion key's highlight
// and scrolls it into view.
func focusSuggestionMark(key string) {
	if !app.IsClient {
		return
	}
	el := document().Call("querySelector", `#article-text mark.suggestion[data-suggestion-id="`+key+`"]`)
	if !el.Truthy() {
		return
	}
	scrollMarkIntoView(el, "auto")
	el.Call("focus", map[string]any{"preventScroll": true})
}

// suggestionMark draws a piece of a suggestion: outlined in its kind's
// colour, labelled with kind and speaker where it begins.
func suggestionMark(n markNode) app.UI {
	m := app.Mark().Class("suggestion").
		DataSet("kind", string(n.Kind)).
		DataSet("suggestion-id", n.ID).
		Title(n.Label + " (suggested: A accepts, X rejects)")
	if n.First {
		m = m.TabIndex(0).DataSet("first", "1").DataSet("label", n.Label)
	} else {
		m = m.TabIndex(-1)
	}
	if n.Selected {
		m = m.Class("is-focused")
	}
	return m.Body(renderNodes(n.Kids)...)
}
