package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"claimmark/internal/annotation"
)

// Defaults for the zero fields of Options.
const (
	DefaultTimeout      = 15 * time.Second
	DefaultMaxBytes     = 5 << 20
	DefaultMaxRedirects = 5
	DefaultUserAgent    = "claimmark/1.0 (article annotation; +https://github.com/claimmark)"
)

// Options configures a Fetcher. The zero value is ready to use and refuses
// private addresses.
type Options struct {
	// Timeout bounds a whole Fetch: connecting, redirects, and reading
	// the page. Zero means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes is the largest page read, in bytes after decompression.
	// Zero means DefaultMaxBytes.
	MaxBytes int64
	// MaxRedirects is how many redirects one Fetch follows. Zero means
	// DefaultMaxRedirects; a negative value follows none.
	MaxRedirects int
	// AllowPrivate lets the Fetcher connect to loopback, private,
	// link-local and other non-public addresses. Leave it off on a server
	// that others use: it would let them reach the server's own network.
	AllowPrivate bool
	// UserAgent is sent with every request; empty means DefaultUserAgent.
	UserAgent string

	// permit, when set, replaces the check of addresses to connect to
	// when AllowPrivate is off (tests use it to treat one loopback
	// address as public).
	permit func(addr string) error
}

// Fetcher fetches articles from the web. It is safe for concurrent use.
type Fetcher struct {
	opt    Options
	client *http.Client
}

// New returns a Fetcher with the given options.
func New(opt Options) *Fetcher {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if opt.MaxRedirects == 0 {
		opt.MaxRedirects = DefaultMaxRedirects
	}
	if opt.UserAgent == "" {
		opt.UserAgent = DefaultUserAgent
	}
	f := &Fetcher{opt: opt}
	dialer := &net.Dialer{Timeout: opt.Timeout, KeepAlive: 30 * time.Second}
	if !opt.AllowPrivate {
		check := checkPublic
		if opt.permit != nil {
			check = opt.permit
		}
		dialer.ControlContext = func(_ context.Context, network, address string, _ syscall.RawConn) error {
			return check(address)
		}
	}
	f.client = &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil, // a proxy would connect for us, past the address check
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   opt.Timeout,
			MaxIdleConns:          16,
			IdleConnTimeout:       30 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		Timeout:       opt.Timeout,
		CheckRedirect: f.checkRedirect,
	}
	return f
}

// errTooManyRedirects and errRedirectScheme are returned by checkRedirect
// and recognised in the client's error.
var (
	errTooManyRedirects = errors.New("too many redirects")
	errRedirectScheme   = errors.New("redirect to a scheme other than http or https")
)

// checkRedirect allows a redirect while fewer than MaxRedirects have been
// followed and the new address is http or https. The address it leads to
// is checked when the connection is made.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.opt.MaxRedirects {
		return errTooManyRedirects
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return errRedirectScheme
	}
	req.URL.User = nil
	return nil
}

// Fetch downloads the page at rawURL and returns the article in it: Title,
// URL (the page's canonical address when it gives an absolute one, else
// the address after redirects, in canonical form), Source (the byline,
// else the site's name), Published (when the page says), Text (normalised
// paragraphs) and TextHash. The result passes Article.Validate; ID and
// the time stamps are left for the store.
//
// Errors are *annotation.Error values whose message names the problem: an
// address that is not http or https, or leads to a private address
// (Invalid); a page that is not HTML or text, answers with an error
// status, redirects too often, or holds no article text (Invalid, or
// Unavailable for 5xx answers); a page larger than MaxBytes (TooLarge); a
// host that cannot be reached or a fetch that takes longer than Timeout
// (Unavailable). If ctx ends first, its error is returned.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (*annotation.Article, error) {
	u, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	body, final, ctype, err := f.get(ctx, u)
	if err != nil {
		return nil, err
	}
	text, err := decode(body, ctype)
	if err != nil {
		return nil, err
	}
	var a *annotation.Article
	if mt, _, _ := mime.ParseMediaType(ctype); mt == "text/plain" {
		a = fromText(text, final)
	} else {
		a = fromHTML(text, final)
	}
	return finish(a, final)
}

