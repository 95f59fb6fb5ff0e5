# claimmark: `make run` builds and serves on http://127.0.0.1:8080; `make test` runs every check.
GO        ?= go
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec
ADDR      ?= 127.0.0.1:8080
DATA      ?= ./data
BENCH_N   ?= 100000
BENCHTIME ?= 1s
# Further corpus sizes of claimbench's growth table (BENCH_N is always in it):
# 10k and 300k, as issue 13 asks; BENCH_SIZES=10000 saves about two minutes.
BENCH_SIZES ?= 10000,300000
# VERSION pins go-app's Handler.Version (e.g. for a deploy that serves web/ from
# elsewhere). Empty: the server computes it at start from the files under web/.
VERSION   ?=

.PHONY: all build wasm server run test fmt vet check-deps test-wasm bench clean FORCE
all: test build

build: wasm server ## bin/claimmark and web/app.wasm (+ .br and .gz copies)

wasm: web/app.wasm web/app.wasm.br web/app.wasm.gz ## the PWA client, served as /web/app.wasm

# Rebuilt every time but replaced only when it changed, so the slow brotli -q 11
# step runs only for a new client. The server derives go-app's Version from
# these files at start: same files, same version; a new build reaches users.
web/app.wasm: FORCE
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags "-s -w" -o web/app.wasm.tmp ./cmd/claimmark-web
	@if cmp -s web/app.wasm.tmp web/app.wasm; then rm web/app.wasm.tmp; else mv web/app.wasm.tmp web/app.wasm; fi

web/app.wasm.br: web/app.wasm ## needs the brotli command (Debian package brotli)
	brotli -f -q 11 -o $@ $<

web/app.wasm.gz: web/app.wasm
	gzip -9 -n -c $< > $@.tmp && mv $@.tmp $@

server: ## bin/claimmark; -X main.version pins go-app's Version (else computed from web/ at start)
	$(GO) build -trimpath -ldflags "-X main.version=$(VERSION)" -o bin/claimmark ./cmd/claimmark

run: build
	./bin/claimmark serve -addr $(ADDR) -data $(DATA) -root .

# The browser tests load web/app.wasm, so test builds it first. They run
# after the other packages, alone, so that the index's heavy tests do not
# share the two cores with a browser waiting on a page.
test: wasm check-deps fmt vet
	$(GO) test -race -count=1 -timeout 20m $$($(GO) list ./... | grep -v '/internal/e2e$$')
	@if command -v node >/dev/null; then $(MAKE) --no-print-directory test-wasm; \
	else echo "test-wasm: SKIPPED, Node.js is not installed (Debian package nodejs): the shared packages and the client's Fetch sender were not tested under js/wasm"; fi
	$(GO) test -race -count=1 -timeout 20m ./internal/e2e/

fmt:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt: these files need formatting:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

check-deps: ## the wasm client must not link server-only code
	@deps=$$(GOOS=js GOARCH=wasm $(GO) list -deps ./cmd/claimmark-web) || exit 1; \
	bad=$$(printf '%s\n' "$$deps" | grep -E 'bbolt|bleve|jackc/pgx|x/crypto/argon2|^claimmark/(index|internal/(store|pgstore|accounts|server|fetch|synth|exchange))(/|$$)' || true); \
	if [ -n "$$bad" ]; then echo "check-deps: cmd/claimmark-web links server-only packages:"; echo "$$bad"; exit 1; fi; \
	echo "check-deps: ok, cmd/claimmark-web links no bbolt, bleve, pgx, argon2, index, internal/store, internal/pgstore, internal/accounts, internal/server, internal/fetch, internal/synth or internal/exchange"

test-wasm: ## packages shared with the browser must also pass under js/wasm, and the client's Fetch sender against a Node.js server (needs node)
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASM_EXEC)" ./internal/annotation ./internal/client ./internal/ingest ./internal/attrib
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASM_EXEC)" -run '^TestFetch' ./app

# Every package's benchmarks (one package at a time, so they do not share the
# two cores), then the end-to-end run (real server over loopback,
# BENCH_N synthetic annotations, plus the BENCH_SIZES growth points), printed
# as one table. About 15 minutes on 2 cores.
bench: build
	@mkdir -p bin
	CLAIMMARK_BENCH_N=$(BENCH_N) $(GO) test -p 1 -run '^$$' -bench . -benchtime $(BENCHTIME) -timeout 30m ./... | tee bin/bench-go.txt
	$(GO) run ./cmd/claimbench -bin bin/claimmark -root . -n $(BENCH_N) -sizes $(BENCH_SIZES) -gobench bin/bench-go.txt

clean:
	rm -rf bin web/app.wasm web/app.wasm.tmp web/app.wasm.br web/app.wasm.gz web/app.wasm.gz.tmp

FORCE:
