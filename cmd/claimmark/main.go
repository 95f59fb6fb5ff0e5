// Command claimmark serves the claimmark annotator and operates on its data.
//
//	claimmark serve   [-addr 127.0.0.1:8080] [-data ./data] [-root .] [-base URL]
//	claimmark import  [-data ./data] FILE…        .txt/.md/.html articles; .json/.jsonld/.jsonl annotations
//	claimmark export  [-data ./data] [-format jsonld|jsonl|csv|claimreview|brat] [-o FILE] [-base URL]
//	claimmark reindex [-data ./data]
//	claimmark migrate -from ./data -to postgres://…  (or -from postgres://… -to ./new-data)
//	claimmark search  [-server URL] [-kind K] [-speaker S] [-json] QUERY…
//	claimmark suggest [-json] FILE|-
//	claimmark speakers [-server URL] [-json] [PREFIX] | speakers merge FROM INTO
//	claimmark user    add|passwd|list|token|link [-data ./data] …
//
// import, export, reindex and user open the data directory themselves and refuse
// to run while a server holds it; search asks a running server. Flags
// default to the environment variables CLAIMMARK_ADDR, CLAIMMARK_DATA,
// CLAIMMARK_BASE and CLAIMMARK_SERVER where those are set. The exit status
// is 0 on success, 1 on an error and 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `Usage:
  claimmark serve   [-addr 127.0.0.1:8080] [-data ./data] [-root .] [-base URL]
  claimmark import  [-data ./data] FILE...   (.txt .md .html: articles; .json .jsonld .jsonl: W3C or JSONL)
  claimmark export  [-data ./data] [-format jsonld|jsonl|csv|claimreview|brat] [-o FILE] [-base URL]
  claimmark reindex [-data ./data]
  claimmark migrate -from ./data -to postgres://user@host/db   (copy a data directory's store into PostgreSQL;
                    -from postgres://… -to ./new-data copies it back into a new data directory)
  claimmark search  [-server http://127.0.0.1:8080] [-kind claim|denial|proposal] [-speaker NAME] [-json] QUERY...
  claimmark suggest [-json] FILE|-          (suggested statements of a plain-text article; - reads stdin)
  claimmark speakers [-server URL] [-json] [PREFIX]   |   claimmark speakers merge [-server URL] FROM INTO
  claimmark user add USERNAME [-name "Display Name"] [-password-stdin]   |   user passwd USERNAME -password-stdin
  claimmark user list   |   user token USERNAME -name NAME   |   user link USERNAME [-base URL]   (all take -data)

Run "claimmark COMMAND -h" for the flags of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode reports err on stderr and returns the process exit status:
// 0 for nil or a help request, 2 for a usage error, 1 for anything else.
func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		if !ue.printed {
			fmt.Fprintf(stderr, "claimmark: %v\n\n%s", ue.err, usage)
		}
		return 2
	default:
		fmt.Fprintf(stderr, "claimmark: %v\n", err)
		return 1
	}
}

// usageError is a mistake in the command line. printed is true when the
// flag package has already shown the error and the command's flags.
type usageError struct {
	err     error
	printed bool
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a *usageError with a formatted message.
func usagef(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// cli holds what every command needs: its standard streams and a logger.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
}

// run dispatches args (without the program name) to a command.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("no command given")
	}
	cmd, rest := args[0], args[1:]
	// The server logs its work; the other commands print their own
	// progress and summary, and log only warnings and errors.
	level := slog.LevelWarn
	if cmd == "serve" {
		level = slog.LevelInfo
	}
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr, log: newLogger(stderr, level)}
	switch cmd {
	case "serve":
		return c.serve(ctx, rest)
	case "import":
		return c.importFiles(ctx, rest)
	case "export":
		return c.export(ctx, rest)
	case "reindex":
		return c.reindex(ctx, rest)
	case "migrate":
		return c.migrate(ctx, rest)
	case "search":
		return c.search(ctx, rest)
	case "suggest":
		return c.suggest(ctx, rest)
	case "speakers":
		return c.speakers(ctx, rest)
	case "user":
		return c.user(ctx, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usagef("unknown command %q", cmd)
}

// newLogger returns a text slog.Logger on w that shows records at level
// and above; CLAIMMARK_LOG (debug, info, warn or error) overrides level.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	if v := os.Getenv("CLAIMMARK_LOG"); v != "" {
		_ = level.UnmarshalText([]byte(v))
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// newFlagSet returns a FlagSet for command name that reports errors to the
// standard error of c and prints the given synopsis before the flags.
func (c *cli) newFlagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("claimmark "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "Usage: claimmark %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args with fs, allowing flags after positional arguments
// ("search nato -kind denial"), and returns the positional arguments.
// Everything after "--" is positional.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos, tail []string
	for i, a := range args {
		if a == "--" {
			args, tail = args[:i], args[i+1:]
			break
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err: err, printed: true}
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(pos, tail...), nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// envOr returns the environment variable key, or def when it is unset or empty.
func envOr(key, def string) string {
	if v := strings.TrimSpace(os.Getenv(key)); v != "" {
		return v
	}
	return def
}

// defaultDataDir is the -data default: $CLAIMMARK_DATA, else ./data.
func defaultDataDir() string { return envOr("CLAIMMARK_DATA", "./data") }

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
