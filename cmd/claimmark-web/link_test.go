package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinksNoHTTPTransport checks that the WebAssembly client does not
// link net/http's Transport, whose fallback dials TCP and brings in net,
// crypto/tls, crypto/x509 and HTTP/2: about 0.75 MB of app.wasm on the
// wire. The client sends its requests with the Fetch API (app.fetchSend
// through client.NewSend); a use of http.Client, http.DefaultTransport or
// any RoundTripper called through the interface links it again. It reads
// the linker's reachability graph (-ldflags=-dumpdep).
func TestLinksNoHTTPTransport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the wasm client")
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-dumpdep", "-o", filepath.Join(t.TempDir(), "app.wasm"), ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("building the wasm client: %v\n%s", err, stderr.Bytes())
	}
	unwanted := []string{
		"net/http.(*Transport).roundTrip",
		"net/http.(*Client).do",
		"crypto/tls.(*Conn).clientHandshake",
		"net.(*Dialer).DialContext",
	}
	reached := map[string]string{} // symbol → a symbol that reaches it
	sc := bufio.NewScanner(&stderr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		from, to, ok := strings.Cut(sc.Text(), " -> ")
		if !ok {
			continue
		}
		to = strings.TrimSuffix(to, " <UsedInIface>")
		if _, seen := reached[to]; !seen {
			reached[to] = from
		}
	}
	if len(reached) < 1000 {
		t.Fatalf("the linker printed %d reachable symbols: -dumpdep's output is not what this test reads", len(reached))
	}
	for _, sym := range unwanted {
		if from, ok := reached[sym]; ok {
			t.Errorf("the wasm client links %s (reached from %s)", sym, from)
		}
	}
}
