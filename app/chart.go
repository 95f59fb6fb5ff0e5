package app

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// svgNS is the namespace of SVG elements, which the DOM needs to draw them.
const svgNS = "http://www.w3.org/2000/svg"

// whoRow is one speaker of the "Who said what" chart: how many of the
// current search's annotations they claimed, denied and proposed. Counts
// follows annotation.Kinds. Other counts the speaker's annotations whose
// kind could not be told from the facets (rare: a speaker missing from the
// top values of two kinds' facets); it is drawn as a grey remainder.
type whoRow struct {
	Speaker string
	Total   int
	Counts  [3]int
	Other   int
}

// chartSpeakers returns the speakers of the chart from the facets of a
// search: the speaker facet, then the annotations without a speaker as a
// value of their own (the empty string), so that the bars add up to the
// number of matches. whoSaidWhat matches them across searches like any
// other speaker.
func chartSpeakers(f annotation.Facets) []annotation.FacetValue {
	if f.NoSpeaker == 0 {
		return f.Speaker
	}
	return append(f.Speaker[:len(f.Speaker):len(f.Speaker)], annotation.FacetValue{Value: "", Count: f.NoSpeaker})
}

// noSpeakerLabel names the chart row of the annotations without a speaker.
const noSpeakerLabel = "No speaker"

// kindIndex returns the position of k in annotation.Kinds, or -1.
func kindIndex(k annotation.Kind) int {
	for i, x := range annotation.Kinds {
		if x == k {
			return i
		}
	}
	return -1
}

// whoSaidWhat returns the chart rows for the speakers of a search (its
// speaker facet, most frequent first) from the speaker facets of the same
// search restricted to each kind. perKind[i] is the speaker facet for
// annotation.Kinds[i], or nil when that kind has no match (no request was
// needed). When the search itself is restricted to one kind (fixed), every
// speaker's total is of that kind and perKind is not used.
//
// A facet lists only its most frequent values, so a speaker may be missing
// from a kind's list without having a count of zero there: if one kind is
// unknown its count is the rest of the total; if several are, the rest is
// Other.
func whoSaidWhat(speakers []annotation.FacetValue, perKind [3][]annotation.FacetValue, fixed annotation.Kind) []whoRow {
	rows := make([]whoRow, 0, len(speakers))
	for _, sv := range speakers {
		r := whoRow{Speaker: sv.Value, Total: sv.Count}
		if i := kindIndex(fixed); i >= 0 {
			r.Counts[i] = sv.Count
			rows = append(rows, r)
			continue
		}
		known, unknown := 0, []int{}
		for i, list := range perKind {
			if list == nil {
				continue // no annotation of this kind matches
			}
			found := false
			for _, v := range list {
				if v.Value == sv.Value {
					r.Counts[i], found = v.Count, true
					break
				}
			}
			if found {
				known += r.Counts[i]
			} else {
				unknown = append(unknown, i)
			}
		}
		rest := max(sv.Count-known, 0)
		switch {
		case rest == 0:
		case len(unknown) == 1:
			r.Counts[unknown[0]] = rest
		default:
			r.Other = rest
		}
		rows = append(rows, r)
	}
	return rows
}

// whoChart draws the "Who said what" chart: one row per speaker, a bar
// stacked from their claims, denials and proposals (colour, a letter and a
// text alternative for each part), the total at its end. A part of a bar
// is a link to the search filtered by that speaker and kind; the name, to
// the search filtered by the speaker. It is SVG built element by element:
// every name is a text node, never markup.
type whoChart struct {
	app.Compo
	Rows []whoRow
	Base searchState // the search the chart is drawn from
}

// Chart geometry, in SVG user units (the chart scales to its box).
const (
	chartWidth   = 640
	chartLabelW  = 176 // right edge of the speaker names
	chartBarX    = 184
	chartBarMaxW = 400
	chartTop     = 30 // room for the legend
	chartRowH    = 30
	chartBarH    = 20
)

// Render draws the chart.
func (c *whoChart) Render() app.UI {
	if len(c.Rows) == 0 {
		return app.P().Class("empty", "who-empty").Text("There is nothing to chart.")
	}
	maxTotal := 1
	for _, r := range c.Rows {
		maxTotal = max(maxTotal, r.Total)
	}
	scale := float64(chartBarMaxW) / float64(maxTotal)
	height := chartTop + len(c.Rows)*chartRowH + 6

	kids := []app.UI{
		svgEl("title").Text("Who said what: claims, denials and proposals per speaker"),
		c.legend(),
	}
	for i, r := range c.Rows {
		kids = append(kids, c.row(i, r, scale))
	}
	return app.Div().Class("who-chart").Body(
		app.Elem("svg").XMLNS(svgNS).ID("who-chart").
			Attr("viewBox", fmt.Sprintf("0 0 %d %d", chartWidth, height)).
			Attr("width", "100%").
			Attr("preserveAspectRatio", "xMinYMin meet").
			Role("group").
			Aria("label", "Who said what: claims, denials and proposals per speaker").
			Body(kids...),
	)
}

