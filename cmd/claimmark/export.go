package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"claimmark/internal/annotation"
	"claimmark/internal/exchange"
)

// export is the `export` command: it writes every article's annotations in
// W3C JSON-LD (default), JSONL or CSV to standard output, or atomically to
// the -o file (a failed export leaves no partial file behind). With
// -server it exports what a running server lets the -token's user read.
func (c *cli) export(ctx context.Context, args []string) (err error) {
	fs := c.newFlagSet("export", "[-data ./data | -server URL [-token T]] [-format jsonld|jsonl|csv|claimreview|brat] [-o FILE] [-base URL]")
	dataDir := fs.String("data", defaultDataDir(), "data `directory`; env CLAIMMARK_DATA")
	rem := remoteFlags(fs)
	format := fs.String("format", annotation.FormatJSONLD, "`format`: jsonld (W3C Web Annotation), jsonl, csv, claimreview (schema.org) or brat (zip)")
	out := fs.String("o", "", "write to `file` instead of standard output")
	base := fs.String("base", envOr("CLAIMMARK_BASE", "http://"+envOr("CLAIMMARK_ADDR", "127.0.0.1:8080")),
		"public base `URL` of the server, for annotation IRIs; env CLAIMMARK_BASE")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("export takes no arguments, got %q (use -o FILE to name the output)", strings.Join(pos, " "))
	}
	if _, ok := annotation.MediaType(*format); !ok {
		return usagef("unknown export format %q: use %s", *format, annotation.Formats)
	}

	var fill func(w io.Writer) error
	if given(fs, "server") {
		if given(fs, "base") {
			return usagef("-base does not apply with -server: the server names its own annotations")
		}
		cl := rem.client()
		fill = func(w io.Writer) error { return cl.Export(ctx, *format, w) }
	} else {
		db, err := openStore(*dataDir, 0)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, db.Close()) }()
		fill = func(w io.Writer) error { return exchange.Export(ctx, db, *format, strings.TrimRight(*base, "/"), w) }
	}
	if *out == "" {
		w := bufio.NewWriterSize(c.stdout, 64<<10)
		if err := fill(w); err != nil {
			return err
		}
		return w.Flush()
	}
	return writeAtomic(*out, fill)
}

// writeAtomic writes name through a temporary file in the same directory,
// synced and renamed into place only when fill succeeds.
func writeAtomic(name string, fill func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriterSize(tmp, 64<<10)
	if err := fill(w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("saving %s: %w", name, err)
	}
	return nil
}
