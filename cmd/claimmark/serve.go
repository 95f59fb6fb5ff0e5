package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	claimapp "claimmark/app"
	"claimmark/index"
	"claimmark/internal/accounts"
	"claimmark/internal/annotation"
	"claimmark/internal/fetch"
	"claimmark/internal/server"
	"claimmark/internal/store"
)

// Main is `claimmark serve`, split from main so that tests can run the
// whole server in-process, on port 0 and a temporary data directory.
//
// Use it as ParseFlags (or set the fields), Run, then Close. Run returns
// once the server accepts connections; Close stops it. A Main is not
// reusable after Close.
type Main struct {
	// Addr is the TCP address to listen on; port 0 picks a free port.
	// Default: $CLAIMMARK_ADDR, else 127.0.0.1:8080.
	Addr string
	// DataDir holds claimmark.db (the store) and index.bleve (the search
	// index). It is created when missing. Default: $CLAIMMARK_DATA, else ./data.
	DataDir string
	// Store, when set, is the postgres:// URL of a PostgreSQL database to
	// use as the store instead of DataDir's claimmark.db (DataDir then
	// holds only the index). Default: $CLAIMMARK_STORE.
	Store string
	// Root is the directory holding web/ (app.wasm, icons, styles).
	// Default: ".".
	Root string
	// BaseURL is the public base URL used in exported annotation IRIs.
	// Default: $CLAIMMARK_BASE, else http://HOST:PORT of the listener.
	BaseURL string
	// Stderr receives the "claimmark listening on …" line and the logs.
	// Default: os.Stderr.
	Stderr io.Writer
	// Logger defaults to a text logger on Stderr.
	Logger *slog.Logger
	// LockTimeout is how long Run waits for a data directory held by
	// another process before it fails. Default: one second.
	LockTimeout time.Duration
	// AllowPrivateFetch lets POST /api/articles {"url"} fetch pages from
	// loopback and private network addresses (off by default, so the server
	// cannot be used to reach the operator's internal network).
	AllowPrivateFetch bool
	// RatingsFile is a JSON file holding the rating scale of claims
	// ({"labels":[{"label":"False","value":1},…]}). Default: ratings.json
	// in DataDir when it exists, else annotation.DefaultRatingScale.
	RatingsFile string
	// Hosts are the host names the server answers besides the loopback
	// names (DNS rebinding); empty on a non-loopback address means any.
	// Default: $CLAIMMARK_HOST, split at commas.
	Hosts []string
	// Secure marks the session cookie Secure: set it when a TLS proxy is
	// in front (the server itself speaks plain HTTP).
	Secure bool
	// TrustProxy counts sign-in attempts by the X-Forwarded-For address the
	// proxy in front appends, instead of the proxy's own address.
	TrustProxy bool
	// CPUProfile, when set, is a file the `serve` command writes a Go CPU
	// profile of the whole run to (pprof format), closed at shutdown.
	// Default: $CLAIMMARK_CPUPROFILE.
	CPUProfile string

	// URL is http://HOST:PORT of the listener, set by Run.
	URL string

	db      backend
	ix      *index.Index
	http    *http.Server
	serveCh chan error // Serve's result
}

// NewMain returns a Main with the defaults described on its fields.
func NewMain() *Main {
	return &Main{
		Addr:    envOr("CLAIMMARK_ADDR", "127.0.0.1:8080"),
		DataDir: defaultDataDir(),
		Store:   os.Getenv("CLAIMMARK_STORE"),
		Root:    ".",
		BaseURL: os.Getenv("CLAIMMARK_BASE"),
		Hosts:   splitHosts(os.Getenv("CLAIMMARK_HOST")),
		Stderr:  os.Stderr,

		CPUProfile: os.Getenv("CLAIMMARK_CPUPROFILE"),
	}
}

