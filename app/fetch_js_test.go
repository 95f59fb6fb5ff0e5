//go:build js && wasm

package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"syscall/js"
	"testing"
	"time"
)

// nodeServer starts an HTTP server in Node.js (the runtime of `make
// test-wasm`, go_js_wasm_exec) whose requests handle answers, and returns
// its base URL. handle runs on Node's event loop and must not block.
func nodeServer(t *testing.T, handle func(req, res js.Value)) string {
	t.Helper()
	require := js.Global().Get("require")
	if require.IsUndefined() {
		t.Skip("needs Node.js's require (run with go_js_wasm_exec, as make test-wasm does)")
	}
	if js.Global().Get("fetch").IsUndefined() {
		t.Skip("this Node.js has no fetch (Node.js 18 or later has it)")
	}
	h := js.FuncOf(func(_ js.Value, args []js.Value) any {
		handle(args[0], args[1])
		return nil
	})
	srv := require.Invoke("http").Call("createServer", h)
	ready := make(chan int, 1)
	listening := js.FuncOf(func(js.Value, []js.Value) any {
		ready <- srv.Call("address").Get("port").Int()
		return nil
	})
	srv.Call("listen", 0, "127.0.0.1", listening)
	port := <-ready
	t.Cleanup(func() {
		srv.Call("closeAllConnections")
		srv.Call("close")
		h.Release()
		listening.Release()
	})
	return fmt.Sprintf("http://127.0.0.1:%d/", port)
}

// readResult is what one Read returned.
type readResult struct {
	n   int
	err error
}

// TestFetchBodyAbortsWhenContextEnds checks that ending a request's
// context aborts a body that stalls after its headers: a read waiting on
// it returns context.Canceled instead of waiting for the server forever.
func TestFetchBodyAbortsWhenContextEnds(t *testing.T) {
	base := nodeServer(t, func(_, res js.Value) {
		res.Call("writeHead", 200, map[string]any{"Content-Type": "text/plain"})
		res.Call("write", "first") // and never more, never the end
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"stall", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := fetchSend(r)
	if err != nil {
		t.Fatalf("fetchSend: %v", err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first" {
		t.Fatalf("first chunk: %q, %v", buf, err)
	}
	got := make(chan readResult, 1)
	go func() {
		n, err := resp.Body.Read(buf)
		got <- readResult{n, err}
	}()
	cancel()
	select {
	case res := <-got:
		if !errors.Is(res.err, context.Canceled) {
			t.Errorf("read after cancel = %d, %v; want context.Canceled", res.n, res.err)
		}
	case <-time.After(30 * time.Second): // a deadlock guard, not a timing assertion
		t.Fatal("the read still waits on the stalled body 30 s after its context was cancelled")
	}
}

// TestFetchBodyReadsToTheEnd checks that a body read to its end with a
// live context is whole, and that ending the context afterwards changes
// nothing (the abort watcher is gone).
func TestFetchBodyReadsToTheEnd(t *testing.T) {
	const text = "a claim, a denial, a proposal — é 🎉"
	base := nodeServer(t, func(_, res js.Value) {
		res.Call("writeHead", 200, map[string]any{"Content-Type": "text/plain; charset=utf-8"})
		res.Call("write", text[:10])
		res.Call("end", text[10:])
	})
	ctx, cancel := context.WithCancel(context.Background())
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"whole", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := fetchSend(r)
	if err != nil {
		t.Fatalf("fetchSend: %v", err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil || string(b) != text {
		t.Fatalf("body = %q, %v; want %q", b, err, text)
	}
	cancel()
	if n, err := resp.Body.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Errorf("read after the end and a cancel = %d, %v; want 0, EOF", n, err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// TestFetchBodyClosedThenCancelled checks that a body read after its own
// Close says it is closed, even once its context has ended too.
func TestFetchBodyClosedThenCancelled(t *testing.T) {
	base := nodeServer(t, func(_, res js.Value) {
		res.Call("writeHead", 200, map[string]any{"Content-Type": "text/plain"})
		res.Call("write", "first") // and never the end
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"closed", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := fetchSend(r)
	if err != nil {
		t.Fatalf("fetchSend: %v", err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	cancel()
	if _, err := resp.Body.Read(make([]byte, 1)); !errors.Is(err, errBodyClosed) {
		t.Errorf("read after Close and a cancel: %v, want %v", err, errBodyClosed)
	}
}
