package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// decodeRounds is how many times each round of BenchmarkDecodeWasm
// decodes the list each way (the medians are over every round).
const decodeRounds = 7

// decodeBenchPage loads testdata/decodebench's wasm.
const decodeBenchPage = `<!doctype html><meta charset="utf-8"><title>decode bench</title>
<script src="/wasm_exec.js"></script>
<script>
const go = new Go();
WebAssembly.instantiateStreaming(fetch("/decode.wasm"), go.importObject).then(r => go.run(r.instance));
</script>`

// BenchmarkDecodeWasm measures, in headless Chromium (WebAssembly), how
// long decoding the annotation list of BenchmarkReader's article (1,000
// annotations, the JSON the server sends) takes: with encoding/json, as the
// client did; with annotation.DecodeList, as internal/client does now
// (goal ≤ 30 ms); and with the browser's JSON.parse and the values walked
// through syscall/js. The three ways alternate, decodeRounds times; the
// wasm checks that they decode the same annotations. Besides the medians
// it reports DecodeList's first run on each page (b.N pages; the page's
// first decode, its code not yet optimised by the browser, as in the
// client, which decodes one list per page), and encoding/json's first.
// On a page of its own it also decodes the article (the text the reader
// shows first) with annotation.DecodeArticle and with encoding/json.
func BenchmarkDecodeWasm(b *testing.B) {
	needServer(b)
	id := benchArticle(b)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	list, err := env.api.Annotations(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	// The server's body, as its encoder writes it: the same JSON from the
	// same types.
	body, err := json.Marshal(map[string]any{"items": list, "total": len(list)})
	if err != nil {
		b.Fatal(err)
	}
	art, err := env.api.Article(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	artBody, err := json.Marshal(art)
	if err != nil {
		b.Fatal(err)
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	wasm := filepath.Join(dir, "decode.wasm")
	if err := goCmd(repo, []string{"GOOS=js", "GOARCH=wasm"}, "build", "-o", wasm, "./internal/e2e/testdata/decodebench"); err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(decodeBenchPage))
	})
	mux.HandleFunc("GET /wasm_exec.js", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
	})
	mux.HandleFunc("GET /decode.wasm", func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, wasm) })
	mux.HandleFunc("GET /list.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	mux.HandleFunc("GET /article.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(artBody)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	type result struct {
		Error                       string
		N, Bytes                    int
		EncodingJSON, Wire, JSParse []float64
	}
	var all result
	var firsts []float64 // each page's first DecodeList, its first decode
	// The article, decoded on a page of its own after the list's:
	// DecodeArticle's first run there is the page's first decode;
	// encoding/json's follows it.
	type artResult struct {
		Error              string
		Chars              int
		Wire, EncodingJSON []float64
	}
	var arts artResult
	var artFirsts, artJSONFirsts []float64
	for b.Loop() {
		p := newPage(b)
		p.do("opening the decode bench", chromedp.Navigate(srv.URL+"/"))
		p.waitFor("the wasm", `typeof claimmarkDecodeBench === "function"`)
		rctx, cancel := context.WithTimeout(p.ctx, 5*time.Minute)
		res, err := chromedp.Run(rctx, chromedp.Evaluate[result](fmt.Sprintf(`fetch("/list.json").then(r => r.arrayBuffer()).then(buf => {
			const r = claimmarkDecodeBench(new Uint8Array(buf), %d);
			return {Error: r.error || "", N: r.n || 0, Bytes: r.bytes || 0, EncodingJSON: r.encodingJSON, Wire: r.wire, JSParse: r.jsParse};
		})`, decodeRounds), chromedp.EvalAwaitPromise))
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		if res.Error != "" {
			b.Fatal(res.Error)
		}
		if res.N != len(list) {
			b.Fatalf("the wasm decoded %d annotations, want %d", res.N, len(list))
		}
		all.N, all.Bytes = res.N, res.Bytes
		all.EncodingJSON = append(all.EncodingJSON, res.EncodingJSON...)
		all.Wire = append(all.Wire, res.Wire...)
		firsts = append(firsts, res.Wire[0])
		ap := newPage(b)
		ap.do("opening the decode bench for the article", chromedp.Navigate(srv.URL+"/"))
		ap.waitFor("the wasm", `typeof claimmarkDecodeArticleBench === "function"`)
		actx, acancel := context.WithTimeout(ap.ctx, 5*time.Minute)
		ar, err := chromedp.Run(actx, chromedp.Evaluate[artResult](fmt.Sprintf(`fetch("/article.json").then(r => r.arrayBuffer()).then(buf => {
			const r = claimmarkDecodeArticleBench(new Uint8Array(buf), %d);
			return {Error: r.error || "", Chars: r.chars || 0, Wire: r.wire, EncodingJSON: r.encodingJSON};
		})`, decodeRounds), chromedp.EvalAwaitPromise))
		acancel()
		if err != nil {
			b.Fatal(err)
		}
		if ar.Error != "" {
			b.Fatal(ar.Error)
		}
		arts.Chars = ar.Chars
		arts.Wire = append(arts.Wire, ar.Wire...)
		arts.EncodingJSON = append(arts.EncodingJSON, ar.EncodingJSON...)
		artFirsts = append(artFirsts, ar.Wire[0])
		artJSONFirsts = append(artJSONFirsts, ar.EncodingJSON[0])
		all.JSParse = append(all.JSParse, res.JSParse...)
	}
	b.ReportMetric(median(all.Wire), "decodelist-ms")
	b.ReportMetric(median(firsts), "decodelist-first-ms")
	b.ReportMetric(median(artFirsts), "decodearticle-first-ms")
	b.ReportMetric(median(artJSONFirsts), "article-json-first-ms")
	b.ReportMetric(all.EncodingJSON[0], "encoding-json-first-ms")
	b.ReportMetric(median(all.EncodingJSON), "encoding-json-ms")
	b.ReportMetric(median(all.JSParse), "jsparse-walk-ms")
	b.Logf("rounds, ms: DecodeList %.1f; encoding/json %.1f; JSON.parse %.1f", all.Wire, all.EncodingJSON, all.JSParse)
	b.Logf("DecodeList's first run on each of %d pages (the page's first decode), ms: %.1f; median %.1f (goal ≤ 30); load average %s",
		len(firsts), firsts, median(firsts), loadAverage())
	b.Logf("decoding a list of %d annotations (%d KB) in wasm, median of %d: annotation.DecodeList %.1f ms (goal ≤ 30), encoding/json %.1f ms (%.1f×), JSON.parse and a syscall/js walk %.1f ms (%.1f×); first run of each: %.1f, %.1f, %.1f ms",
		all.N, all.Bytes/1024, len(all.Wire), median(all.Wire), median(all.EncodingJSON), median(all.EncodingJSON)/median(all.Wire),
		median(all.JSParse), median(all.JSParse)/median(all.Wire), all.Wire[0], all.EncodingJSON[0], all.JSParse[0])
	b.Logf("decoding an article of %d characters in wasm: annotation.DecodeArticle first run on each page %.1f ms (median %.1f), encoding/json after it %.1f ms (median %.1f); medians of %d: %.2f and %.2f ms",
		arts.Chars, artFirsts, median(artFirsts), artJSONFirsts, median(artJSONFirsts), len(arts.Wire), median(arts.Wire), median(arts.EncodingJSON))
	_ = os.Remove(wasm)
}
