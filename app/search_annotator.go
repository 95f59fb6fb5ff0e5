package app

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// renderAnnotatorFacet draws the "Annotator" facet: who made the
// annotations found, by display name; nil without accounts (the server
// sends no annotator facet and no filter is on).
func (c *searchPage) renderAnnotatorFacet(vals []annotation.FacetValue) app.UI {
	if len(vals) == 0 && !c.s.identity().HasUser() {
		return nil
	}
	st := c.st
	return facetGroup("annotator", "Annotator", vals, func(v annotation.FacetValue) (bool, searchState, app.UI) {
		on := st.Annotator == v.Value
		next := st.with(func(s *searchState) {
			s.Annotator = v.Value
			if on {
				s.Annotator = ""
			}
		})
		return on, next, app.Span().Class("facet-label").Text(c.annotatorLabel(v.Value))
	})
}

// annotatorLabel returns the name to show for user id: "Me" for the
// user, else the label the server gave in the annotator facet, else the
// id.
func (c *searchPage) annotatorLabel(id string) string {
	if who := c.s.identity(); who.HasUser() && who.User.ID == id {
		return "Me (" + who.User.Name() + ")"
	}
	if c.res != nil {
		for _, v := range c.res.Facets.Annotator {
			if v.Value == id && v.Label != "" {
				return v.Label
			}
		}
	}
	return id
}

// renderMine draws the "Mine / Everyone's" switch, which filters on the
// user as annotator; nil without accounts.
func (c *searchPage) renderMine() app.UI {
	who := c.s.identity()
	if !who.HasUser() {
		return app.Div().Class("mine-slot")
	}
	st := c.st
	mine := st.Annotator == who.User.ID
	link := func(id, text string, on bool, to searchState) app.UI {
		a := app.A().ID(id).Class("view-tab").Href(to.URL()).Text(text)
		if on {
			a = a.Aria("current", "true")
		}
		return a
	}
	return app.Div().Class("mine-slot").Body(
		app.Nav().Class("view-tabs", "mine-switch").Aria("label", "Whose annotations").Body(
			link("search-everyone", "Everyone’s", st.Annotator == "", st.with(func(s *searchState) { s.Annotator = "" })),
			link("search-mine", "Mine", mine, st.with(func(s *searchState) { s.Annotator = who.User.ID })),
		),
	)
}
