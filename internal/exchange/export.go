package exchange

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"claimmark/internal/annotation"
)

// CSVHeader is the first row of a CSV export. The first twelve columns
// are those of the first version of the export, in the same order, so that
// what reads them by position still works; the later ones were added at
// the end.
var CSVHeader = []string{"id", "article_id", "article_title", "kind", "speaker", "quote", "note", "tags", "start", "end", "created", "modified",
	"article_url", "article_source", "article_published", "rating", "rating_value", "rating_url", "relations"}

// Export writes everything in st to w in format (annotation.FormatJSONLD,
// FormatJSONL or FormatCSV), article by article in the order st.Articles
// gives, one item at a time so that memory use does not grow with the store:
//
//   - jsonld: one AnnotationCollection whose first AnnotationPage holds
//     every annotation as ToW3C writes it (without a @context of its own),
//     and whose "total" comes last. Articles are not included.
//   - jsonl: one JSON object per line, first every article (our wire JSON
//     with "type": "article"), then every speaker identity ("type":
//     "speaker"), then every annotation ("type": "annotation"). This is
//     the complete backup that Import restores.
//   - csv: CSVHeader and one row per annotation; tags are joined with ";",
//     relations too, each as type:target-id; rating is the label,
//     rating_value its 1–5 value (empty for a label without one); times
//     are RFC 3339 in UTC, and a cell that starts with = + - @, a tab or a
//     carriage return gets a leading ' so spreadsheets do not run it.
//   - jsonld also holds, after each annotation with relations, one
//     linking annotation per relation (ToW3CLinks), counted in "total".
//   - claimreview: see ToClaimReview.
//   - brat: see exportBrat.
//
// base is the public base URL used for IRIs. An unknown format is Invalid.
// Articles deleted while the export runs are left out. Errors from st, from
// w, or ctx's error are returned; w may then hold a partial export.
func Export(ctx context.Context, st annotation.Store, format, base string, w io.Writer) error {
	return ExportMatching(ctx, st, format, base, nil, w)
}

