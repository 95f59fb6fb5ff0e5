package server

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/exchange"
)

// importTypes are the Content-Types POST /api/import accepts; the body's
// format is recognised from its content.
var importTypes = []string{mediaJSON, "application/ld+json", "application/x-ndjson", "application/jsonl", "application/x-jsonlines"}

// export answers GET /api/export?format=jsonld|jsonl|csv|claimreview|brat (jsonld when
// absent) by streaming every article and annotation as an attachment.
// With any of the search parameters q, kind, speaker, article, rating, tag, since
// and until (read as GET /api/search reads them), it holds only the
// annotations that search finds, all of them, not one page. An error
// before the first byte is an ordinary JSON error; after it, the
// connection is cut so that the client cannot take a truncated file for a
// whole one.
func (s *Server) export(w http.ResponseWriter, r *http.Request) error {
	vals := r.URL.Query()
	format := vals.Get("format")
	if format == "" {
		format = annotation.FormatJSONLD
	}
	contentType, ok := annotation.MediaType(format)
	if !ok || len(vals["format"]) > 1 {
		return annotation.Errorf(annotation.Invalid, "Unknown export format %q: use %s.", format, annotation.Formats)
	}
	q, err := parseQuery(r.URL.RawQuery)
	if err != nil {
		return err
	}
	var keep func(*annotation.Annotation) bool
	if filtered(q) {
		ids, err := s.matchIDs(r.Context(), q)
		if err != nil {
			return err
		}
		keep = func(a *annotation.Annotation) bool { _, ok := ids[a.ID]; return ok }
	}
	lw := &lazyWriter{w: w, start: func(h http.Header) {
		h.Set("Content-Type", contentType)
		h.Set("Content-Disposition", `attachment; filename="claimmark-export.`+annotation.FileExtension(format)+`"`)
	}}
	err = exchange.ExportMatching(r.Context(), s.store, format, s.base(r), keep, lw)
	if err != nil && lw.started {
		if r.Context().Err() == nil {
			s.log.ErrorContext(r.Context(), "export failed after it started", "format", format, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	if err == nil && !lw.started {
		lw.start(w.Header())
		w.WriteHeader(http.StatusOK)
	}
	return err
}

// filtered reports whether q selects annotations (by words or filters).
func filtered(q annotation.Query) bool {
	return q.Text != "" || q.Kind != "" || q.Speaker != "" || q.Article != "" || q.Rating != "" || len(q.Tags) > 0 ||
		!q.Since.IsZero() || !q.Until.IsZero()
}

// MatchLister lists every annotation a search finds, past the pages that
// Search can reach. index.Index implements it.
type MatchLister interface {
	// MatchIDs calls fn with the id of each hit of q, ignoring its Sort,
	// Page and Size; an error from fn stops it and is returned. Its
	// errors are otherwise those of Search.
	MatchIDs(ctx context.Context, q annotation.Query, fn func(id string) error) error
}

// matchIDs returns the ids of every hit of q: from the Searcher's
// MatchIDs when it has one, else by paging through Search, which reaches
// annotation.MaxSearchWindow hits at most (more is Invalid, like a page
// past that window).
func (s *Server) matchIDs(ctx context.Context, q annotation.Query) (map[string]struct{}, error) {
	if s.searcher == nil {
		return nil, annotation.Errorf(annotation.Unavailable, "Search is not available on this server, so an export cannot be filtered; export everything instead.")
	}
	ids := map[string]struct{}{}
	if ml, ok := s.searcher.(MatchLister); ok {
		err := ml.MatchIDs(ctx, q, func(id string) error { ids[id] = struct{}{}; return nil })
		return ids, err
	}
	q.Sort, q.Size = annotation.SortNewest, annotation.MaxPageSize
	for q.Page = 1; ; q.Page++ {
		res, err := s.searcher.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		if res.Total > annotation.MaxSearchWindow {
			return nil, annotation.Errorf(annotation.Invalid,
				"The export matches %d annotations; this server can export at most %d by search. Narrow it with more filters.",
				res.Total, annotation.MaxSearchWindow)
		}
		for _, h := range res.Hits {
			ids[h.Annotation.ID] = struct{}{}
		}
		if len(res.Hits) < q.Size || q.Page*q.Size >= res.Total {
			return ids, nil
		}
	}
}

// lazyWriter sends the response header on the first Write, so that an
// error before any output can still become a JSON error response.
type lazyWriter struct {
	w       http.ResponseWriter
	start   func(http.Header)
	started bool
}

// Write implements io.Writer.
func (l *lazyWriter) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start(l.w.Header())
		l.w.WriteHeader(http.StatusOK)
	}
	return l.w.Write(p)
}

// importData answers POST /api/import: W3C JSON-LD or JSONL, at most
// annotation.MaxImportBytes, imported all-or-nothing. It answers 200 with
// the annotation.ImportReport, or the error with the report beside its
// message ("report") when the import was refused.
func (s *Server) importData(w http.ResponseWriter, r *http.Request) error {
	data, err := s.readBody(w, r, annotation.MaxImportBytes, importTypes...)
	if err != nil {
		return err
	}
	var st annotation.Store = ratedImport{s.store, s.ratings}
	if s.speakers != nil {
		st = ratedSpeakerImport{ratedImport{s.store, s.ratings}, s.speakers}
	}
	rep, err := exchange.Import(r.Context(), st, bytes.NewReader(data), time.Now())
	if err != nil {
		if rep != nil {
			return withFields(err, map[string]any{"report": rep})
		}
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

// ratedImport is a Store whose Import first checks the ratings of the
// annotations against the server's scale, so that an import cannot bring
// in labels a PUT would refuse.
type ratedImport struct {
	annotation.Store
	scale annotation.RatingScale
}

// ratedSpeakerImport is a ratedImport over a store that keeps speaker
// identities, so that an import restores them (exchange.Import looks for
// an annotation.SpeakerStore).
type ratedSpeakerImport struct {
	ratedImport
	annotation.SpeakerStore
}

// Import implements annotation.Store.
func (s ratedImport) Import(ctx context.Context, arts []*annotation.Article, anns []*annotation.Annotation) error {
	for _, a := range anns {
		if err := s.scale.Check(a.Rating); err != nil {
			return annotation.ItemError(err, "Annotation %q:", a.ID)
		}
	}
	return s.Store.Import(ctx, arts, anns)
}
