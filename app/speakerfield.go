package app

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// speakerDebounce is how long the speaker field waits after a keystroke
// before it asks the server for matching speakers.
const speakerDebounce = 150 * time.Millisecond

// speakerChoice is one suggestion of the speaker field.
type speakerChoice struct {
	Name  string                 // what choosing it writes in the field
	Alias string                 // the alias that matched, when the name did not
	Kind  annotation.SpeakerKind // "" when no identity is known
	Here  bool                   // the article already names this speaker
}

// speakerChoices returns what the speaker field offers for q: the names
// the article already uses (here, by first use) that match, then the
// library's identities (ids, in the server's order), each speaker once
// (an article name that is a name or alias of an identity takes the
// identity's kind and stands for it). An article name that is q itself
// is left out: it is the text being typed, which the annotation already
// holds. Matching is annotation.SpeakerMatches. At most limit choices;
// none for an empty q.
func speakerChoices(q string, here []string, ids []annotation.SpeakerSummary, limit int) []speakerChoice {
	qk := annotation.SpeakerKey(q)
	if qk == "" {
		return nil
	}
	byKey := map[string]*annotation.SpeakerSummary{}
	for i := range ids {
		for _, k := range ids[i].Keys() {
			if byKey[k] == nil {
				byKey[k] = &ids[i]
			}
		}
	}
	var out []speakerChoice
	taken := map[string]bool{} // identity ids and name keys offered
	for _, n := range here {
		k := annotation.SpeakerKey(n)
		if k == "" || k == qk || taken[k] || !annotation.SpeakerMatches(&annotation.Speaker{Name: n}, q) {
			continue
		}
		taken[k] = true
		c := speakerChoice{Name: n, Here: true}
		if sp := byKey[k]; sp != nil {
			c.Kind = sp.Kind
			taken[sp.ID] = true
		}
		out = append(out, c)
	}
	for i := range ids {
		s := &ids[i]
		if taken[s.ID] || taken[annotation.SpeakerKey(s.Name)] || !annotation.SpeakerMatches(&s.Speaker, q) {
			continue
		}
		taken[s.ID] = true
		c := speakerChoice{Name: s.Name, Kind: s.Kind}
		if !annotation.SpeakerMatches(&annotation.Speaker{Name: s.Name}, q) {
			for _, a := range s.Aliases {
				if annotation.SpeakerMatches(&annotation.Speaker{Name: a}, q) {
					c.Alias = a
					break
				}
			}
		}
		out = append(out, c)
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// speakerField is the editor's speaker input (#ed-speaker), an ARIA
// combobox: as the person types it offers matching speakers in a listbox
// (#ed-speaker-list) — the names this article already uses first, then
// the library's identities from GET /api/speakers?q= (asked after a
// pause), or from the device's copies and the article's names when the
// server cannot be reached. ↑/↓ move through the list, Enter or a click
// chooses (the field then holds the speaker's name and the annotation is
// saved), Escape closes it. Names are rendered as text only.
//
// Like the editor it sits in, it is remounted for each annotation: text,
// the value the input starts from, is fixed at mount. It posts actEdit
// (typing and choosing) and actSave (the field was left) with ID.
type speakerField struct {
	app.Compo
	ID  string // the annotation's
	api API    // nil when prerendering

	text    string                      // the input's value at mount, then as typed or chosen
	known   []annotation.SpeakerSummary // the device's identities, read at the first keystroke
	reading bool                        // known is being read
	choices []speakerChoice
	active  int // index of the highlighted choice, -1 for none
	open    bool
	// served is true when the choices are the server's answer for text,
	// false while they are the device's (data-from on the listbox)
	served bool
	timer  *time.Timer
}

// source names where the choices shown come from: "server" or "device".
func (c *speakerField) source() string {
	if c.served {
		return "server"
	}
	return "device"
}

// maxSpeakerChoices bounds the list the field shows.
const maxSpeakerChoices = 8

// OnMount starts with no choice highlighted.
func (c *speakerField) OnMount(ctx app.Context) { c.active = -1 }

// readKnown reads the identities kept on the device, once, only when the
// person types (the editor opens often, for each annotation selected),
// and offers them for what the field then holds.
func (c *speakerField) readKnown(ctx app.Context) {
	l, ok := c.api.(interface {
		KeptSpeakers() ([]annotation.SpeakerSummary, error)
	})
	if !ok || c.reading || c.known != nil {
		return
	}
	c.reading = true
	ctx.Async(func() {
		list, err := l.KeptSpeakers()
		if err != nil || list == nil {
			list = []annotation.SpeakerSummary{}
		}
		ctx.Dispatch(func(app.Context) {
			c.known = list
			if len(c.choices) == 0 && speakerFieldFocused() {
				c.offer(articleSpeakerNames(), list, c.text)
				c.served = false
			}
		})
	})
}

// OnDismount stops a pending search.
func (c *speakerField) OnDismount() {
	if c.timer != nil {
		c.timer.Stop()
	}
}

func speakerOptionID(i int) string { return "ed-speaker-opt-" + strconv.Itoa(i) }

// Render draws the input and, when open, the list.
func (c *speakerField) Render() app.UI {
	open := c.open && len(c.choices) > 0
	in := app.Input().Type("text").ID("ed-speaker").Class("ed-speaker").
		Role("combobox").
		Aria("autocomplete", "list").
		Aria("expanded", boolText(open)).
		Aria("controls", "ed-speaker-list").
		Attr("autocomplete", "off").
		MaxLength(annotation.MaxSpeakerChars).
		Placeholder("Who said it?").
		Value(c.text).
		OnInput(c.onInput).
		OnKeyDown(c.onKey).
		OnBlur(c.onBlur).
		OnChange(c.onCommit)
	if open && c.active >= 0 && c.active < len(c.choices) {
		in = in.Aria("activedescendant", speakerOptionID(c.active))
	}
	items := make([]app.UI, 0, len(c.choices))
	if open {
		for i, ch := range c.choices {
			kind := ""
			switch ch.Kind {
			case annotation.Person:
				kind = "Person"
			case annotation.Organisation:
				kind = "Organisation"
			}
			var alias, where app.UI
			if ch.Alias != "" {
				alias = app.Span().Class("combo-alias").Text(" also “" + ch.Alias + "”")
			}
			if ch.Here {
				where = app.Span().Class("combo-here").Text(" in this article")
			}
			li := app.Li().ID(speakerOptionID(i)).Class("combo-option").Role("option").
				Aria("selected", boolText(i == c.active)).
				DataSet("index", i).
				OnMouseDown(c.onOptionDown).
				OnClick(c.onOptionClick, app.EventScope("choice", strconv.Itoa(i))).
				Body(
					app.Span().Class("combo-name").Text(ch.Name),
					alias,
					app.Span().Class("combo-kind").Text(" "+kind),
					where,
				)
			if i == c.active {
				li = li.Class("active")
			}
			items = append(items, li)
		}
	}
	return app.Div().Class("combo").Body(
		in,
		app.Ul().ID("ed-speaker-list").Class("combo-list").Role("listbox").Aria("label", "Speakers").
			DataSet("from", c.source()).
			Hidden(!open).Body(items...),
	)
}

// onInput saves what is typed (after the editor's pause), offers the local
// choices at once and asks the server after speakerDebounce.
func (c *speakerField) onInput(ctx app.Context, e app.Event) {
	v := ctx.JSSrc().Get("value").String()
	c.text = v
	c.edit(ctx, false, v)
	c.offer(articleSpeakerNames(), c.known, v)
	c.served = false
	c.readKnown(ctx)
	ctx.Update() // post left this part as it was
	if c.timer != nil {
		c.timer.Stop()
	}
	if annotation.SpeakerKey(v) == "" || c.api == nil {
		return
	}
	c.timer = time.AfterFunc(speakerDebounce, func() {
		ctx.Dispatch(func(ctx app.Context) { c.fetch(ctx, v) })
	})
}

// offer sets the choices for q from here (the article's names) and ids.
//
// The highlighted choice stays highlighted where it moved to (the
// server's answer replaces the device's choices, maybe in another order,
// after the person has started moving through them), and none is when it
// is gone: Enter must choose what is shown highlighted.
func (c *speakerField) offer(here []string, ids []annotation.SpeakerSummary, q string) {
	prev := ""
	if c.active >= 0 && c.active < len(c.choices) {
		prev = c.choices[c.active].Name
	}
	c.choices = speakerChoices(q, here, ids, maxSpeakerChoices)
	c.open = len(c.choices) > 0
	c.active = -1
	if prev != "" {
		c.active = slices.IndexFunc(c.choices, func(ch speakerChoice) bool { return ch.Name == prev })
	}
}

// fetch asks for the speakers matching q; the answer replaces the choices
// if the field still holds q.
func (c *speakerField) fetch(ctx app.Context, q string) {
	api := c.api
	ctx.Async(func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		defer cancel()
		list, _, ok, err := listSpeakers(rctx, api, q)
		if !ok || err != nil {
			return // the local choices stay
		}
		ctx.Dispatch(func(app.Context) {
			if c.text != q {
				return
			}
			c.offer(articleSpeakerNames(), list, q)
			c.served = true
		})
	})
}

// onKey moves through the list, chooses and closes it.
func (c *speakerField) onKey(ctx app.Context, e app.Event) {
	n := len(c.choices)
	switch e.Get("key").String() {
	case "ArrowDown":
		if n == 0 {
			return
		}
		e.PreventDefault()
		if !c.open {
			c.open, c.active = true, 0
			return
		}
		c.active = (c.active + 1) % n
	case "ArrowUp":
		if n == 0 {
			return
		}
		e.PreventDefault()
		if !c.open || c.active <= 0 {
			c.open, c.active = true, n-1
			return
		}
		c.active--
	case "Enter":
		if c.open && c.active >= 0 && c.active < n {
			e.PreventDefault()
			c.choose(ctx, c.active)
			return
		}
		ctx.PreventUpdate()
	case "Escape":
		if c.open && n > 0 {
			e.Call("stopPropagation") // the reader's Escape would close the editor
			c.open, c.active = false, -1
			return
		}
		ctx.PreventUpdate()
	case "Tab":
		c.open, c.active = false, -1
	default:
		ctx.PreventUpdate()
	}
}

// onOptionDown keeps the focus in the input while a choice is clicked.
func (c *speakerField) onOptionDown(ctx app.Context, e app.Event) {
	e.PreventDefault()
	ctx.PreventUpdate()
}

func (c *speakerField) onOptionClick(ctx app.Context, e app.Event) {
	i, err := strconv.Atoi(ctx.JSSrc().Get("dataset").Get("index").String())
	if err == nil && i >= 0 && i < len(c.choices) {
		c.choose(ctx, i)
	}
}

// choose writes choice i in the field and saves the annotation at once.
func (c *speakerField) choose(ctx app.Context, i int) {
	name := c.choices[i].Name
	c.text, c.open, c.active = name, false, -1
	if c.timer != nil {
		c.timer.Stop()
	}
	if app.IsClient {
		if in := document().Call("getElementById", "ed-speaker"); in.Truthy() {
			in.Set("value", name)
		}
	}
	c.edit(ctx, true, name)
	ctx.Update() // post left this part as it was
}

func (c *speakerField) onBlur(ctx app.Context, e app.Event) {
	c.open, c.active = false, -1
}

// onCommit saves at once when the field is left (change event).
func (c *speakerField) onCommit(ctx app.Context, e app.Event) { post(ctx, actSave, c.ID) }

// edit asks the reader to set the annotation's speaker text to v.
func (c *speakerField) edit(ctx app.Context, immediate bool, v string) {
	post(ctx, actEdit, editReq{ID: c.ID, Immediate: immediate, Change: func(a *annotation.Annotation) { a.Speaker = v }})
}

// speakerFieldFocused reports whether the speaker field has the focus.
func speakerFieldFocused() bool {
	if !app.IsClient {
		return false
	}
	f := document().Get("activeElement")
	return f.Truthy() && f.Get("id").String() == "ed-speaker"
}

// articleSpeakerNames returns the names the reader offers for its article
// (the #speaker-suggestions list: those its annotations use, then those
// the attribution suggests), or nil outside the browser.
func articleSpeakerNames() []string {
	if !app.IsClient {
		return nil
	}
	opts := document().Call("querySelectorAll", "#speaker-suggestions option")
	out := make([]string, 0, opts.Length())
	for i := range opts.Length() {
		out = append(out, opts.Index(i).Get("value").String())
	}
	return out
}