// splitHosts splits a comma-separated list of host names.
func splitHosts(s string) []string {
	var out []string
	for h := range strings.SplitSeq(s, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// hostsFlag is the -host flag: host names, comma-separated or repeated.
type hostsFlag struct{ hosts *[]string }

func (f hostsFlag) String() string {
	if f.hosts == nil {
		return ""
	}
	return strings.Join(*f.hosts, ",")
}

func (f hostsFlag) Set(v string) error {
	*f.hosts = append(*f.hosts, splitHosts(v)...)
	return nil
}

// ParseFlags sets m's fields from the `serve` command line args. It
// returns a *usageError for bad flags or stray arguments, and
// flag.ErrHelp for -h.
func (m *Main) ParseFlags(args []string) error {
	c := &cli{stderr: m.stderr()}
	fs := c.newFlagSet("serve", "[-addr 127.0.0.1:8080] [-data ./data] [-root .] [-base URL] [-host NAMES] [-secure] [-trust-proxy]")
	fs.StringVar(&m.Addr, "addr", m.Addr, "`address` to listen on (host:port; port 0 picks one); env CLAIMMARK_ADDR")
	fs.StringVar(&m.DataDir, "data", m.DataDir, "data `directory` (created when missing); env CLAIMMARK_DATA")
	fs.StringVar(&m.Store, "store", m.Store, "PostgreSQL `URL` (postgres://…) of a store shared by several servers; the data directory then holds only the index; env CLAIMMARK_STORE")
	fs.StringVar(&m.Root, "root", m.Root, "`directory` holding web/ (app.wasm, icons, styles)")
	fs.StringVar(&m.BaseURL, "base", m.BaseURL, "public base `URL` for annotation IRIs (default http://ADDR); env CLAIMMARK_BASE")
	fs.StringVar(&m.RatingsFile, "ratings", m.RatingsFile, "JSON `file` with the rating labels of claims (default DATA/ratings.json when present, else False … True and Unverifiable)")
	fs.BoolVar(&m.AllowPrivateFetch, "allow-private-fetch", m.AllowPrivateFetch, "let adding an article by URL fetch from loopback and private network addresses")
	fs.Var(hostsFlag{&m.Hosts}, "host", "host `names` to answer, comma-separated (DNS rebinding); env CLAIMMARK_HOST")
	fs.BoolVar(&m.Secure, "secure", m.Secure, "mark the session cookie Secure: a TLS proxy is in front (see the README, On a network)")
	fs.BoolVar(&m.TrustProxy, "trust-proxy", m.TrustProxy, "rate-limit sign-ins by the X-Forwarded-For address the proxy in front appends")
	fs.StringVar(&m.CPUProfile, "cpuprofile", m.CPUProfile, "write a CPU profile of the whole run to `file` (go tool pprof); env CLAIMMARK_CPUPROFILE")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("serve takes no arguments, got %q", strings.Join(pos, " "))
	}
	return nil
}

func (m *Main) stderr() io.Writer {
	if m.Stderr == nil {
		return os.Stderr
	}
	return m.Stderr
}

// Run opens the store and the search index in DataDir (rebuilding or
// catching the index up as needed, with progress in the log), adds the
// sample article to a new data directory, starts serving HTTP on Addr and
// prints "claimmark listening on http://HOST:PORT" to Stderr. It returns
// once the server accepts connections. A data directory in use by another
// process is an error within about LockTimeout, naming the directory; on
// any error, what was opened is closed again.
func (m *Main) Run(ctx context.Context) (err error) {
	if m.Logger == nil {
		m.Logger = newLogger(m.stderr(), slog.LevelInfo)
	}
	log := m.Logger
	defer func() {
		if err != nil {
			err = errors.Join(err, m.Close())
		}
	}()

	ratings, err := loadRatings(m.RatingsFile, m.DataDir)
	if err != nil {
		return err
	}
	m.db, m.ix, err = m.openBackend(ctx, log)
	if err != nil {
		return err
	}
	st := index.Indexing(m.db, m.ix)
	if err := seed(ctx, st, m.DataDir, log); err != nil {
		return fmt.Errorf("seeding %s: %w", m.DataDir, err)
	}

	ln, err := net.Listen("tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", m.Addr, err)
	}
	m.URL = "http://" + ln.Addr().String()
	base := m.BaseURL
	if base == "" {
		base = m.URL
	}
	base = strings.TrimRight(base, "/")

	users, err := m.openAccounts(ctx, m.db, base)
	if err == nil && users != nil {
		// Adopt wrote to the store behind the index's back: the index
		// must know the new groups and creators before the first search
		err = m.ix.Sync(ctx)
	}
	if err != nil {
		ln.Close()
		return err
	}
	if !loopbackAddr(ln.Addr()) && !m.Secure {
		log.Warn("claimmark is listening on " + ln.Addr().String() + " without TLS: passwords and session cookies cross the network in clear. " +
			"Put it behind a reverse proxy with TLS and start it with -secure (README: On a network).")
	}

	claimapp.Register()
	// The bare store: index.Indexing hides its rejected suggestions. The
	// PostgreSQL store keeps none yet: readers then keep them per device.
	rejections, _ := m.db.(annotation.RejectionStore)
	pages := &readerPages{
		PWA: withSecurityHeaders(newPWA(pwaConfig{Root: m.Root, BaseURL: base, Logger: log}),
			contentSecurityPolicy(inlineScript(hadSWController))),
		Logger: log,
	}
	srv := server.New(server.Config{
		Store:    st,
		Searcher: m.ix,
		PWA:      pages,
		Logger:   log,
		BaseURL:  base,
		Fetcher:  fetch.New(fetch.Options{AllowPrivate: m.AllowPrivateFetch}),
		Versions: m.db, // index.Indexing hides the store's version methods
		Links:    m.db, // and its reverse link index
		Ratings:  ratings,

		Accounts:      users,
		Hosts:         m.Hosts,
		SecureCookies: m.Secure,
		TrustProxy:    m.TrustProxy,
		Rejections:    rejections,
	})
	pages.Readable = srv.ReadableArticle // the reader's page holds the article only for those who may read it
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	m.http = hs
	m.serveCh = make(chan error, 1)
	go func() { m.serveCh <- hs.Serve(ln) }()

	log.Info("serving", "url", m.URL, "data", m.DataDir, "root", m.Root, "base", base)
	fmt.Fprintf(m.stderr(), "claimmark listening on %s\n", m.URL)
	return nil
}

