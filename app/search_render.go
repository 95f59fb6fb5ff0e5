package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// Render draws the search page. Parts that come and go have slots of
// their own (see readerPage.Render).
func (c *searchPage) Render() app.UI {
	return app.Div().Class("page", "search-page").Body(
		&topBar{s: c.s, Sync: syncText(c.sync), Problem: c.sync.Retrying, box: c.box(), onSearch: c.onNavSearch},
		liveRegion(c.live),
		app.Main().Class("search").ID("main").Body(
			app.H1().Class("sr-only").Text("Search"),
			c.renderForm(),
			c.renderMine(), // search_annotator.go
			app.Div().Class("search-layout").Body(
				c.renderFilters(),
				c.renderResults(),
			),
		),
	)
}

// renderForm draws the box, the help toggle, the query's error and the help.
func (c *searchPage) renderForm() app.UI {
	box := app.Input().Type("search").ID("search-box").Class("search-box").
		Name("q").
		Value(c.boxValue).
		Aria("label", "Search annotations").
		Placeholder("Search quotes, notes, speakers, tags and titles").
		AutoComplete(false).
		Spellcheck(false).
		Aria("keyshortcuts", "/").
		OnInput(c.onInput)
	var errBox, help app.UI
	if c.queryErr != "" {
		box = box.Aria("invalid", "true").Aria("describedby", "search-error")
		errBox = app.P().ID("search-error").Class("search-error").Role("alert").Text(c.queryErr)
	}
	if c.help {
		help = c.renderHelp()
	}
	return app.Form().Class("search-form").Role("search").OnSubmit(c.onSubmit).Body(
		app.Div().Class("search-row").Body(
			box,
			app.Button().Type("submit").Class("primary").ID("search-submit").Text("Search"),
			app.Button().Type("button").Class("link").ID("search-help-toggle").
				Aria("expanded", boolText(c.help)).
				Aria("controls", "search-help").
				Text("Syntax help").
				OnClick(c.onHelp),
		),
		slot("search-error-slot", errBox),
		slot("search-help-slot", help),
	)
}

// helpExamples are the examples of the query syntax help: query, meaning.
var helpExamples = [][2]string{
	{`ceasefire talks`, "either word, in the quote, note, speaker, tags or article title (best matches first; the title counts least)"},
	{`"security guarantees"`, "the exact phrase"},
	{`+ceasefire -Moscow`, "must contain ceasefire, must not contain Moscow"},
	{`guarantee~1`, "similar spellings (one letter different)"},
	{`negotiat*`, "words that begin with negotiat"},
	{`speaker:Zakharova`, "a field: quote, note, speaker, tag or kind"},
	{`tag:"security guarantees"`, "a whole tag, as the tag filter counts it"},
	{`title:harbour`, "only words of the article's title"},
	{`kind:denial note:sanctions`, "fields together"},
}

// renderHelp draws the query syntax help; each example can be tried.
func (c *searchPage) renderHelp() app.UI {
	items := make([]app.UI, len(helpExamples))
	for i, ex := range helpExamples {
		items[i] = app.Li().Body(
			app.Button().Type("button").Class("link", "example").DataSet("example", ex[0]).
				Title("Search for this").
				OnClick(c.onExample, app.EventScope("example", ex[0])).
				Body(app.Code().Text(ex[0])),
			app.Span().Text(" — "+ex[1]),
		)
	}
	return app.Section().ID("search-help").Class("search-help").Aria("label", "Query syntax").Body(
		app.P().Text("Words are matched in any form (deny, denied, denies). Words alone search quotes, notes, speakers and article titles; name a field to search only there."),
		app.Ul().Body(items...),
		app.P().Class("hint").Text(`Put a backslash before + - : " ~ * ? / \ and brackets that are meant literally. Press / anywhere to come back to this box.`),
	)
}

