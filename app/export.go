package app

import (
	"net/url"
	"strings"
	"unicode"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// exportFormat is one entry of the export menu: the format's name as
// GET /api/export takes it and the label a person reads.
type exportFormat struct{ format, label string }

// exportFormats are the export menu's entries, in the order shown.
var exportFormats = []exportFormat{
	{annotation.FormatJSONLD, "W3C JSON-LD"},
	{annotation.FormatJSONL, "JSONL (backup)"},
	{annotation.FormatCSV, "CSV (spreadsheet)"},
	{annotation.FormatClaimReview, "ClaimReview (rated claims)"},
	{annotation.FormatBrat, "brat (zip)"},
}

// exportFilters returns the filters of the search s that GET /api/export
// reads (q, kind, speaker, article, tag, since, until), without its page,
// sort and view, so that an export holds every result of s, not one page.
func exportFilters(s searchState) url.Values {
	v := s.values()
	v.Del("page")
	v.Del("sort")
	v.Del("view")
	return v
}

// exportHref returns the URL of an export in format holding what filters
// select (everything when filters is empty).
func exportHref(format string, filters url.Values) string {
	v := url.Values{}
	for k, vs := range filters {
		v[k] = append([]string(nil), vs...)
	}
	v.Set("format", format)
	return "/api/export?" + v.Encode()
}

// exportFileName returns the download name of an export in format:
// "claimmark-" and base made safe for a file name (letters, digits and
// single dashes, at most 60 characters), then the format's extension.
// An empty base gives "claimmark-export".
func exportFileName(base, format string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(base) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			if len([]rune(b.String())) >= 60 {
				break
			}
			continue
		}
		dash = true
	}
	name := b.String()
	if name == "" {
		name = "export"
	}
	return "claimmark-" + name + "." + annotation.FileExtension(format)
}

// exportMenu draws a small disclosure menu (id) of plain download links,
// one per format, to GET /api/export with filters; base names the files
// (exportFileName). The links carry download, so go-app does not route
// them inside the app and the browser saves the file.
func exportMenu(id, title string, filters url.Values, base string) app.UI {
	items := make([]app.UI, len(exportFormats))
	for i, f := range exportFormats {
		items[i] = app.Li().Body(
			app.A().Class("export-link").DataSet("format", f.format).
				Href(exportHref(f.format, filters)).
				Download("%s", exportFileName(base, f.format)).
				Text(f.label),
		)
	}
	return app.Details().Class("export-menu").ID(id).Body(
		app.Summary().Class("export-toggle").Title(title).Text("Export"),
		app.Ul().Class("export-list").Aria("label", title).Body(items...),
	)
}

// searchFileBase names the export of the search s: "search" and its words
// and filter values.
func searchFileBase(s searchState) string {
	parts := []string{"search", s.Q, string(s.Kind), s.Speaker, s.Article}
	parts = append(parts, s.Tags...)
	return strings.Join(append(parts, s.Since, s.Until), " ")
}