// openAccounts returns the accounts of st, the store, after accounts.Bootstrap
// (the owner and the Team group on a new directory; a sign-in link,
// printed on Stderr, while the owner has no password). A store that keeps
// no accounts runs the server without them, saying so in the log.
func (m *Main) openAccounts(ctx context.Context, st any, base string) (annotation.AccountStore, error) {
	users, ok := st.(annotation.AccountStore)
	if !ok {
		m.Logger.Warn("this store keeps no accounts: the server runs without sign-in, open to anyone who can reach it")
		return nil, nil
	}
	b, err := accounts.Bootstrap(ctx, users, time.Now())
	if err != nil {
		return nil, fmt.Errorf("preparing accounts: %w", err)
	}
	if b.Created {
		m.Logger.Info("accounts created", "owner", accounts.OwnerUsername, "group", accounts.TeamName,
			"articles", b.Articles, "annotations", b.Annotations)
	}
	if b.SignIn != "" {
		fmt.Fprintf(m.stderr(), "Sign in as owner: %s/signin/%s\n", base, b.SignIn)
	}
	return users, nil
}

// loopbackAddr reports whether a listener's address is a loopback one.
func loopbackAddr(a net.Addr) bool {
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Wait blocks until ctx is done or the HTTP server stops on its own; in
// the second case it returns the server's error.
func (m *Main) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-m.serveCh:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("HTTP server stopped: %w", err)
	}
}

