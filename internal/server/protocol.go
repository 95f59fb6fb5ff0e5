package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/exchange"
)

// The W3C Web Annotation Protocol (https://www.w3.org/TR/annotation-protocol/)
// is served at /annotations/: an LDP Basic Container of every annotation,
// paged, with POST to create, and one resource per annotation at
// /annotations/{id} with GET, PUT and DELETE. Representations are always
// the W3C model (exchange.ToW3C, with the annotation's IRI under
// /annotations/), so GET answers JSON-LD whatever Accept says.
//
// The W3C representation carries neither relations nor ratings: a PUT
// keeps those of the stored annotation. Relations appear in the JSON-LD
// export as linking annotations.

// Protocol IRIs and header values.
const (
	protocolContainer = "/annotations/"
	ldpJSONLD         = "http://www.w3.org/ns/ldp.jsonld"
	linkContainer     = `<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", ` +
		`<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"`
	allowContainer = "GET, HEAD, POST, OPTIONS"

	preferContainedIRIs         = "http://www.w3.org/ns/oa#PreferContainedIRIs"
	preferContainedDescriptions = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
	preferMinimalContainer      = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
)

// DefaultProtocolPageSize is how many annotations one page of the
// /annotations/ container holds unless Config.ProtocolPageSize says.
const DefaultProtocolPageSize = 100

// protocolRoutes installs the Web Annotation Protocol at /annotations/.
// Each path answers its methods, OPTIONS with 204 and the others with 405,
// all with Allow; other paths under /annotations/ are 404.
func (s *Server) protocolRoutes() {
	paths := []struct {
		path    string
		allow   string
		methods map[string]handlerFunc
	}{
		{"/annotations/{$}", allowContainer, map[string]handlerFunc{"GET": s.getContainer, "POST": s.postContainer}},
		{"/annotations/{id}", allowAnnotation, map[string]handlerFunc{"GET": s.getProtocolAnnotation, "PUT": s.putProtocolAnnotation, "DELETE": s.deleteProtocolAnnotation}},
	}
	for _, p := range paths {
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
			h, ok := p.methods[m]
			if !ok {
				h = otherMethod(p.allow)
			}
			s.mux.HandleFunc(m+" "+p.path, s.handle(h))
		}
	}
	s.mux.HandleFunc(protocolContainer, s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return annotation.Errorf(annotation.NotFound, "There is no annotation at %s; annotations are at /annotations/{id}.", r.URL.Path)
	}))
}

// protocolIRI returns the IRI of annotation id in the container.
func (s *Server) protocolIRI(r *http.Request, id string) string {
	return s.base(r) + protocolContainer + id
}

// protocolW3C returns a as the protocol represents it: ToW3C with the id
// in the container.
func (s *Server) protocolW3C(r *http.Request, a *annotation.Annotation, art *annotation.Article) *exchange.WebAnnotation {
	wa := exchange.ToW3C(a, art, s.base(r))
	wa.ID = s.protocolIRI(r, a.ID)
	return wa
}

// writeJSONLD writes v as JSON-LD of the annotation profile.
func writeJSONLD(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	writeBody(w, status, annotation.MediaTypeJSONLD, append(body, '\n'))
	return nil
}

// writeProtocolAnnotation answers with a in the W3C model and its ETag.
func (s *Server) writeProtocolAnnotation(w http.ResponseWriter, r *http.Request, status int, a *annotation.Annotation) error {
	art, err := s.store.Article(r.Context(), a.ArticleID)
	if err != nil {
		return err
	}
	annotationHeaders(w)
	w.Header().Set("ETag", a.ETag())
	return writeJSONLD(w, status, s.protocolW3C(r, a, art))
}

// getProtocolAnnotation answers GET and HEAD /annotations/{id}.
func (s *Server) getProtocolAnnotation(w http.ResponseWriter, r *http.Request) error {
	annotationHeaders(w)
	a, err := s.pathAnnotation(r)
	if err != nil {
		return err
	}
	return s.writeProtocolAnnotation(w, r, http.StatusOK, a)
}

