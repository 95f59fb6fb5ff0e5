package server

import (
	"bytes"
	"net/http"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/exchange"
)

// importTypes are the Content-Types POST /api/import accepts; the body's
// format is recognised from its content.
var importTypes = []string{mediaJSON, "application/ld+json", "application/x-ndjson", "application/jsonl", "application/x-jsonlines"}

// export answers GET /api/export?format=jsonld|jsonl|csv (jsonld when
// absent) by streaming every article and annotation as an attachment. An
// error before the first byte is an ordinary JSON error; after it, the
// connection is cut so that the client cannot take a truncated file for a
// whole one.
func (s *Server) export(w http.ResponseWriter, r *http.Request) error {
	vals := r.URL.Query()
	format := vals.Get("format")
	if format == "" {
		format = exchange.FormatJSONLD
	}
	contentType, ok := exchange.MediaType(format)
	if !ok || len(vals["format"]) > 1 {
		return annotation.Errorf(annotation.Invalid, "Unknown export format %q: use jsonld, jsonl or csv.", format)
	}
	lw := &lazyWriter{w: w, start: func(h http.Header) {
		h.Set("Content-Type", contentType)
		h.Set("Content-Disposition", `attachment; filename="claimmark-export.`+format+`"`)
	}}
	err := exchange.Export(r.Context(), s.store, format, s.base(r), lw)
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
// the exchange.Report, or the error with the report beside its message
// ("report") when the import was refused.
func (s *Server) importData(w http.ResponseWriter, r *http.Request) error {
	data, err := s.readBody(w, r, annotation.MaxImportBytes, importTypes...)
	if err != nil {
		return err
	}
	rep, err := exchange.Import(r.Context(), s.store, bytes.NewReader(data), time.Now())
	if err != nil {
		if rep != nil {
			return withFields(err, map[string]any{"report": rep})
		}
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}
