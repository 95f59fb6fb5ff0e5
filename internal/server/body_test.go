package server_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
)

// heapAllocs returns the bytes this process has allocated on the heap so
// far (a cumulative count, so its growth over a stretch bounds how far
// the heap can have grown during it).
func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// slowRequest opens a connection to srv, sends the head of a request with
// the given Content-Length and the first bytes of its body, and leaves the
// rest unsent.
func slowRequest(tb testing.TB, srv *httptest.Server, method, path string, announce int, first string) net.Conn {
	tb.Helper()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	_, err = fmt.Fprintf(c, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		method, path, srv.Listener.Addr(), announce, first)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// answer reads the response to the request sent on c.
func answer(c net.Conn) (*http.Response, error) {
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err == nil {
		res.Body.Close()
	}
	return res, err
}

// TestSlowHugeBodies checks that connections announcing huge bodies and
// sending almost nothing cost memory for what they send, not for what
// they announce, and are answered 408 once the body timeout passes.
//
// Bound: the connections of each case may allocate at most 16 MiB between
// them. Before bodies were read as they arrived, the server allocated what
// was announced: 2.5 GiB for 40 imports announcing 64 MiB, 400 MiB for
// 100 annotation PUTs announcing 4 MiB.
func TestSlowHugeBodies(t *testing.T) {
	tests := []struct {
		method, path string
		announce     int
		conns        int
	}{
		{"POST", "/api/import", annotation.MaxImportBytes, 40},
		{"PUT", "/api/annotations/slow", annotation.MaxBodyBytes, 100},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			e := newEnv(t)
			cfg := e.cfg
			cfg.BodyTimeout = 300 * time.Millisecond
			srv := httptest.NewServer(server.New(cfg))
			defer srv.Close()

			before := heapAllocs()
			cs := make([]net.Conn, tt.conns)
			for i := range cs {
				cs[i] = slowRequest(t, srv, tt.method, tt.path, tt.announce, "{")
			}
			for i, c := range cs {
				res, err := answer(c)
				if err != nil {
					t.Fatalf("connection %d: %v", i, err)
				}
				if res.StatusCode != http.StatusRequestTimeout {
					t.Errorf("connection %d: status %d, want 408", i, res.StatusCode)
				}
			}
			grew := heapAllocs() - before
			t.Logf("%d connections announcing %d MiB each allocated %.1f MiB", tt.conns, tt.announce>>20, float64(grew)/(1<<20))
			const bound = 16 << 20
			if grew > bound {
				t.Errorf("the server allocated %d MiB for %d slow connections, want at most %d MiB", grew>>20, tt.conns, bound>>20)
			}
		})
	}
}

// TestLargeBodiesLimited checks that only Config.LargeBodies bodies past
// 64 KiB are read at once: the others are answered 503 with Retry-After
// at once, instead of holding memory while they trickle in.
func TestLargeBodiesLimited(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.LargeBodies = 2
	srv := httptest.NewServer(server.New(cfg))
	defer srv.Close()

	const conns = 5
	type result struct {
		status     int
		retryAfter string
		err        error
	}
	results := make(chan result, conns)
	var cs []net.Conn
	chunk := `{"title":"` + strings.Repeat("x", 100<<10)
	for range conns {
		c := slowRequest(t, srv, "POST", "/api/articles", annotation.MaxBodyBytes, chunk)
		cs = append(cs, c)
		go func() {
			res, err := answer(c)
			if err != nil {
				results <- result{err: err}
				return
			}
			results <- result{status: res.StatusCode, retryAfter: res.Header.Get("Retry-After")}
		}()
	}
	for range conns - cfg.LargeBodies {
		r := <-results
		if r.err != nil || r.status != http.StatusServiceUnavailable || r.retryAfter == "" {
			t.Errorf("answer = %d (Retry-After %q, err %v), want 503 with Retry-After", r.status, r.retryAfter, r.err)
		}
	}
	select {
	case r := <-results:
		t.Errorf("a request holding a large-body slot was answered %d (err %v) while still sending", r.status, r.err)
	default:
	}
	for _, c := range cs {
		c.Close() // before srv.Close, which waits for them
	}
}