// ExportMatching is Export of the annotations for which keep returns true
// (all when keep is nil), such as the hits of a search. The JSON Lines
// export then holds only the articles of those annotations, so that it
// still imports; it reads every article's annotations twice to find them.
func ExportMatching(ctx context.Context, st annotation.Store, format, base string, keep func(*annotation.Annotation) bool, w io.Writer) error {
	if _, ok := annotation.MediaType(format); !ok {
		return annotation.Errorf(annotation.Invalid, "Unknown export format %q: use %s.", format, annotation.Formats)
	}
	sums, err := st.Articles(ctx)
	if err != nil {
		return err
	}
	if keep != nil {
		if sums, err = articlesKept(ctx, st, sums, keep); err != nil {
			return err
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	switch format {
	case annotation.FormatJSONLD:
		err = exportJSONLD(ctx, st, sums, base, keep, bw)
	case annotation.FormatJSONL:
		err = exportJSONL(ctx, st, sums, keep, bw)
	case annotation.FormatCSV:
		err = exportCSV(ctx, st, sums, keep, bw)
	case annotation.FormatClaimReview:
		err = exportClaimReview(ctx, st, sums, base, keep, bw)
	case annotation.FormatBrat:
		err = exportBrat(ctx, st, sums, keep, bw)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// allSpeakers returns every speaker of st, or none when st keeps no
// speaker identities.
func allSpeakers(ctx context.Context, st annotation.Store) ([]annotation.SpeakerSummary, error) {
	sp, ok := st.(annotation.SpeakerStore)
	if !ok {
		return nil, nil
	}
	list, err := sp.Speakers(ctx, "")
	if annotation.ErrorCode(err) == annotation.NotFound {
		return nil, nil // a wrapper over a store without identities
	}
	return list, err
}

// speakersByID returns every speaker of st by id (none when st keeps no
// speaker identities).
func speakersByID(ctx context.Context, st annotation.Store) (map[string]*annotation.Speaker, error) {
	list, err := allSpeakers(ctx, st)
	if err != nil {
		return nil, err
	}
	m := make(map[string]*annotation.Speaker, len(list))
	for i := range list {
		m[list[i].ID] = &list[i].Speaker
	}
	return m, nil
}

// marshal encodes v as compact JSON without escaping <, > and &.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// articlesKept returns the articles of sums that have an annotation for
// which keep returns true.
func articlesKept(ctx context.Context, st annotation.Store, sums []annotation.ArticleSummary, keep func(*annotation.Annotation) bool) ([]annotation.ArticleSummary, error) {
	var out []annotation.ArticleSummary
	i := 0
	err := eachArticle(ctx, st, sums, false, keep, func(art *annotation.Article, _ []*annotation.Annotation) error {
		for sums[i].ID != art.ID {
			i++
		}
		out = append(out, sums[i])
		return nil
	})
	return out, err
}

// eachArticle calls fn with every article that still exists and its
// annotations for which keep returns true (all when keep is nil); with
// keep set, articles left with none are skipped. It skips articles
// deleted meanwhile. With withText false, the article passed has only its
// summary fields.
func eachArticle(ctx context.Context, st annotation.Store, sums []annotation.ArticleSummary, withText bool,
	keep func(*annotation.Annotation) bool, fn func(*annotation.Article, []*annotation.Annotation) error) error {
	for _, s := range sums {
		if err := ctx.Err(); err != nil {
			return err
		}
		art := &annotation.Article{ID: s.ID, Title: s.Title, URL: s.URL, Source: s.Source, Published: s.Published,
			TextHash: s.TextHash, Created: s.Created, Updated: s.Updated, Version: s.Version}
		if withText {
			a, err := st.Article(ctx, s.ID)
			if annotation.ErrorCode(err) == annotation.NotFound {
				continue
			} else if err != nil {
				return err
			}
			art = a
		}
		anns, err := st.Annotations(ctx, s.ID)
		if annotation.ErrorCode(err) == annotation.NotFound {
			continue
		} else if err != nil {
			return err
		}
		if keep != nil {
			var kept []*annotation.Annotation // not in place: anns may be the store's
			for _, a := range anns {
				if keep(a) {
					kept = append(kept, a)
				}
			}
			if anns = kept; len(anns) == 0 {
				continue
			}
		}
		if err := fn(art, anns); err != nil {
			return err
		}
	}
	return nil
}

func exportJSONLD(ctx context.Context, st annotation.Store, sums []annotation.ArticleSummary, base string, keep func(*annotation.Annotation) bool, w *bufio.Writer) error {
	head, err := marshal(map[string]any{
		"@context":  jsonldContext(),
		"type":      "AnnotationCollection",
		"label":     "claimmark export",
		"generator": Agent{ID: strings.TrimRight(base, "/") + "/", Type: "Software", Name: "claimmark"},
	})
	if err != nil {
		return err
	}
	// The collection is written by hand around the items: "first" holds
	// them all, and "total" follows them, once they are counted.
	w.Write(head[:len(head)-1])
	w.WriteString(`,"first":{"type":"AnnotationPage","startIndex":0,"items":[`)
	n := 0
	speakers, err := speakersByID(ctx, st)
	if err != nil {
		return err
	}
	err = eachArticle(ctx, st, sums, false, keep, func(art *annotation.Article, anns []*annotation.Annotation) error {
		for _, a := range anns {
			wa := ToW3C(a, art, base)
			wa.SetSpeaker(speakers[a.SpeakerID], base)
			wa.Context = nil
			if err := writeItem(w, &n, wa); err != nil {
				return err
			}
			for _, l := range ToW3CLinks(a, base) {
				if err := writeItem(w, &n, l); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("\n]},\"total\":" + strconv.Itoa(n) + "}\n")
	return err
}

// writeItem writes v as the next item of a JSON array on its own line,
// after a comma unless it is the first (*n counts the items written).
func writeItem(w *bufio.Writer, n *int, v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	if *n > 0 {
		w.WriteByte(',')
	}
	w.WriteByte('\n')
	if _, err := w.Write(b); err != nil {
		return err
	}
	*n++
	return nil
}

// articleLine and annotationLine are the JSONL lines: our wire JSON with a
// "type" field in front.
type articleLine struct {
	Type string `json:"type"`
	*annotation.Article
}

// speakerLine is a speaker identity line, between the articles and the
// annotations, so that an import knows the identities before the
// annotations that name them.
type speakerLine struct {
	Type string `json:"type"`
	*annotation.Speaker
}

type annotationLine struct {
	Type string `json:"type"`
	*annotation.Annotation
}

func exportJSONL(ctx context.Context, st annotation.Store, sums []annotation.ArticleSummary, keep func(*annotation.Annotation) bool, w *bufio.Writer) error {
	writeLine := func(v any) error {
		b, err := marshal(v)
		if err != nil {
			return err
		}
		w.Write(b)
		return w.WriteByte('\n')
	}
	for _, s := range sums {
		if err := ctx.Err(); err != nil {
			return err
		}
		art, err := st.Article(ctx, s.ID)
		if annotation.ErrorCode(err) == annotation.NotFound {
			continue
		} else if err != nil {
			return err
		}
		if err := writeLine(articleLine{"article", art}); err != nil {
			return err
		}
	}
	speakers, err := allSpeakers(ctx, st)
	if err != nil {
		return err
	}
	if keep != nil {
		// A filtered backup carries only the identities its annotations name.
		used := map[string]bool{}
		err := eachArticle(ctx, st, sums, false, keep, func(_ *annotation.Article, anns []*annotation.Annotation) error {
			for _, a := range anns {
				used[a.SpeakerID] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		speakers = slices.DeleteFunc(speakers, func(sp annotation.SpeakerSummary) bool { return !used[sp.ID] })
	}
	for i := range speakers {
		if err := writeLine(speakerLine{"speaker", &speakers[i].Speaker}); err != nil {
			return err
		}
	}
	return eachArticle(ctx, st, sums, false, keep, func(_ *annotation.Article, anns []*annotation.Annotation) error {
		for _, a := range anns {
			if err := writeLine(annotationLine{"annotation", a}); err != nil {
				return err
			}
		}
		return nil
	})
}

func exportCSV(ctx context.Context, st annotation.Store, sums []annotation.ArticleSummary, keep func(*annotation.Annotation) bool, w *bufio.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	err := eachArticle(ctx, st, sums, false, keep, func(art *annotation.Article, anns []*annotation.Annotation) error {
		for _, a := range anns {
			row := []string{
				safeCell(a.ID), safeCell(a.ArticleID), safeCell(art.Title), safeCell(string(a.Kind)),
				safeCell(a.Speaker), safeCell(a.Target.Quote.Exact), safeCell(a.Note), safeCell(strings.Join(a.Tags, ";")),
				strconv.Itoa(a.Target.Position.Start), strconv.Itoa(a.Target.Position.End),
				stamp(a.Created), stamp(a.Modified),
				safeCell(art.URL), safeCell(art.Source), stamp(art.Published),
			}
			if r := a.Rating; r != nil {
				value := ""
				if r.Value > 0 {
					value = strconv.Itoa(r.Value)
				}
				row = append(row, safeCell(r.Label), value, safeCell(r.URL))
			} else {
				row = append(row, "", "", "")
			}
			rels := make([]string, len(a.Relations))
			for i, r := range a.Relations {
				rels[i] = string(r.Type) + ":" + r.Target
			}
			row = append(row, safeCell(strings.Join(rels, ";")))
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// safeCell defuses a CSV cell that a spreadsheet would read as a formula
// (OWASP "CSV injection") by putting a ' in front of it.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