// renderFilters draws the left column: dates, sort and the facets.
func (c *searchPage) renderFilters() app.UI {
	var f annotation.Facets
	if c.res != nil {
		f = c.res.Facets
	}
	st := c.st
	kindVals := withActive(f.Kind, string(st.Kind))
	speakerVals := withActive(f.Speaker, st.Speaker)
	articleVals := withActive(f.Article, st.Article)
	annotatorVals := withActive(f.Annotator, st.Annotator)
	tagVals := f.Tag
	for _, t := range st.Tags {
		tagVals = withActive(tagVals, t)
	}
	return app.Aside().Class("facets").Class(openClass(c.filtersOpen)).ID("facets").Aria("label", "Filters").Body(
		c.renderFiltersToggle(), // filters.go: the "Filters" button of narrow screens
		app.H2().Class("facets-title").Text("Filters"),
		app.Div().Class("facet", "facet-dates").Body(
			app.H3().Text("Date"),
			app.Div().Class("date-range").Body(
				app.Label().For("search-since").Text("From"),
				app.Input().Type("date").ID("search-since").Value(st.Since).OnChange(c.onSince),
				app.Label().For("search-until").Text("To"),
				app.Input().Type("date").ID("search-until").Value(st.Until).OnChange(c.onUntil),
			),
		),
		app.Div().Class("facet", "facet-sort").Body(
			app.Label().For("search-sort").Text("Sort by"),
			app.Select().ID("search-sort").OnChange(c.onSort).Body(
				app.Option().Value(annotation.SortRelevance).Selected(st.Sort != annotation.SortNewest).Text("Relevance"),
				app.Option().Value(annotation.SortNewest).Selected(st.Sort == annotation.SortNewest).Text("Newest first"),
			),
		),
		facetGroup("kind", "Kind", kindVals, func(v annotation.FacetValue) (bool, searchState, app.UI) {
			k := annotation.Kind(v.Value)
			on := st.Kind == k
			next := st.with(func(s *searchState) {
				s.Kind = k
				if on {
					s.Kind = ""
				}
			})
			return on, next, app.Span().Class("facet-label").Body(
				app.Span().Class("badge", "badge-"+v.Value).Aria("hidden", "true").Text(kindLetter(k)),
				app.Text(" "+k.Label()),
			)
		}),
		facetGroup("speaker", "Speaker", speakerVals, func(v annotation.FacetValue) (bool, searchState, app.UI) {
			on := st.Speaker == v.Value
			next := st.with(func(s *searchState) {
				s.Speaker = v.Value
				if on {
					s.Speaker = ""
				}
			})
			return on, next, app.Span().Class("facet-label").Text(v.Value)
		}),
		facetGroup("article", "Article", articleVals, func(v annotation.FacetValue) (bool, searchState, app.UI) {
			on := st.Article == v.Value
			next := st.with(func(s *searchState) {
				s.Article = v.Value
				if on {
					s.Article = ""
				}
			})
			label := v.Label
			if label == "" {
				label = v.Value
			}
			return on, next, app.Span().Class("facet-label").Title(label).Text(clip(label, 80))
		}),
		c.renderAnnotatorFacet(annotatorVals), // search_annotator.go
		facetGroup("tag", "Tag", tagVals, func(v annotation.FacetValue) (bool, searchState, app.UI) {
			on := false
			for _, t := range st.Tags {
				on = on || t == v.Value
			}
			return on, st.withTag(v.Value), app.Span().Class("facet-label").Text("#" + v.Value)
		}),
	)
}

// withActive returns vals with the filter value v appended (count 0) when
// it is set and missing from them, so that an active filter can always be
// seen and removed.
func withActive(vals []annotation.FacetValue, v string) []annotation.FacetValue {
	if v == "" {
		return vals
	}
	for _, x := range vals {
		if x.Value == v {
			return vals
		}
	}
	return append(vals[:len(vals):len(vals)], annotation.FacetValue{Value: v})
}

// facetGroup draws one facet: its values as links that add the value as a
// filter (or remove it when it is active), with their counts. describe
// returns whether v is active, the search its link leads to and its label.
func facetGroup(name, title string, vals []annotation.FacetValue, describe func(annotation.FacetValue) (bool, searchState, app.UI)) app.UI {
	if len(vals) == 0 {
		return app.Div().Class("facet", "facet-"+name).ID("facet-"+name).Body(app.H3().Text(title), app.P().Class("hint").Text("—"))
	}
	items := make([]app.UI, len(vals))
	for i, v := range vals {
		on, next, label := describe(v)
		a := app.A().Class("facet-value").Href(next.URL()).DataSet("value", v.Value).DataSet("count", v.Count)
		if on {
			a = a.Aria("current", "true").Title("Remove this filter")
		}
		items[i] = app.Li().Body(a.Body(
			label,
			app.Span().Class("count").Text(strconv.Itoa(v.Count)),
		))
	}
	return app.Div().Class("facet", "facet-"+name).ID("facet-"+name).Body(
		app.H3().Text(title),
		app.Ul().Aria("label", title).Body(items...),
	)
}

