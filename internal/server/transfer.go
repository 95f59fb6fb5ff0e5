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
// annotations that search finds, all of them, not one page. With accounts
// it holds only what the caller may read. An error
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
	p := s.principal(r)
	q.Access = p.Access()
	var keep func(*annotation.Annotation) bool
	if filtered(q) {
		if err := s.awaitPosition(w, r); err != nil {
			return err
		}
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
	err = exchange.ExportMatching(r.Context(), s.view(p), format, s.base(r), keep, lw)
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
// annotation.MaxImportBytes, imported all-or-nothing. With accounts, new
// articles go to the group of the group= parameter (default the caller's
// Personal group), where the caller must be an editor; see accessImport
// for creators and existing items. It answers 200 with
// the annotation.ImportReport, or the error with the report beside its
// message ("report") when the import was refused.
func (s *Server) importData(w http.ResponseWriter, r *http.Request) error {
	data, err := s.readBody(w, r, annotation.MaxImportBytes, importTypes...)
	if err != nil {
		return err
	}
	var base annotation.Store = s.store
	if p := s.principal(r); p != nil {
		group, err := groupParam(r, p)
		if err != nil {
			return err
		}
		if group == "" {
			group = callerOf(r).Personal
		}
		if err := needRole(r, p, group, annotation.Editor, "import annotations"); err != nil {
			return err
		}
		base = &accessImport{readable: &readable{Store: s.store, p: p, srv: s}, group: group}
	}
	rep, err := exchange.ImportWith(r.Context(), base, bytes.NewReader(data), time.Now(),
		exchange.Options{Ratings: &s.ratings, Speakers: s.speakers})
	if err != nil {
		if rep != nil {
			return withFields(err, map[string]any{"report": rep})
		}
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

// accessImport is the store an import with accounts writes through: it
// reads what the principal may read (so the import matches only readable
// articles) and checks and stamps what is imported.
type accessImport struct {
	*readable
	group string // where new articles go
}

// Import implements annotation.Store. New articles join group with the
// importer as creator. Every annotation's article must be in a group
// where the importer is an editor; its creator is the importer unless
// the file names one and the importer owns that group. An article or
// annotation id that exists already must be one the importer may change;
// one they may not read is refused as a Conflict that says so. An
// annotation that replaces a stored one is held to the rules of a PUT of
// it (checkImportedAnnotation), decided inside the store's import when
// the store is an annotation.CheckedImporter.
func (s *accessImport) Import(ctx context.Context, arts []*annotation.Article, anns []*annotation.Annotation) error {
	p := s.p
	for _, a := range arts {
		old, err := s.Store.Article(ctx, a.ID)
		switch {
		case annotation.ErrorCode(err) == annotation.NotFound:
			a.GroupID, a.Creator = s.group, p.User.ID
		case err != nil:
			return err
		case !p.CanReadArticle(old):
			return annotation.ItemError(annotation.Errorf(annotation.Conflict,
				"its id is taken by an article you cannot read; remove the id from the file to import it as a new article."), "Article %q:", a.ID)
		case !p.Role(old.GroupID).AtLeast(annotation.Editor):
			return annotation.ItemError(annotation.Errorf(annotation.Forbidden,
				"you are %s in its group; ask an owner to make you an editor.", roleWords(p.Role(old.GroupID))), "Article %q:", a.ID)
		default:
			a.GroupID, a.Creator = old.GroupID, old.Creator
		}
	}
	return annotation.ImportChecked(ctx, s.Store, arts, anns, func(a, old *annotation.Annotation, group string, articleFound bool) error {
		if err := checkImportedAnnotation(p, a, old, group, articleFound); err != nil {
			return annotation.ItemError(err, "Annotation %q:", a.ID)
		}
		return nil
	})
}

// checkImportedAnnotation checks that p may import a over old (the stored
// annotation of a.ID, nil for a new one) on an article of group group
// (articleFound false when there is none), and sets the fields the
// server owns, as checkAnnotationWrite does for a PUT: the article must
// be readable (NotFound otherwise) and p an editor of its group
// (Forbidden); old must be one p may change (Conflict otherwise, since
// the file's id is taken); a replacement sent without a visibility keeps
// old's, and only old's creator may make it private or public
// (Forbidden). Creator becomes p unless the file names one and p owns
// group (an existing annotation keeps its creator: the store stamps it),
// GroupID becomes group and CreatorName is cleared. Its messages follow
// an "Annotation %q:" prefix. It is an annotation.WriteCheck's body: the
// store may call it in the import's transaction.
func checkImportedAnnotation(p *annotation.Principal, a, old *annotation.Annotation, group string, articleFound bool) error {
	if !articleFound || p.Roles[group] == "" {
		return annotation.ArticleNotFound(a.ArticleID)
	}
	if !p.Role(group).AtLeast(annotation.Editor) {
		return annotation.Errorf(annotation.Forbidden,
			"you are %s in the group of its article; ask an owner to make you an editor.", roleWords(p.Role(group)))
	}
	if old != nil {
		if !p.CanWrite(old) {
			return annotation.Errorf(annotation.Conflict,
				"its id is taken by an annotation you cannot change; remove the id from the file to import it as a new one.")
		}
		if a.Visibility == "" {
			a.Visibility = old.Visibility
		}
		if a.Visibility.Private() != old.Visibility.Private() && old.Creator != p.User.ID {
			return annotation.Errorf(annotation.Forbidden,
				"only the person who made it may change who sees it; import it with the visibility it has (%s), or remove its id from the file to import it as a new one.", old.Visibility)
		}
	}
	if a.Creator == "" || p.Role(group) != annotation.Owner {
		a.Creator = p.User.ID
	}
	a.GroupID, a.CreatorName = group, ""
	return nil
}
