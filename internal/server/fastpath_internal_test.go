package server

import (
	"context"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestLoopbackListenerAgrees checks that loopbackListener's reading of a
// TCP address gives what parsing the address's text gives, for loopback
// and other addresses of both families, with a zone, and without an IP.
func TestLoopbackListenerAgrees(t *testing.T) {
	addrs := []net.Addr{
		&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8080},
		&net.TCPAddr{IP: net.IPv4(127, 1, 2, 3), Port: 1},
		&net.TCPAddr{IP: net.ParseIP("::1"), Port: 8080},
		&net.TCPAddr{IP: net.ParseIP("::ffff:127.0.0.1"), Port: 8080},
		&net.TCPAddr{IP: net.ParseIP("::1"), Port: 8080, Zone: "lo"},
		&net.TCPAddr{IP: net.ParseIP("fe80::1"), Port: 8080, Zone: "eth0"},
		&net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 443},
		&net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 443},
		&net.TCPAddr{IP: net.IPv4zero, Port: 80},
		&net.TCPAddr{Port: 80},
		&net.UnixAddr{Name: "/tmp/claimmark.sock", Net: "unix"},
	}
	for _, addr := range addrs {
		want := false
		if host, _, err := net.SplitHostPort(addr.String()); err == nil {
			ip := net.ParseIP(host)
			want = ip != nil && ip.IsLoopback()
		}
		r := httptest.NewRequest("GET", "/api/health", nil)
		r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, addr))
		if got := loopbackListener(r); got != want {
			t.Errorf("loopbackListener on %s (%T) = %v, want %v", addr, addr, got, want)
		}
	}
}

// TestCheckContentTypeAgrees checks that checkContentType, which takes
// the exact first accepted type without parsing it, accepts and refuses
// what parsing every Content-Type would.
func TestCheckContentTypeAgrees(t *testing.T) {
	accepted := []string{mediaJSON, "application/ld+json"}
	for _, ct := range []string{
		"application/json", "application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF8",
		"application/json; charset=latin1", "application/ld+json", "application/json ", " application/json",
		"application/jsonx", "text/plain", "", "application/json; charset", "application/json;", "application/json; x=\"",
	} {
		mt, params, err := mime.ParseMediaType(ct)
		want := err == nil && slices.Contains(accepted, mt)
		if cs, ok := params["charset"]; want && ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
			want = false
		}
		err = checkContentType(ct, accepted)
		if got := err == nil; got != want {
			t.Errorf("checkContentType(%q) = %v, want accepted %v", ct, err, want)
		}
		if err != nil && annotation.ErrorCode(err) != annotation.Unsupported {
			t.Errorf("checkContentType(%q) = %v, want Unsupported", ct, err)
		}
	}
}

// TestSharedHeaderValuesStay checks that the header values every answer
// shares are full (so Header.Add copies them) and stay as they are after
// answers whose headers a handler added to.
func TestSharedHeaderValuesStay(t *testing.T) {
	shared := map[string][]string{
		"nosniff": valueNosniff, "no-cache": valueNoCache, "no-store": valueNoStore, "application/json": valueJSON,
		allowAnnotation: valueAllowAnn, linkResource: valueLinkRes, "Accept": valueAccept,
	}
	for want, v := range shared {
		if len(v) != 1 || cap(v) != 1 || v[0] != want {
			t.Errorf("shared value %q: %q (cap %d), want one full element", want, v, cap(v))
		}
	}
	for range 2 {
		rec := httptest.NewRecorder()
		annotationHeaders(rec)
		setShared(rec.Header(), "Content-Type", valueJSON)
		rec.Header().Add("Vary", "Origin")
		rec.Header().Add("Content-Type", "text/plain")
		if got := rec.Header().Values("Vary"); !slices.Equal(got, []string{"Accept", "Origin"}) {
			t.Errorf("Vary after Add = %q", got)
		}
	}
	if !slices.Equal(valueAccept, []string{"Accept"}) || !slices.Equal(valueJSON, []string{"application/json"}) {
		t.Errorf("shared values changed by Header.Add: Vary %q, Content-Type %q", valueAccept, valueJSON)
	}
}

// TestReadBodySizes checks that readBody returns the body whatever its
// Content-Length says: exact, absent (chunked), or smaller than the body
// (net/http then reads no more than announced), for bodies below and
// past presized and largeBody.
func TestReadBodySizes(t *testing.T) {
	s := &Server{largeBodies: make(chan struct{}, 1)}
	for _, n := range []int{0, 1, 700, presized - 1, presized, presized + 1, largeBody + 10} {
		body := strings.Repeat("x", n)
		for _, announced := range []int64{int64(n), -1, int64(n / 2)} {
			r := httptest.NewRequest("PUT", "/api/annotations/a", strings.NewReader(body))
			r.Header.Set("Content-Type", mediaJSON)
			r.ContentLength = announced
			want := body
			if announced >= 0 {
				want = body[:announced]
				r.Body = http.NoBody
				if announced > 0 {
					r.Body = io.NopCloser(strings.NewReader(want)) // what net/http hands a handler
				}
			}
			got, err := s.readBody(httptest.NewRecorder(), r, 1<<20, mediaJSON)
			if err != nil || string(got) != want {
				t.Errorf("%d bytes announced as %d: %d bytes, %v; want %d", n, announced, len(got), err, len(want))
			}
		}
	}
}
