package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/exchange"
	"claimmark/internal/server"
)

const (
	annoProfile   = `application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"`
	preferIRIs    = `return=representation; include="http://www.w3.org/ns/oa#PreferContainedIRIs"`
	preferDescs   = `return=representation; include="http://www.w3.org/ns/oa#PreferContainedDescriptions"`
	preferMinimal = `return=representation; include="http://www.w3.org/ns/ldp#PreferMinimalContainer"`
)

// protocolEnv returns an env whose container pages hold two annotations,
// with five annotations stored.
func protocolEnv(t *testing.T) (*env, []*annotation.Annotation) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.ProtocolPageSize = 2
	e.h = server.New(cfg)
	var anns []*annotation.Annotation
	for _, q := range []string{"Trump claimed", "Putin signaled", "dismissed the idea outright", "categorically rejects", "Ukraine even proposed"} {
		anns = append(anns, e.put(t, e.newAnnotation(t, annotation.Claim, q)))
	}
	slices.SortFunc(anns, func(a, b *annotation.Annotation) int { return strings.Compare(a.ID, b.ID) })
	return e, anns
}

// hasLink reports whether a Link header value holds target with rel.
func hasLink(h http.Header, target, rel string) bool {
	for _, v := range h.Values("Link") {
		for part := range strings.SplitSeq(v, ",") {
			if strings.Contains(part, "<"+target+">") && strings.Contains(part, `rel="`+rel+`"`) {
				return true
			}
		}
	}
	return false
}

// jsonBody decodes rec's body.
func jsonBody(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, rec.Body)
	}
	return m
}