// readW3C reads the W3C annotation in r's body and places it in one of
// the stored articles (exchange.FromW3C). bodyID is the body's "id".
func (s *Server) readW3C(w http.ResponseWriter, r *http.Request) (a *annotation.Annotation, bodyID string, err error) {
	data, err := s.readBody(w, r, annotation.MaxBodyBytes, "application/ld+json", mediaJSON)
	if err != nil {
		return nil, "", err
	}
	a, err = exchange.FromW3C(r.Context(), data, s.view(s.principal(r)))
	if err != nil {
		return nil, "", err
	}
	var v struct {
		ID any `json:"id"`
	}
	_ = json.Unmarshal(data, &v)
	bodyID, _ = v.ID.(string)
	return a, bodyID, nil
}

// postContainer answers POST /annotations/: it stores the W3C annotation
// of the body and answers 201 with its Location, ETag and representation.
// The server assigns the IRI: the container's IRI and the Slug header
// when that is a valid id not in use (so an offline client can retry
// without making a copy: a retried Slug whose annotation holds the same
// content is answered 201 again), else a new UUID. An id in the body is
// not kept; the answer names it in "via".
func (s *Server) postContainer(w http.ResponseWriter, r *http.Request) error {
	containerHeaders(w)
	ctx := r.Context()
	a, via, err := s.readW3C(w, r)
	if err != nil {
		return err
	}
	a.Revision = 0
	if err := s.postSlug(r, s.principal(r), a, strings.TrimSpace(r.Header.Get("Slug"))); err != nil {
		return err
	}
	art, err := s.store.Article(ctx, a.ArticleID)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Location", s.protocolIRI(r, a.ID))
	h.Set("ETag", a.ETag())
	h.Set("Allow", allowAnnotation)
	h.Set("Link", linkResource)
	if via == s.protocolIRI(r, a.ID) {
		via = ""
	}
	return writeJSONLD(w, http.StatusCreated, struct {
		*exchange.WebAnnotation
		Via string `json:"via,omitempty"`
	}{s.protocolW3C(r, a, art), via})
}

// postSlug stores the new annotation a under slug when slug is a valid id
// that is free, or already holds a's content (a retry: the store's retry
// rule answers it without a new revision) and p may change it; otherwise
// under a new id. p's right to write is decided in each write
// (putChecked).
func (s *Server) postSlug(r *http.Request, p *annotation.Principal, a *annotation.Annotation, slug string) error {
	ctx := r.Context()
	if p != nil && annotation.ValidID(slug) {
		if old, err := s.storedAnnotation(ctx, slug); err != nil {
			return err
		} else if old != nil && !p.CanWrite(old) {
			slug = ""
		}
	}
	if annotation.ValidID(slug) {
		a.ID = slug
		// ETag "0" matches no stored annotation: the put succeeds only
		// as a retry of the same content.
		_, err := s.putChecked(r, p, a, etagNone, nil)
		switch annotation.ErrorCode(err) {
		case "":
			return nil
		case annotation.PreconditionFailed:
			if _, err := s.store.Annotation(ctx, slug); annotation.ErrorCode(err) == annotation.NotFound {
				_, err = s.putChecked(r, p, a, "", nil)
				return err
			}
		default:
			return err
		}
	}
	a.ID = annotation.NewID()
	_, err := s.putChecked(r, p, a, "", nil)
	return err
}

// etagNone is an If-Match value that matches no stored annotation
// (revisions start at 1).
const etagNone = `"0"`