// renderResults draws the middle column: the views, the status, the
// active filters, then the hits or the chart and the pages.
func (c *searchPage) renderResults() app.UI {
	st := c.st
	list := st.with(func(s *searchState) { s.View = ""; s.Page = st.Page })
	chart := st.with(func(s *searchState) { s.View = searchViewChart })
	tab := func(id, text string, to searchState, on bool) app.UI {
		a := app.A().ID(id).Class("view-tab").Href(to.URL()).Text(text)
		if on {
			a = a.Aria("current", "page")
		}
		return a
	}
	return app.Section().Class("search-results").Aria("label", "Results").Body(
		app.Nav().Class("view-tabs").Aria("label", "Views").Body(
			tab("view-results", "Results", list, st.View == ""),
			tab("view-chart", "Who said what", chart, st.View == searchViewChart),
			exportMenu("search-export", "Export every result of this search", exportFilters(st), searchFileBase(st)), // export.go
		),
		c.renderStatus(),
		c.renderActive(),
		c.renderBody(),
	)
}

// renderStatus says how many annotations match, or what went wrong. When
// nothing matches it says nothing: the no-results block does (once).
func (c *searchPage) renderStatus() app.UI {
	var offline app.UI
	if c.res != nil && c.res.Local {
		offline = app.P().ID("search-offline").Class("notice", "notice-offline").Role("status").
			Text("Results from this device (offline): the server cannot be reached, so only the annotations stored here are searched.")
	}
	var line app.UI
	switch {
	case c.failed != "":
		line = app.Div().Class("notice", "notice-error").Role("alert").Body(
			app.P().Text(c.failed),
			app.Button().Type("button").ID("search-retry").Text("Try again").OnClick(c.onRetry),
		)
	case c.res != nil && c.res.Total == 0 && !c.loading:
		// The no-results block below says it, with a suggestion.
	case c.res != nil && c.res.Total > 0:
		text := resultsText(c.resFor, c.res)
		if c.loading {
			text += " Searching…"
		}
		line = app.P().ID("search-status").Class("search-status").Text(text)
	case c.loading:
		line = app.P().ID("search-status").Class("search-status", "loading").Text("Searching…")
	}
	return app.Div().Class("status-slot").Body(offline, line)
}

// onRetry runs the search again after a failure.
func (c *searchPage) onRetry(ctx app.Context, e app.Event) { c.search(ctx) }

// resultsText says how many annotations match st ("12 annotations match
// · page 2 of 3").
func resultsText(st searchState, res *annotation.Results) string {
	if res == nil {
		return ""
	}
	if res.Total == 0 {
		return "No annotations match."
	}
	verb := " match"
	if res.Total == 1 {
		verb = " matches"
	}
	text := plural(res.Total, "annotation") + verb + "."
	if st.View == "" {
		if last := lastPage(res.Total, searchPageSize); last > 1 {
			text += fmt.Sprintf(" Page %d of %d.", max(st.Page, 1), last)
		}
	}
	return text
}

// renderActive lists the active filters, each with a link that removes it.
func (c *searchPage) renderActive() app.UI {
	st := c.st
	if !st.hasFilters() {
		return app.Div().Class("active-slot")
	}
	var chips []app.UI
	chip := func(name, text string, next searchState) {
		chips = append(chips, app.Li().Class("active-filter").DataSet("filter", name).Body(
			app.Span().Text(text),
			app.A().Class("remove-filter").Href(next.URL()).Aria("label", "Remove the filter "+text).Text("×"),
		))
	}
	if st.Kind != "" {
		chip("kind", "Kind: "+st.Kind.Label(), st.with(func(s *searchState) { s.Kind = "" }))
	}
	if st.Speaker != "" {
		chip("speaker", "Speaker: "+st.Speaker, st.with(func(s *searchState) { s.Speaker = "" }))
	}
	if st.Annotator != "" {
		chip("annotator", "Annotator: "+c.annotatorLabel(st.Annotator), st.with(func(s *searchState) { s.Annotator = "" }))
	}
	if st.Article != "" {
		chip("article", "Article: "+clip(c.articleLabel(st.Article), 50), st.with(func(s *searchState) { s.Article = "" }))
	}
	for _, t := range st.Tags {
		chip("tag", "Tag: "+t, st.withTag(t))
	}
	if st.Since != "" {
		chip("since", "From "+st.Since, st.with(func(s *searchState) { s.Since = "" }))
	}
	if st.Until != "" {
		chip("until", "To "+st.Until, st.with(func(s *searchState) { s.Until = "" }))
	}
	return app.Div().Class("active-slot").Body(
		app.Ul().Class("active-filters").Aria("label", "Active filters").Body(chips...),
		app.A().ID("clear-filters").Class("clear-filters").Href(st.withoutFilters().URL()).Text("Clear all filters"),
	)
}

