package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// On narrow screens (phones) the search page's filters would push the
// results below the fold: they collapse behind a "Filters" button, which
// says how many filters are on. On wide screens the button is hidden (by
// CSS) and the filters are always shown beside the results.

// renderFiltersToggle draws the "Filters" button that shows or hides the
// filters on narrow screens.
func (c *searchPage) renderFiltersToggle() app.UI {
	label := "Filters"
	if n := activeFilters(c.st); n > 0 {
		label += " (" + strconv.Itoa(n) + " on)"
	}
	return app.Button().Type("button").Class("filters-toggle").ID("filters-toggle").
		Aria("expanded", boolText(c.filtersOpen)).
		Aria("controls", "facets").
		Text(label).
		OnClick(c.onToggleFilters)
}

// onToggleFilters shows or hides the filters (narrow screens).
func (c *searchPage) onToggleFilters(ctx app.Context, e app.Event) {
	c.filtersOpen = !c.filtersOpen
}

// activeFilters counts the filters of s: kind, speaker, article, each
// tag, and the date range's ends.
func activeFilters(s searchState) int {
	n := len(s.Tags)
	for _, on := range []bool{s.Kind != "", s.Speaker != "", s.Article != "", s.Since != "", s.Until != ""} {
		if on {
			n++
		}
	}
	return n
}

// openClass returns "open" when open is set, else "".
func openClass(open bool) string {
	if open {
		return "open"
	}
	return ""
}