// parseURL checks that raw is an absolute http or https address and
// returns it without its fragment and user information.
func parseURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if _, err := annotation.CanonicalURL(raw); err != nil {
		return nil, err
	}
	if len(raw) > annotation.MaxURLChars {
		return nil, annotation.Errorf(annotation.TooLarge, "The URL is %d characters long; the limit is %d.", len(raw), annotation.MaxURLChars)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, annotation.Errorf(annotation.Invalid, "%q is not a web address; give a full URL such as https://example.com/news/story.", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// get requests u and returns the page's bytes, the address it came from
// after redirects, and its Content-Type (sniffed when the server sent
// none).
func (f *Fetcher) get(ctx context.Context, u *url.URL) (body []byte, final *url.URL, ctype string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, "", annotation.Errorf(annotation.Invalid, "%q is not a web address that can be fetched.", u.Redacted())
	}
	req.Header.Set("User-Agent", f.opt.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, nil, "", f.explain(ctx, u, err)
	}
	defer resp.Body.Close()
	final = resp.Request.URL
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		code := annotation.Invalid
		advice := "check the address"
		if resp.StatusCode >= 500 {
			code, advice = annotation.Unavailable, "try again later"
		}
		return nil, nil, "", annotation.Errorf(code, "The site answered “%s” for %s; %s.", resp.Status, final.Redacted(), advice)
	}
	ctype = resp.Header.Get("Content-Type")
	if ctype != "" {
		if err := checkType(ctype, final); err != nil {
			return nil, nil, "", err
		}
	}
	if resp.ContentLength > f.opt.MaxBytes {
		return nil, nil, "", f.tooLarge(final)
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, f.opt.MaxBytes+1))
	if err != nil {
		return nil, nil, "", f.explain(ctx, final, err)
	}
	if int64(len(body)) > f.opt.MaxBytes {
		return nil, nil, "", f.tooLarge(final)
	}
	if ctype == "" {
		ctype = http.DetectContentType(body)
		if err := checkType(ctype, final); err != nil {
			return nil, nil, "", err
		}
	}
	return body, final, ctype, nil
}

// checkType returns an Invalid error unless ctype is HTML or plain text.
func checkType(ctype string, u *url.URL) error {
	mt, _, err := mime.ParseMediaType(ctype)
	switch {
	case err != nil:
		return annotation.Errorf(annotation.Invalid, "The page at %s has an unreadable content type (%q); claimmark reads HTML pages and plain text.", u.Redacted(), ctype)
	case mt == "text/html", mt == "application/xhtml+xml", mt == "text/plain":
		return nil
	}
	return annotation.Errorf(annotation.Invalid, "The address %s gives %s, not a web page; claimmark reads HTML pages and plain text.", u.Redacted(), mt)
}

// tooLarge returns the error for a page past MaxBytes.
func (f *Fetcher) tooLarge(u *url.URL) error {
	return annotation.Errorf(annotation.TooLarge, "The page at %s is larger than %s; claimmark reads pages up to that size. Copy the article's text and paste it instead.",
		u.Redacted(), sizeText(f.opt.MaxBytes))
}

// explain turns an error from the HTTP client into an *annotation.Error
// naming what went wrong, or returns ctx's error when ctx has ended.
func (f *Fetcher) explain(ctx context.Context, u *url.URL, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var blocked *blockedError
	var dnsErr *net.DNSError
	var nerr net.Error
	switch {
	case errors.As(err, &blocked):
		return annotation.Errorf(annotation.Invalid,
			"The address %s leads to %s, a loopback, private or otherwise local network address; this server does not fetch pages from such addresses.",
			u.Redacted(), blocked.addr)
	case errors.Is(err, errTooManyRedirects):
		return annotation.Errorf(annotation.Invalid, "The page at %s redirects more than %d times; open it in a browser and give the address it ends at.",
			u.Redacted(), f.opt.MaxRedirects)
	case errors.Is(err, errRedirectScheme):
		return annotation.Errorf(annotation.Invalid, "The page at %s redirects to an address that is not http or https; claimmark fetches only web pages.", u.Redacted())
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return annotation.Errorf(annotation.Invalid, "The host %q was not found; check the address.", dnsErr.Name)
	case errors.As(err, &nerr) && nerr.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w (%w)", annotation.Errorf(annotation.Unavailable,
			"The page at %s did not load within %s; try again later, or paste the article's text.", u.Redacted(), f.opt.Timeout), err)
	}
	return fmt.Errorf("%w (%w)", annotation.Errorf(annotation.Unavailable,
		"The page at %s could not be fetched; check the address, or try again later.", u.Redacted()), err)
}

// sizeText returns n bytes in words, as in "5 MB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d kB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
