package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// repoRoot is the directory holding web/, relative to this package.
var repoRoot = filepath.Join("..", "..")

// binPath is the claimmark binary built once by TestMain for the tests
// that run it as a separate process; binErr says why it is missing.
var (
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "claimmark-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "claimmark")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	if out, err := exec.Command(goTool, "build", "-o", binPath, ".").CombinedOutput(); err != nil {
		binErr = fmt.Errorf("go build: %v\n%s", err, out)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// mustBinary returns the path of the built claimmark binary.
func mustBinary(tb testing.TB) string {
	tb.Helper()
	if binErr != nil {
		tb.Fatal(binErr)
	}
	return binPath
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// MustRunMain runs an in-process `claimmark serve` on 127.0.0.1:0 with the
// data directory dir, closed at test end.
func MustRunMain(tb testing.TB, dir string) (*Main, *syncBuffer) {
	tb.Helper()
	var errs syncBuffer
	m := &Main{Addr: "127.0.0.1:0", DataDir: dir, Root: repoRoot, Stderr: &errs}
	if err := m.Run(context.Background()); err != nil {
		tb.Fatalf("Main.Run: %v\nlog:\n%s", err, errs.String())
	}
	tb.Cleanup(func() {
		if err := m.Close(); err != nil {
			tb.Errorf("Main.Close: %v", err)
		}
	})
	signInOwner(tb, m.URL, errs.String())
	return m, &errs
}

// sessions holds, by server URL, the session cookie that do sends.
var sessions sync.Map

// ownerLink is the console line of a server whose owner has no password.
var ownerLink = regexp.MustCompile(`Sign in as owner: \S+/signin/(\S+)`)

// signInOwner follows the last sign-in link the server at url printed on
// stderr, keeps the session cookie for do, and makes an API token that
// the CLI commands the test runs send ($CLAIMMARK_TOKEN).
func signInOwner(tb testing.TB, url, stderr string) {
	tb.Helper()
	links := ownerLink.FindAllStringSubmatch(stderr, -1)
	if len(links) == 0 {
		tb.Fatalf("the server printed no sign-in link:\n%s", stderr)
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.Get(url + "/signin/" + links[len(links)-1][1])
	if err != nil {
		tb.Fatal(err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == "claimmark_session" {
			sessions.Store(url, c.Value)
		}
	}
	var tok struct {
		Secret string `json:"secret"`
	}
	if code := do(tb, "POST", url+"/api/tokens", map[string]string{"name": "tests"}, &tok); code != http.StatusCreated {
		tb.Fatalf("signing in with the console link: POST /api/tokens = %d", code)
	}
	tb.Setenv("CLAIMMARK_TOKEN", tok.Secret)
}

// process is a claimmark binary running `serve`.
type process struct {
	cmd    *exec.Cmd
	URL    string
	stderr *syncBuffer
	exited chan struct{}
}

var listening = regexp.MustCompile(`claimmark listening on (http://\S+)`)

// startServer starts the binary serving dataDir on a free port and returns
// once it prints its address. The process is killed at test end.
func startServer(tb testing.TB, dataDir string) *process {
	tb.Helper()
	cmd := exec.Command(mustBinary(tb), "serve", "-addr", "127.0.0.1:0", "-data", dataDir, "-root", repoRoot)
	cmd.Env = append(os.Environ(), "CLAIMMARK_LOG=warn")
	pipe, err := cmd.StderrPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	p := &process{cmd: cmd, stderr: &syncBuffer{}, exited: make(chan struct{})}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(p.stderr, line)
			if m := listening.FindStringSubmatch(line); m != nil {
				urls <- m[1]
			}
		}
		cmd.Wait()
		close(p.exited)
	}()
	tb.Cleanup(func() {
		cmd.Process.Kill()
		<-p.exited
	})
	select {
	case p.URL = <-urls:
		signInOwner(tb, p.URL, p.stderr.String())
		return p
	case <-p.exited:
		tb.Fatalf("claimmark serve exited before listening:\n%s", p.stderr.String())
	case <-time.After(2 * time.Minute): // a guard against a hang, not a timing assertion
		tb.Fatalf("claimmark serve did not start listening:\n%s", p.stderr.String())
	}
	return nil
}

// kill9 kills the process with SIGKILL and waits until it is gone.
func (p *process) kill9(tb testing.TB) {
	tb.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		tb.Fatal(err)
	}
	<-p.exited
}

// runCLI runs the binary with args; stdout is a pipe, as when piped.
func runCLI(tb testing.TB, args ...string) (stdout, stderr string, code int) {
	tb.Helper()
	cmd := exec.Command(mustBinary(tb), args...)
	cmd.Env = append(os.Environ(), "CLAIMMARK_LOG=warn")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	} else if err != nil {
		tb.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// do sends a request with an optional JSON body and decodes a JSON answer
// into out (when not nil). It returns the status.
func do(tb testing.TB, method, url string, body, out any) int {
	tb.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	sessions.Range(func(k, v any) bool {
		if strings.HasPrefix(url, k.(string)+"/") {
			req.AddCookie(&http.Cookie{Name: "claimmark_session", Value: v.(string)})
		}
		return true
	})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			tb.Fatalf("%s %s: decoding %q: %v", method, url, data, err)
		}
	}
	return res.StatusCode
}

// list is the JSON shape of list responses.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// contains reports whether s contains every one of subs.
func contains(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