// TestWebAnnotationProtocol walks the MUSTs (and the SHOULDs we follow) of
// the W3C Web Annotation Protocol, sections 4 (annotation retrieval) and
// 5 (containers, their representations, paging, and creating, updating
// and deleting annotations), one subtest each.
func TestWebAnnotationProtocol(t *testing.T) {
	e, anns := protocolEnv(t)
	iri := "https://claimmark.example.org/annotations/" + anns[0].ID
	get := func(path string, header map[string]string) *httptest.ResponseRecorder {
		return e.do(t, req{method: "GET", path: path, header: header})
	}

	t.Run("4.1 GET of an annotation answers JSON-LD with the anno profile", func(t *testing.T) {
		rec := get("/annotations/"+anns[0].ID, nil)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != annoProfile {
			t.Fatalf("status %d, Content-Type %q; want 200 and %s", rec.Code, rec.Header().Get("Content-Type"), annoProfile)
		}
		m := jsonBody(t, rec)
		if m["id"] != iri || m["type"] != "Annotation" || !strings.Contains(rec.Body.String(), exchange.AnnoContext) {
			t.Errorf("representation id %v type %v; want %s, Annotation and the anno context", m["id"], m["type"], iri)
		}
	})
	t.Run("4.1 HEAD and OPTIONS of an annotation are supported", func(t *testing.T) {
		head := e.do(t, req{method: "HEAD", path: "/annotations/" + anns[0].ID})
		opts := e.do(t, req{method: "OPTIONS", path: "/annotations/" + anns[0].ID})
		if head.Code != http.StatusOK || head.Header().Get("ETag") == "" || opts.Code != http.StatusNoContent || opts.Header().Get("Allow") == "" {
			t.Errorf("HEAD %d (ETag %q), OPTIONS %d (Allow %q)", head.Code, head.Header().Get("ETag"), opts.Code, opts.Header().Get("Allow"))
		}
	})
	t.Run("4.1 an annotation carries Link type ldp:Resource", func(t *testing.T) {
		if h := get("/annotations/"+anns[0].ID, nil).Header(); !hasLink(h, "http://www.w3.org/ns/ldp#Resource", "type") {
			t.Errorf("Link = %q", h.Values("Link"))
		}
	})
	t.Run("4.1 GET and HEAD of an annotation carry an ETag", func(t *testing.T) {
		if got := get("/annotations/"+anns[0].ID, nil).Header().Get("ETag"); got != anns[0].ETag() {
			t.Errorf("ETag = %q, want %q", got, anns[0].ETag())
		}
	})
	t.Run("4.1 every answer about an annotation carries Allow", func(t *testing.T) {
		for _, rec := range []*httptest.ResponseRecorder{get("/annotations/"+anns[0].ID, nil), get("/annotations/missing", nil),
			e.do(t, req{method: "PATCH", path: "/annotations/" + anns[0].ID})} {
			if a := rec.Header().Get("Allow"); !strings.Contains(a, "GET") || !strings.Contains(a, "DELETE") {
				t.Errorf("status %d: Allow = %q", rec.Code, a)
			}
		}
	})
	t.Run("4.1 Vary: Accept is sent", func(t *testing.T) {
		if v := get("/annotations/"+anns[0].ID, nil).Header().Get("Vary"); !strings.Contains(v, "Accept") {
			t.Errorf("Vary = %q", v)
		}
	})

	container := func(prefer string) *httptest.ResponseRecorder {
		h := map[string]string{"Accept": annoProfile}
		if prefer != "" {
			h["Prefer"] = prefer
		}
		return get("/annotations/", h)
	}
	t.Run("5.1 the container answers GET, HEAD and OPTIONS", func(t *testing.T) {
		g, h := container(""), e.do(t, req{method: "HEAD", path: "/annotations/"})
		o := e.do(t, req{method: "OPTIONS", path: "/annotations/"})
		if g.Code != 200 || h.Code != 200 || o.Code != 204 || g.Header().Get("Content-Type") != annoProfile {
			t.Errorf("GET %d (%s), HEAD %d, OPTIONS %d", g.Code, g.Header().Get("Content-Type"), h.Code, o.Code)
		}
	})
	t.Run("5.1 the container carries Link type ldp:BasicContainer and constrainedBy the Protocol", func(t *testing.T) {
		h := container("").Header()
		if !hasLink(h, "http://www.w3.org/ns/ldp#BasicContainer", "type") ||
			!hasLink(h, "http://www.w3.org/TR/annotation-protocol/", "http://www.w3.org/ns/ldp#constrainedBy") {
			t.Errorf("Link = %q", h.Values("Link"))
		}
	})
	t.Run("5.1 the container carries ETag, Allow, Accept-Post and Vary", func(t *testing.T) {
		h := container("").Header()
		if h.Get("ETag") == "" || h.Get("Allow") != "GET, HEAD, POST, OPTIONS" || h.Get("Accept-Post") != annoProfile || !strings.Contains(h.Get("Vary"), "Accept") {
			t.Errorf("ETag %q, Allow %q, Accept-Post %q, Vary %q", h.Get("ETag"), h.Get("Allow"), h.Get("Accept-Post"), h.Get("Vary"))
		}
	})
	t.Run("5.1 the container's ETag changes with its content", func(t *testing.T) {
		before := container("").Header().Get("ETag")
		a := e.newAnnotation(t, annotation.Denial, "dismissed the idea outright")
		e.put(t, a)
		after := container("").Header().Get("ETag")
		e.do(t, req{method: "DELETE", path: "/api/annotations/" + a.ID})
		if before == after || after == container("").Header().Get("ETag") {
			t.Errorf("ETag before %q, after a write %q, after a delete %q", before, after, container("").Header().Get("ETag"))
		}
	})
	t.Run("5.2 the container is a BasicContainer and AnnotationCollection with total, first and last", func(t *testing.T) {
		m := jsonBody(t, container(""))
		ctx, _ := m["@context"].([]any)
		types, _ := m["type"].([]any)
		if len(ctx) != 2 || ctx[0] != exchange.AnnoContext || ctx[1] != "http://www.w3.org/ns/ldp.jsonld" ||
			!slices.Contains(types, any("BasicContainer")) || !slices.Contains(types, any("AnnotationCollection")) ||
			m["total"] != 5.0 || m["first"] == nil || m["last"] == nil || m["modified"] == nil {
			t.Errorf("container = %v", m)
		}
	})
	t.Run("5.2 PreferContainedDescriptions (the default) embeds full annotations", func(t *testing.T) {
		for _, p := range []string{"", preferDescs} {
			first, _ := jsonBody(t, container(p))["first"].(map[string]any)
			items, _ := first["items"].([]any)
			if len(items) != 2 {
				t.Fatalf("Prefer %q: first page %v", p, first)
			}
			if d, ok := items[0].(map[string]any); !ok || d["id"] != iri || d["target"] == nil {
				t.Errorf("Prefer %q: first item %v, want the description of %s", p, items[0], iri)
			}
		}
	})
	t.Run("5.2 PreferContainedIRIs lists annotation IRIs", func(t *testing.T) {
		rec := container(preferIRIs)
		first, _ := jsonBody(t, rec)["first"].(map[string]any)
		items, _ := first["items"].([]any)
		if len(items) != 2 || items[0] != iri {
			t.Errorf("items = %v, want IRIs starting with %s", items, iri)
		}
		if rec.Header().Get("Preference-Applied") != "return=representation" {
			t.Errorf("Preference-Applied = %q", rec.Header().Get("Preference-Applied"))
		}
		if rec.Header().Get("ETag") == container(preferDescs).Header().Get("ETag") {
			t.Error("the IRIs and the descriptions share an ETag")
		}
	})
	t.Run("5.2 PreferMinimalContainer gives page IRIs, no annotations", func(t *testing.T) {
		m := jsonBody(t, container(preferMinimal))
		if _, ok := m["first"].(string); !ok || m["last"] == nil {
			t.Errorf("minimal container = %v", m)
		}
	})
	t.Run("5.2 asking for IRIs and descriptions together is refused", func(t *testing.T) {
		both := `return=representation; include="http://www.w3.org/ns/oa#PreferContainedIRIs http://www.w3.org/ns/oa#PreferContainedDescriptions"`
		wantError(t, container(both), http.StatusBadRequest, annotation.Invalid, "both")
	})
	t.Run("5.3 pages are AnnotationPages linked by next and prev, partOf the container", func(t *testing.T) {
		var seen []string
		next, _ := jsonBody(t, container(preferIRIs))["first"].(map[string]any)["id"].(string)
		for i := 0; next != ""; i++ {
			rec := get(strings.TrimPrefix(next, "https://claimmark.example.org"), nil)
			m := jsonBody(t, rec)
			part, _ := m["partOf"].(map[string]any)
			if m["type"] != "AnnotationPage" || m["startIndex"] != float64(2*i) || part["total"] != 5.0 || rec.Header().Get("ETag") == "" {
				t.Fatalf("page %d = %v", i, m)
			}
			if (i == 0) != (m["prev"] == nil) {
				t.Errorf("page %d: prev = %v", i, m["prev"])
			}
			for _, it := range m["items"].([]any) {
				seen = append(seen, it.(string))
			}
			next, _ = m["next"].(string)
		}
		var want []string
		for _, a := range anns {
			want = append(want, "https://claimmark.example.org/annotations/"+a.ID)
		}
		if !slices.Equal(seen, want) {
			t.Errorf("walking next gave %v, want %v", seen, want)
		}
		last, _ := jsonBody(t, container(preferIRIs))["last"].(string)
		if !strings.HasSuffix(last, "page=2") {
			t.Errorf("last = %q, want page 2", last)
		}
		wantError(t, get("/annotations/?page=3", nil), http.StatusNotFound, annotation.NotFound)
	})

	w3c := func(a *annotation.Annotation) []byte {
		wa := exchange.ToW3C(a, e.art, "https://claimmark.example.org")
		data, err := json.Marshal(wa)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	var created string
	t.Run("5.4 POST creates: 201, Location, ETag, the annotation with its new IRI", func(t *testing.T) {
		a := e.newAnnotation(t, annotation.Proposal, "Ukraine even proposed")
		rec := e.do(t, req{method: "POST", path: "/annotations/", body: w3c(a), ctype: annoProfile})
		if rec.Code != http.StatusCreated {
			t.Fatalf("POST: %d %s", rec.Code, rec.Body)
		}
		loc := rec.Header().Get("Location")
		m := jsonBody(t, rec)
		if !strings.HasPrefix(loc, "https://claimmark.example.org/annotations/") || m["id"] != loc || rec.Header().Get("ETag") != `"1"` {
			t.Errorf("Location %q, id %v, ETag %q", loc, m["id"], rec.Header().Get("ETag"))
		}
		if m["via"] != "https://claimmark.example.org/api/annotations/"+a.ID || loc == "https://claimmark.example.org/annotations/"+a.ID {
			t.Errorf("the server must assign the IRI and keep the client's in via: Location %q, via %v", loc, m["via"])
		}
		created = strings.TrimPrefix(loc, "https://claimmark.example.org")
		if g := get(created, nil); g.Code != http.StatusOK {
			t.Errorf("GET %s = %d", created, g.Code)
		}
	})
	t.Run("5.4 POST with a Slug uses it, and a retry does not make a copy", func(t *testing.T) {
		a := e.newAnnotation(t, annotation.Denial, "dismissed the idea outright")
		slug := annotation.NewID()
		for range 2 {
			rec := e.do(t, req{method: "POST", path: "/annotations/", body: w3c(a), ctype: "application/ld+json", header: map[string]string{"Slug": slug}})
			if rec.Code != http.StatusCreated || rec.Header().Get("Location") != "https://claimmark.example.org/annotations/"+slug {
				t.Fatalf("POST with Slug: %d, Location %q", rec.Code, rec.Header().Get("Location"))
			}
		}
	})
	t.Run("5.4 POST of something that is not JSON-LD is refused", func(t *testing.T) {
		wantError(t, e.do(t, req{method: "POST", path: "/annotations/", body: "<a/>", ctype: "text/xml"}), http.StatusUnsupportedMediaType, annotation.Unsupported)
		wantError(t, e.do(t, req{method: "POST", path: "/annotations/", body: `{"type":"Annotation"}`, ctype: "application/ld+json"}), http.StatusBadRequest, annotation.Invalid)
	})
	t.Run("5.5 PUT with If-Match replaces: 200, the new state and ETag", func(t *testing.T) {
		cur, _ := e.st.Annotation(t.Context(), anns[1].ID)
		cur.Note = "Changed through the Protocol."
		rec := e.do(t, req{method: "PUT", path: "/annotations/" + cur.ID, body: w3c(cur), ctype: annoProfile, header: map[string]string{"If-Match": cur.ETag()}})
		if rec.Code != http.StatusOK || rec.Header().Get("ETag") != `"2"` || !strings.Contains(rec.Body.String(), "Changed through the Protocol.") {
			t.Fatalf("PUT: %d, ETag %q: %s", rec.Code, rec.Header().Get("ETag"), rec.Body)
		}
	})
	t.Run("5.5 PUT with a stale If-Match is 412 and changes nothing", func(t *testing.T) {
		cur, _ := e.st.Annotation(t.Context(), anns[1].ID)
		before := snapshot(t, e.st)
		cur.Note = "Stale."
		wantError(t, e.do(t, req{method: "PUT", path: "/annotations/" + cur.ID, body: w3c(cur), ctype: annoProfile, header: map[string]string{"If-Match": `"1"`}}),
			http.StatusPreconditionFailed, annotation.PreconditionFailed)
		if snapshot(t, e.st) != before {
			t.Error("a stale PUT changed the store")
		}
	})
	t.Run("5.5 PUT without If-Match is 428", func(t *testing.T) {
		cur, _ := e.st.Annotation(t.Context(), anns[1].ID)
		wantError(t, e.do(t, req{method: "PUT", path: "/annotations/" + cur.ID, body: w3c(cur), ctype: annoProfile}), http.StatusPreconditionRequired, annotation.PreconditionFailed, "If-Match")
	})
	t.Run("5.5 PUT keeps the relations and the rating, which the W3C model does not carry", func(t *testing.T) {
		cur, _ := e.st.Annotation(t.Context(), anns[2].ID)
		cur.Relations = []annotation.Relation{{Type: annotation.Supports, Target: anns[3].ID}}
		cur.Rating = &annotation.Rating{Label: "True", Value: 5}
		cur = e.put(t, cur)
		rec := e.do(t, req{method: "PUT", path: "/annotations/" + cur.ID, body: w3c(cur), ctype: annoProfile, header: map[string]string{"If-Match": cur.ETag()}})
		got, _ := e.st.Annotation(t.Context(), cur.ID)
		if rec.Code != http.StatusOK || len(got.Relations) != 1 || got.Rating == nil {
			t.Errorf("PUT %d; stored relations %v, rating %v", rec.Code, got.Relations, got.Rating)
		}
	})
	t.Run("5.6 DELETE with a stale If-Match is 412; with the ETag it is 204, and the IRI is gone", func(t *testing.T) {
		wantError(t, e.do(t, req{method: "DELETE", path: created, header: map[string]string{"If-Match": `"7"`}}), http.StatusPreconditionFailed, annotation.PreconditionFailed)
		if rec := e.do(t, req{method: "DELETE", path: created, header: map[string]string{"If-Match": `"1"`}}); rec.Code != http.StatusNoContent {
			t.Fatalf("DELETE: %d %s", rec.Code, rec.Body)
		}
		wantError(t, get(created, nil), http.StatusNotFound, annotation.NotFound)
	})
	t.Run("other methods are 405 with Allow", func(t *testing.T) {
		for _, rq := range []req{{method: "PUT", path: "/annotations/"}, {method: "DELETE", path: "/annotations/"}, {method: "POST", path: "/annotations/" + anns[0].ID}} {
			rec := e.do(t, rq)
			if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") == "" {
				t.Errorf("%s %s: %d, Allow %q", rq.method, rq.path, rec.Code, rec.Header().Get("Allow"))
			}
		}
	})
	t.Run("the container is not the app", func(t *testing.T) {
		rec := get("/annotations/x/y", nil)
		if strings.Contains(rec.Body.String(), "<!doctype html>") || rec.Code != http.StatusNotFound {
			t.Errorf("/annotations/x/y: %d %s", rec.Code, rec.Body)
		}
	})
}

func TestProtocolEmptyContainer(t *testing.T) {
	e := newEnv(t)
	m := jsonBody(t, e.do(t, req{method: "GET", path: "/annotations/"}))
	if m["total"] != 0.0 || m["first"] != nil || m["last"] != nil {
		t.Errorf("empty container = %v; want total 0 and no pages", m)
	}
}