// Close shuts down in dependency order: it stops accepting requests and
// waits up to ten seconds for those in flight, then closes the index (so
// no write is waiting on it) and last the store. It returns every error
// met on the way and is safe to call more than once.
func (m *Main) Close() error {
	var errs []error
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := m.http.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("stopping HTTP: %w", err))
			m.http.Close()
		}
		cancel()
		m.http = nil
	}
	if m.ix != nil {
		if err := m.ix.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the index: %w", err))
		}
		m.ix = nil
	}
	if m.db != nil {
		if err := m.db.Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing the store: %w", err))
		}
		m.db = nil
	}
	return errors.Join(errs...)
}

// serve is the `serve` command: Run, wait for SIGINT or SIGTERM (ctx) or a
// server failure, then Close.
func (c *cli) serve(ctx context.Context, args []string) (err error) {
	m := NewMain()
	m.Stderr, m.Logger = c.stderr, c.log
	if err := m.ParseFlags(args); err != nil {
		return err
	}
	defer tuneGC(serveGCPercent, 0)()
	if m.CPUProfile != "" {
		stop, err := startCPUProfile(m.CPUProfile)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, stop()) }()
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	err = m.Wait(ctx)
	c.log.Info("shutting down")
	return errors.Join(err, m.Close())
}

// openData opens the store and the search index of the data directory
// dir, creating it when missing. The index is checked against the store
// and rebuilt or caught up when needed, with progress in the log. A
// directory held by another process is an error that says so.
func openData(ctx context.Context, dir string, lockTimeout time.Duration, log *slog.Logger) (*store.DB, *index.Index, error) {
	db, err := openStore(dir, lockTimeout)
	if err != nil {
		return nil, nil, err
	}
	ix, err := index.Open(filepath.Join(dir, "index.bleve"), db, index.Options{Logger: log})
	if err != nil {
		db.Close()
		if errors.Is(err, index.ErrLocked) {
			return nil, nil, inUse(dir, index.ErrLocked)
		}
		return nil, nil, fmt.Errorf("opening the search index in %s: %w", dir, err)
	}
	return db, ix, nil
}

// openStore opens the store of the data directory dir, creating dir when
// missing.
func openStore(dir string, lockTimeout time.Duration) (*store.DB, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the data directory: %w", err)
	}
	db, err := store.Open(filepath.Join(dir, "claimmark.db"), store.Options{Timeout: lockTimeout})
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			return nil, inUse(dir, store.ErrLocked)
		}
		return nil, fmt.Errorf("opening the store in %s: %w", dir, err)
	}
	return db, nil
}

// inUse returns the error for a data directory held by another process;
// it wraps sentinel (store.ErrLocked or index.ErrLocked).
func inUse(dir string, sentinel error) error {
	return fmt.Errorf("the data directory %s is in use by another claimmark process (is `claimmark serve` running?); stop it first, or use another -data directory (%w)", dir, sentinel)
}

// loadRatings reads the rating scale from file, or from ratings.json in
// dataDir when file is "" (a missing file there means the default
// scale). A file that is not a valid scale is an error naming it.
func loadRatings(file, dataDir string) (annotation.RatingScale, error) {
	var scale annotation.RatingScale
	path := file
	if path == "" {
		path = filepath.Join(dataDir, "ratings.json")
	}
	data, err := os.ReadFile(path)
	if file == "" && errors.Is(err, os.ErrNotExist) {
		return scale, nil
	}
	if err != nil {
		return scale, fmt.Errorf("reading the rating scale: %w", err)
	}
	if err := json.Unmarshal(data, &scale); err != nil {
		return scale, fmt.Errorf("the rating scale %s is not JSON of the form {\"labels\":[{\"label\":\"False\",\"value\":1}]}: %w", path, err)
	}
	if err := scale.Validate(); err != nil {
		return scale, fmt.Errorf("the rating scale %s: %s", path, annotation.ErrorMessage(err))
	}
	return scale, nil
}