// articleLabel returns the title of article id from the facets or hits,
// else the id.
func (c *searchPage) articleLabel(id string) string {
	if c.res != nil {
		for _, v := range c.res.Facets.Article {
			if v.Value == id && v.Label != "" {
				return v.Label
			}
		}
		for _, h := range c.res.Hits {
			if h.Annotation != nil && h.Annotation.ArticleID == id && h.ArticleTitle != "" {
				return h.ArticleTitle
			}
		}
	}
	return id
}

// renderBody draws the hits and the pages, the chart, or why there are
// none.
func (c *searchPage) renderBody() app.UI {
	res := c.res
	switch {
	case res == nil:
		return app.Div().Class("results-slot")
	case res.Total == 0:
		return app.Div().Class("results-slot").Body(c.renderNoResults())
	case c.resFor.View == searchViewChart:
		return app.Div().Class("results-slot").Body(
			app.H2().Class("who-title").Text("Who said what"),
			app.P().Class("hint").Text("Claims, denials and proposals per speaker among these results. Choose a bar to see those statements."),
			&whoChart{Rows: c.chart, Base: c.resFor},
		)
	case len(res.Hits) == 0:
		return app.Div().Class("results-slot").Body(app.P().Class("empty").Body(
			app.Text("This page is past the last one. "),
			app.A().Href(c.resFor.with(func(*searchState) {}).URL()).Text("Go to the first page"),
		))
	}
	items := make([]app.UI, len(res.Hits))
	for i, h := range res.Hits {
		items[i] = resultItem(h)
	}
	return app.Div().Class("results-slot").Body(
		app.Ol().Class("results").ID("results").Aria("label", "Matching annotations").Body(items...),
		c.renderPager(),
	)
}

// renderNoResults says that nothing matches and offers to remove the filters.
func (c *searchPage) renderNoResults() app.UI {
	st := c.resFor
	what := "No annotations match"
	if st.Q != "" {
		what += " “" + st.Q + "”"
	}
	if !st.hasFilters() {
		return app.Div().ID("no-results").Class("no-results").Body(
			app.P().Text(what+"."),
			app.P().Class("hint").Text("Check the spelling, use fewer words, or add ~1 to a word to allow a different letter."),
		)
	}
	return app.Div().ID("no-results").Class("no-results").Body(
		app.P().Text(what+" with these filters."),
		app.P().Body(
			app.A().ID("no-results-clear").Href(st.withoutFilters().URL()).Text("Remove all filters"),
			app.Text(" to search everything, or remove them one by one above."),
		),
	)
}

// renderPager draws the links to the previous and next pages.
func (c *searchPage) renderPager() app.UI {
	st, res := c.resFor, c.res
	page, last := max(st.Page, 1), lastPage(res.Total, searchPageSize)
	if last == 1 {
		return app.Nav().Class("pager")
	}
	to := func(p int) string { return st.with(func(s *searchState) { s.Page = p }).URL() }
	var prev, next, capped app.UI
	if page > 1 {
		prev = app.A().ID("page-prev").Rel("prev").Href(to(page - 1)).Text("← Previous")
	}
	if page < last {
		next = app.A().ID("page-next").Rel("next").Href(to(page + 1)).Text("Next →")
	}
	if res.Total > annotation.MaxSearchWindow {
		capped = app.P().Class("hint").Text(fmt.Sprintf("Only the first %d results can be paged through; add words or filters to narrow the search.", annotation.MaxSearchWindow))
	}
	return app.Nav().Class("pager").Aria("label", "Pages").Body(
		prev,
		app.Span().Class("pager-where").Text(fmt.Sprintf("Page %d of %d", page, last)),
		next,
		capped,
	)
}