// putProtocolAnnotation answers PUT /annotations/{id}: it replaces the
// annotation with the W3C annotation of the body, keeping its relations
// and rating. If-Match is required (428 without it), as the Protocol
// recommends, and a stale one is 412; a missing annotation is 404.
func (s *Server) putProtocolAnnotation(w http.ResponseWriter, r *http.Request) error {
	annotationHeaders(w)
	id, err := pathID(r, "annotation")
	if err != nil {
		return err
	}
	if ifMatch(r) == "" {
		return withStatus(http.StatusPreconditionRequired, annotation.Errorf(annotation.PreconditionFailed,
			"Send the annotation's ETag in If-Match, so that a change made meanwhile is not overwritten."))
	}
	p := s.principal(r)
	// A missing or unreadable annotation is answered before the body is read.
	if _, err := s.view(p).Annotation(r.Context(), id); err != nil {
		return err
	}
	a, _, err := s.readW3C(w, r)
	if err != nil {
		return err
	}
	a.ID = id
	// The relations and rating kept are those of the annotation replaced,
	// as stored in the write's transaction.
	keep := func(a, stored *annotation.Annotation, _ string, _ bool) error {
		if stored == nil {
			return annotation.AnnotationNotFound(id)
		}
		a.Relations, a.Rating = stored.Relations, stored.Rating
		return nil
	}
	if _, err := s.putChecked(r, p, a, ifMatch(r), keep); err != nil {
		return err
	}
	return s.writeProtocolAnnotation(w, r, http.StatusOK, a)
}

// deleteProtocolAnnotation answers DELETE /annotations/{id} with 204; a
// stale If-Match is 412.
func (s *Server) deleteProtocolAnnotation(w http.ResponseWriter, r *http.Request) error {
	return s.deleteAnnotation(w, r)
}

// containerHeaders sets the headers of every container answer.
func containerHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Link", linkContainer)
	h.Set("Allow", allowContainer)
	h.Set("Accept-Post", annotation.MediaTypeJSONLD)
	h.Set("Vary", "Accept, Prefer")
}

// containerPrefer is how a container GET represents its annotations.
type containerPrefer struct {
	iris    bool // contained annotations as IRIs, not descriptions
	minimal bool // no embedded page
}

// parsePrefer reads the Prefer header's return=representation include
// list: PreferContainedIRIs, PreferContainedDescriptions (the default) and
// PreferMinimalContainer. Asking for both IRIs and descriptions, which the
// Protocol forbids, is Invalid.
func parsePrefer(h http.Header) (containerPrefer, error) {
	var p containerPrefer
	var both [2]bool
	for _, v := range h.Values("Prefer") {
		for part := range strings.SplitSeq(v, ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "include") {
				continue
			}
			for iri := range strings.FieldsSeq(strings.Trim(strings.TrimSpace(val), `"`)) {
				switch iri {
				case preferContainedIRIs:
					p.iris, both[0] = true, true
				case preferContainedDescriptions:
					p.iris, both[1] = false, true
				case preferMinimalContainer:
					p.minimal = true
				}
			}
		}
	}
	if both[0] && both[1] {
		return p, annotation.Errorf(annotation.Invalid,
			"The Prefer header asks for both PreferContainedIRIs and PreferContainedDescriptions; ask for one.")
	}
	return p, nil
}

// containerPage is one AnnotationPage of the container.
type containerPage struct {
	Context    any           `json:"@context,omitempty"`
	ID         string        `json:"id"`
	Type       string        `json:"type"`
	PartOf     *containerRef `json:"partOf,omitempty"`
	StartIndex int           `json:"startIndex"`
	Prev       string        `json:"prev,omitempty"`
	Next       string        `json:"next,omitempty"`
	Items      []any         `json:"items"`
}

// containerRef is the container as a page names it.
type containerRef struct {
	ID    string `json:"id"`
	Total int    `json:"total"`
}

// container is the representation of the container itself.
type container struct {
	Context  []string  `json:"@context"`
	ID       string    `json:"id"`
	Type     []string  `json:"type"`
	Label    string    `json:"label"`
	Total    int       `json:"total"`
	Modified time.Time `json:"modified,omitzero"`
	First    any       `json:"first,omitempty"`
	Last     string    `json:"last,omitempty"`
}