// legend draws the three kinds with their colours and letters.
func (c *whoChart) legend() app.UI {
	items := []app.UI{}
	x := chartBarX
	for _, k := range annotation.Kinds {
		items = append(items,
			svgEl("rect").Class("who-swatch", "who-"+string(k)).
				Attr("x", x).Attr("y", 6).Attr("width", 14).Attr("height", 14).Attr("rx", 3),
			svgEl("text").Class("who-legend").Attr("x", x+20).Attr("y", 18).Text(k.Label()),
		)
		x += 110
	}
	return svgEl("g").Aria("hidden", "true").Body(items...)
}

// row draws speaker r at row i. The row of the annotations without a
// speaker (r.Speaker == "") is drawn alike but links nowhere: a search
// cannot ask for a missing speaker.
func (c *whoChart) row(i int, r whoRow, scale float64) app.UI {
	y := chartTop + i*chartRowH
	mid := y + chartBarH/2 + 5
	name, none := r.Speaker, r.Speaker == ""
	if none {
		name = noSpeakerLabel
	}
	byName := c.Base.with(func(s *searchState) {
		s.Speaker, s.Kind, s.View = r.Speaker, "", ""
	})
	label := svgEl("g").Class("who-name").Body(
		svgEl("title").Text(name),
		svgEl("text").Attr("x", chartLabelW).Attr("y", mid).Attr("text-anchor", "end").Text(clip(name, 24)),
	)
	if none {
		label = label.Class("who-none").Aria("label", name+": "+plural(r.Total, "annotation"))
	} else {
		label = label.Role("link").TabIndex(0).
			DataSet("href", byName.URL()).
			Aria("label", name+": "+plural(r.Total, "annotation")+"; show them").
			OnClick(c.onPick).OnKeyDown(c.onKey)
	}
	parts := []app.UI{label}
	x := float64(chartBarX)
	for k, n := range r.Counts {
		if n == 0 {
			continue
		}
		kind := annotation.Kinds[k]
		w := max(float64(n)*scale, 3)
		to := c.Base.with(func(s *searchState) {
			s.Speaker, s.Kind, s.View = r.Speaker, kind, ""
		})
		label := name + ": " + plural(n, kindNoun(kind))
		seg := []app.UI{
			svgEl("title").Text(label),
			svgEl("rect").Attr("x", ftoa(x)).Attr("y", y).Attr("width", ftoa(w)).Attr("height", chartBarH),
		}
		if w >= 16 {
			seg = append(seg, svgEl("text").Class("who-letter").Aria("hidden", "true").
				Attr("x", ftoa(x+w/2)).Attr("y", mid).Attr("text-anchor", "middle").Text(kindLetter(kind)))
		}
		bar := svgEl("g").Class("who-bar", "who-"+string(kind)).
			DataSet("speaker", name).
			DataSet("kind", string(kind)).
			DataSet("count", n)
		if none {
			bar = bar.Class("who-none").Aria("label", label)
		} else {
			bar = bar.Role("link").TabIndex(0).
				DataSet("href", to.URL()).
				Aria("label", label+"; show them").
				OnClick(c.onPick).OnKeyDown(c.onKey)
		}
		parts = append(parts, bar.Body(seg...))
		x += w
	}
	if r.Other > 0 {
		w := max(float64(r.Other)*scale, 3)
		parts = append(parts, svgEl("g").Class("who-bar", "who-other").DataSet("count", r.Other).Body(
			svgEl("title").Text(fmt.Sprintf("%s: %s of other kinds", name, plural(r.Other, "annotation"))),
			svgEl("rect").Attr("x", ftoa(x)).Attr("y", y).Attr("width", ftoa(w)).Attr("height", chartBarH),
		))
		x += w
	}
	parts = append(parts, svgEl("text").Class("who-total").Aria("hidden", "true").
		Attr("x", ftoa(x+6)).Attr("y", mid).Text(strconv.Itoa(r.Total)))
	return svgEl("g").Class("who-row").DataSet("speaker", name).DataSet("total", r.Total).Body(parts...)
}

// onPick follows the link of the clicked bar or name.
func (c *whoChart) onPick(ctx app.Context, e app.Event) {
	if href := ctx.JSSrc().Get("dataset").Get("href").String(); href != "" {
		ctx.Navigate(href)
	}
}

// onKey follows the link on Enter or Space, as a link or button would.
func (c *whoChart) onKey(ctx app.Context, e app.Event) {
	switch e.Get("key").String() {
	case "Enter", " ":
		e.PreventDefault()
		c.onPick(ctx, e)
	default:
		ctx.PreventUpdate()
	}
}

// svgEl returns an SVG element named tag.
func svgEl(tag string) app.HTMLElem { return app.Elem(tag).XMLNS(svgNS) }

// ftoa formats an SVG coordinate with at most one decimal.
func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