// resultItem draws one hit: kind badge and name, speaker, the quote and
// the note with the matched words marked, article title and date. It
// links to the reader, opened at the annotation (?a=), which flashes it.
func resultItem(h annotation.Hit) app.UI {
	a := h.Annotation
	if a == nil {
		return app.Li().Class("result")
	}
	speaker := app.Strong().Class("result-speaker", "none").Text("No speaker")
	if a.Speaker != "" {
		speaker = app.Strong().Class("result-speaker").Body(segmentsUI(h.Fragments["speaker"], a.Speaker)...)
	}
	body := []app.UI{
		app.Span().Class("result-head").Body(
			app.Span().Class("badge", "badge-"+string(a.Kind)).Aria("hidden", "true").Text(kindLetter(a.Kind)),
			app.Span().Class("result-kind").Text(a.Kind.Label()),
			speaker,
			app.If(a.Rating != nil, func() app.UI { return ratingBadge(a.Rating.Label) }),
		),
		app.Span().Class("result-quote").Body(segmentsUI(h.Fragments["quote"], a.Target.Quote.Exact)...),
	}
	if a.Note != "" {
		body = append(body, app.Span().Class("result-note").Body(segmentsUI(h.Fragments["note"], clip(a.Note, 300))...))
	}
	body = append(body, matchedElsewhere(h)...)
	meta := []app.UI{}
	title := h.ArticleTitle
	if title == "" {
		title = "Untitled article"
	}
	meta = append(meta, app.Span().Class("result-article").Text(title))
	if !a.Created.IsZero() {
		meta = append(meta, app.Time().Class("result-date").DateTime(a.Created.Format("2006-01-02")).Text(dateText(a.Created)))
	}
	if len(a.Tags) > 0 {
		meta = append(meta, app.Span().Class("result-tags").Text("#"+strings.Join(a.Tags, " #")))
	}
	if by := annotatorLine(a.CreatorName, a.Visibility.Private()); by != nil {
		meta = append(meta, by)
	}
	body = append(body, app.Span().Class("result-meta").Body(meta...))
	return app.Li().Class("result", "result-"+string(a.Kind)).DataSet("annotation-id", a.ID).Body(
		app.A().Class("result-link").Href(resultHref(a)).Body(body...),
	)
}

// matchedElsewhere draws a small line for each place outside quote, note
// and speaker where the hit matched (the article's title, its tags), with
// the matched words marked, so that a hit whose quote lacks the words says
// why it is there. Text only, like every fragment.
func matchedElsewhere(h annotation.Hit) []app.UI {
	var out []app.UI
	if f := h.Fragments["title"]; len(f) > 0 {
		out = append(out, app.Span().Class("result-why", "result-why-title").Body(
			append([]app.UI{app.Text("matched in title: ")}, segmentsUI(f, "")...)...))
	}
	if f := h.Fragments["tag"]; len(f) > 0 {
		label := "matched in tag: "
		if len(f) > 1 {
			label = "matched in tags: "
		}
		line := []app.UI{app.Text(label)}
		for i, tag := range f {
			if i > 0 {
				line = append(line, app.Text(", "))
			}
			line = append(line, segmentsUI([][]annotation.Segment{tag}, "")...)
		}
		out = append(out, app.Span().Class("result-why", "result-why-tag").Body(line...))
	}
	return out
}

// resultHref returns the reader's URL opened at annotation a.
func resultHref(a *annotation.Annotation) string {
	return "/articles/" + a.ArticleID + "?a=" + a.ID
}

// segmentsUI renders highlighted fragments as text nodes, each matched
// segment in a <mark class="hit">, fragments joined by " … ". With no
// fragments it renders plain (white space collapsed). Nothing is parsed as
// HTML.
func segmentsUI(frags [][]annotation.Segment, plain string) []app.UI {
	if len(frags) == 0 {
		return []app.UI{app.Text(strings.Join(strings.Fields(plain), " "))}
	}
	var out []app.UI
	for i, f := range frags {
		if i > 0 {
			out = append(out, app.Text(" … "))
		}
		for _, s := range f {
			text := strings.Join(strings.Fields(s.Text), " ")
			if strings.TrimSpace(s.Text) == "" {
				text = " "
			} else {
				if strings.TrimLeft(s.Text, " \t\n") != s.Text {
					text = " " + text
				}
				if strings.TrimRight(s.Text, " \t\n") != s.Text {
					text += " "
				}
			}
			if s.Hit {
				out = append(out, app.Mark().Class("hit").Text(text))
			} else {
				out = append(out, app.Text(text))
			}
		}
	}
	return out
}