// getContainer answers GET and HEAD /annotations/: without ?page, the
// container (total, first page embedded unless PreferMinimalContainer
// asks otherwise, last page IRI); with ?page=N, page N. ?iris=1 and
// ?iris=0 in page IRIs keep the representation the Prefer header chose.
// The ETag changes with every write to the store and with the
// representation.
func (s *Server) getContainer(w http.ResponseWriter, r *http.Request) error {
	containerHeaders(w)
	ctx := r.Context()
	q := r.URL.Query()
	pref, err := parsePrefer(r.Header)
	if err != nil {
		return err
	}
	switch q.Get("iris") {
	case "1":
		pref.iris = true
	case "0":
		pref.iris = false
	}
	page := -1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return annotation.Errorf(annotation.Invalid, "The page must be a whole number from 0, not %q.", v)
		}
		page = n
	}
	size := s.protocolPageSize
	start := max(page, 0) * size
	items, total, modified, err := s.containerItems(ctx, r, start, size, pref.iris)
	if err != nil {
		return err
	}
	_, seq, err := s.store.Changes(ctx, 0, 1)
	if err != nil {
		return err
	}
	base := s.base(r) + protocolContainer
	iris := "0"
	if pref.iris {
		iris = "1"
	}
	self := base + "?iris=" + iris
	pageIRI := func(n int) string { return self + "&page=" + strconv.Itoa(n) }
	pages := (total + size - 1) / size
	if page >= 0 && page >= max(pages, 1) {
		return annotation.Errorf(annotation.NotFound, "The container has %d pages; page %d does not exist.", pages, page)
	}
	pg := &containerPage{ID: pageIRI(max(page, 0)), Type: "AnnotationPage", StartIndex: start, Items: items}
	if start > 0 {
		pg.Prev = pageIRI(page - 1)
	}
	if start+size < total {
		pg.Next = pageIRI(max(page, 0) + 1)
	}
	tag := fmt.Sprintf(`"%d-%s`, seq, iris)
	if page >= 0 {
		w.Header().Set("ETag", tag+"-p"+strconv.Itoa(page)+`"`)
		w.Header().Set("Content-Location", pg.ID)
		pg.Context = exchange.AnnoContext
		pg.PartOf = &containerRef{ID: self, Total: total}
		return writeJSONLD(w, http.StatusOK, pg)
	}
	c := &container{Context: []string{exchange.AnnoContext, ldpJSONLD}, ID: self,
		Type: []string{"BasicContainer", "AnnotationCollection"}, Label: "claimmark annotations", Total: total, Modified: modified}
	if total > 0 {
		c.Last = pageIRI(pages - 1)
		if pref.minimal {
			c.First = pageIRI(0)
		} else {
			c.First = pg
		}
	}
	min := ""
	if pref.minimal {
		min = "-m"
	}
	w.Header().Set("ETag", tag+min+`"`)
	w.Header().Set("Content-Location", self)
	w.Header().Set("Preference-Applied", "return=representation")
	return writeJSONLD(w, http.StatusOK, c)
}

// containerItems returns the annotations [start, start+size) of the
// container, in id order, as IRIs or descriptions, how many there are in
// all and when the latest of them was modified. It walks the whole store, which is fine for the sizes claimmark
// serves (a page of 100 000 annotations takes one bbolt scan).
func (s *Server) containerItems(ctx context.Context, r *http.Request, start, size int, iris bool) ([]any, int, time.Time, error) {
	items := []any{}
	var anns []*annotation.Annotation
	total := 0
	var modified time.Time
	_, err := s.view(s.principal(r)).Walk(ctx, func(a *annotation.Annotation) error {
		if total >= start && total < start+size {
			anns = append(anns, a)
		}
		if a.Modified.After(modified) {
			modified = a.Modified
		}
		total++
		return nil
	})
	if err != nil {
		return nil, 0, modified, err
	}
	if iris {
		for _, a := range anns {
			items = append(items, s.protocolIRI(r, a.ID))
		}
		return items, total, modified, nil
	}
	arts := map[string]*annotation.Article{}
	sums, err := s.store.Articles(ctx)
	if err != nil {
		return nil, 0, modified, err
	}
	for _, su := range sums {
		arts[su.ID] = &annotation.Article{ID: su.ID, URL: su.URL, TextHash: su.TextHash}
	}
	for _, a := range anns {
		wa := s.protocolW3C(r, a, arts[a.ArticleID])
		wa.Context = nil
		items = append(items, wa)
	}
	return items, total, modified, nil
}

// protocolPath reports whether p is served by the Protocol handlers.
func protocolPath(p string) bool { return strings.HasPrefix(p, protocolContainer) }
