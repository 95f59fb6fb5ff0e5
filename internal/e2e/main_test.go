package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"claimmark/internal/client"
)

// env is what TestMain sets up for every test: one server and one browser.
var env struct {
	skip    string          // why browser tests skip; empty when they run
	base    string          // the server's URL, http://127.0.0.1:PORT
	api     *client.Client  // a client of the server
	browser context.Context // a chromedp context holding the running browser
	srvLog  *syncBuffer     // the server's stderr
	bin     string          // the server binary, for tests that run their own
	root    string          // the -root directory the server serves web/ from
}

func TestMain(m *testing.M) { os.Exit(run(m)) }

// run sets up, runs the tests and tears down; it returns the exit code.
func run(m *testing.M) int {
	flag.Parse()
	chrome := findChromium()
	switch {
	case chrome == "" && os.Getenv("CI") == "true":
		fmt.Fprintln(os.Stderr, "e2e: CI=true but Chromium was not found: install the chromium package or set CHROMIUM")
		return 1
	case chrome == "":
		env.skip = "Chromium not found (install chromium or set CHROMIUM); browser tests skipped"
		return m.Run()
	case testing.Short():
		env.skip = "browser tests skipped in -short mode"
		return m.Run()
	}

	tmp, err := os.MkdirTemp("", "claimmark-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	stop, err := setup(tmp, chrome)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: setup failed:", err)
		if env.srvLog != nil {
			fmt.Fprintln(os.Stderr, "server output:\n"+env.srvLog.String())
		}
		stop()
		return 1
	}
	code := m.Run()
	if code != 0 && env.srvLog != nil {
		fmt.Fprintln(os.Stderr, "server output (last 4 KB):\n"+tail(env.srvLog.String(), 4096))
	}
	stop()
	return code
}

// setup builds the client and the server, starts the server and the
// browser. stop undoes what was done, also after an error.
func setup(tmp, chrome string) (stop func(), err error) {
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		return stop, err
	}
	webRoot, err := buildWeb(repo, filepath.Join(tmp, "root"))
	if err != nil {
		return stop, err
	}
	bin := os.Getenv("CLAIMMARK_BIN")
	if bin == "" {
		bin = filepath.Join(tmp, "claimmark")
		if err := goCmd(repo, nil, "build", "-o", bin, "./cmd/claimmark"); err != nil {
			return stop, err
		}
	}
	env.bin, env.root = bin, webRoot
	srv, base, err := startServer(bin, filepath.Join(tmp, "data"), webRoot)
	if err != nil {
		return stop, err
	}
	stops = append(stops, func() { stopProcess(srv) })
	env.base = base
	env.api = client.New(base, nil)
	if s, err := signInOwner(base, env.srvLog.String()); err != nil {
		return stop, err
	} else if s != nil {
		env.api = s.api
	}

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(tmp, "chromium")),
		chromedp.WindowSize(1280, 900),
	)...)
	stops = append(stops, cancelAlloc)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	stops = append(stops, cancelBrowser)
	if err := chromedp.Do(browser, chromedp.Navigate("about:blank")); err != nil {
		return stop, fmt.Errorf("starting %s: %w", chrome, err)
	}
	env.browser = browser
	return stop, nil
}

// findChromium returns the path of a Chromium or Chrome binary, or "".
func findChromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// buildWeb makes dir/web: the repository's web/ files (linked) with a
// freshly built app.wasm and no compressed copies, which could be stale.
// It returns dir, to be given to the server as -root.
func buildWeb(repo, dir string) (string, error) {
	web := filepath.Join(dir, "web")
	if err := os.MkdirAll(web, 0o755); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(filepath.Join(repo, "web"))
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "app.wasm") {
			continue
		}
		if err := os.Symlink(filepath.Join(repo, "web", e.Name()), filepath.Join(web, e.Name())); err != nil {
			return "", err
		}
	}
	wasm := filepath.Join(web, "app.wasm")
	if err := goCmd(repo, []string{"GOOS=js", "GOARCH=wasm"}, "build", "-o", wasm, "./cmd/claimmark-web"); err != nil {
		return "", err
	}
	return dir, nil
}

// goCmd runs the go command in dir with extra environment variables.
func goCmd(dir string, extraEnv []string, args ...string) error {
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), extraEnv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// serverProc is a running server process; done yields its exit.
type serverProc struct {
	cmd  *exec.Cmd
	done chan error
}

// startServer runs `bin serve` on a free loopback port and returns once it
// prints its "claimmark listening on" line, with the URL from that line.
func startServer(bin, data, root string) (*serverProc, string, error) {
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-data", data, "-root", root)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, "", err
	}
	env.srvLog = &syncBuffer{}
	cmd.Stdout = env.srvLog
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	found := make(chan string, 1)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			env.srvLog.Write([]byte(line + "\n"))
			if u, ok := strings.CutPrefix(line, "claimmark listening on "); ok {
				select {
				case found <- strings.TrimSpace(u):
				default:
				}
			}
		}
	}()
	p := &serverProc{cmd: cmd, done: make(chan error, 1)}
	go func() {
		<-scanned // Wait closes the pipe: read it all first
		p.done <- cmd.Wait()
	}()
	select {
	case u := <-found:
		return p, u, nil
	case err := <-p.done:
		return nil, "", fmt.Errorf("the server exited before listening: %v", err)
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		return nil, "", errors.New("the server did not print its listening line within 90 s")
	}
}

// stopProcess interrupts the server and waits for it to exit, killing it
// after ten seconds.
func stopProcess(p *serverProc) {
	if p == nil {
		return
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writes and reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
