package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"claimmark/index"
	"claimmark/internal/annotation"
	"claimmark/internal/client"
	"claimmark/internal/exchange"
	"claimmark/internal/ingest"
)

// File kinds that import accepts, by extension.
var (
	articleExts    = map[string]bool{".txt": true, ".text": true, ".md": true, ".markdown": true, ".html": true, ".htm": true}
	annotationExts = map[string]bool{".json": true, ".jsonld": true, ".jsonl": true, ".ndjson": true}
)

// importTally counts what an import did.
type importTally struct {
	articles, annotations, skipped, refused int
	failed                                  []string // files that could not be imported
}

// importFiles is the `import` command. Text files become articles
// (ingest.FromFile, then CreateArticle; an article already stored is
// skipped); JSON, JSON-LD and JSONL files go through exchange.Import,
// all-or-nothing per file. It writes to the data directory through the
// search index, or with -server to a running server through its API (with
// -token, into -group); either way what it reports as added is searchable
// when it returns, and it fails if any file could not be imported.
func (c *cli) importFiles(ctx context.Context, args []string) (err error) {
	fs := c.newFlagSet("import", "[-data ./data | -server URL [-token T] [-group ID]] FILE...")
	dataDir := fs.String("data", defaultDataDir(), "data `directory`; env CLAIMMARK_DATA")
	rem := remoteFlags(fs)
	group := fs.String("group", "", "with -server: the `id` of the group that new articles join (default: your private space)")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("import needs at least one file: .txt, .md or .html articles, or .json, .jsonld or .jsonl annotations")
	}
	for _, name := range files {
		ext := strings.ToLower(filepath.Ext(name))
		if !articleExts[ext] && !annotationExts[ext] {
			return fmt.Errorf("%s: cannot import %q files; use .txt, .md or .html for articles and .json, .jsonld or .jsonl for annotations", name, ext)
		}
	}

	prog := newProgress(c.stderr)
	var t importTally
	var to importTarget
	if given(fs, "server") {
		to = remoteImport{cl: rem.client(), group: *group}
	} else {
		if *group != "" {
			return usagef("-group needs -server: a data directory is imported as it is")
		}
		db, ix, err := openData(ctx, *dataDir, 0, c.log)
		if err != nil {
			return err
		}
		defer func() {
			// Wait for the index to be on disk, so that the next open
			// (serve, reindex) does not index the import's tail again.
			if perr := ix.Persist(ctx); perr != nil {
				c.log.Warn("import: the search index was not written to disk; the next start brings it up to date", "err", perr)
			} else if t.annotations > 0 {
				// Merge the import's segments now, once, rather than in
				// the server while users save (index.Compact).
				prog.Printf("merging the search index")
				if cerr := ix.Compact(ctx); cerr != nil {
					c.log.Warn("import: the search index was not merged; the server merges it in the background", "err", cerr)
				}
				prog.Clear()
			}
			err = errors.Join(err, ix.Close(), db.Close())
		}()
		// The data directory's rating scale (ratings.json), as serve
		// checks it on POST /api/import.
		scale, err := loadRatings("", *dataDir)
		if err != nil {
			return err
		}
		to = localImport{Store: index.Indexing(db, ix), scale: scale}
		defer tuneGC(importGCPercent, importMemoryLimit)()
	}

	start := time.Now()
	for i, name := range files {
		prog.Printf("[%d/%d] %s", i+1, len(files), name)
		var msg string
		var ferr error
		if articleExts[strings.ToLower(filepath.Ext(name))] {
			msg, ferr = importArticle(ctx, to, name, &t)
		} else {
			msg, ferr = importAnnotations(ctx, to, name, prog, &t)
		}
		prog.Clear()
		if ferr != nil {
			t.failed = append(t.failed, name)
			fmt.Fprintf(c.stdout, "%s: %s\n", name, annotation.ErrorMessage(ferr))
			if annotation.ErrorCode(ferr) == annotation.Internal {
				c.log.Error("import failed", "file", name, "err", ferr)
			}
			if msg != "" {
				fmt.Fprint(c.stdout, msg)
			}
			continue
		}
		fmt.Fprintf(c.stdout, "%s: %s\n", name, msg)
	}
	took := time.Since(start)
	fmt.Fprintf(c.stdout, "imported %d of %d files in %.1fs: %d articles and %d annotations added",
		len(files)-len(t.failed), len(files), took.Seconds(), t.articles, t.annotations)
	if t.annotations > 0 {
		fmt.Fprintf(c.stdout, " (%.0f annotations/s)", float64(t.annotations)/took.Seconds())
	}
	fmt.Fprintf(c.stdout, ", %d skipped as duplicates, %d refused\n", t.skipped, t.refused)
	if len(t.failed) > 0 {
		return fmt.Errorf("%d of %d files could not be imported: %s", len(t.failed), len(files), strings.Join(t.failed, ", "))
	}
	return nil
}

// importArticle stores the text file name as a new article.
func importArticle(ctx context.Context, to importTarget, name string, t *importTally) (string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	art, err := ingest.FromFile(filepath.Base(name), data)
	if err != nil {
		return "", err
	}
	existing, err := to.CreateArticle(ctx, art)
	if annotation.ErrorCode(err) == annotation.Conflict {
		t.skipped++
		return fmt.Sprintf("skipped: already stored as article %s", existing), nil
	}
	if err != nil {
		return "", err
	}
	t.articles++
	return fmt.Sprintf("added article %s %q (%d characters)", art.ID, art.Title, annotation.RuneLen(art.Text)), nil
}

// importAnnotations imports the W3C JSON-LD or JSONL file name. On a
// refusal the message lists what was refused and why.
func importAnnotations(ctx context.Context, to importTarget, name string, prog *progress, t *importTally) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	rep, err := to.Import(ctx, &countingReader{r: f, name: filepath.Base(name), total: size, p: prog})
	if rep == nil {
		rep = &annotation.ImportReport{}
	}
	t.refused += len(rep.Refused)
	if err != nil {
		var b strings.Builder
		for i, it := range rep.Refused {
			if i == 20 {
				fmt.Fprintf(&b, "  … and %d more\n", len(rep.Refused)-i)
				break
			}
			fmt.Fprintf(&b, "  refused %s %s: %s\n", it.Kind, it.ID, it.Reason)
		}
		return b.String(), err
	}
	var arts, anns, speakers int
	for _, it := range rep.Added {
		switch it.Kind {
		case annotation.ItemArticle:
			arts++
		case annotation.ItemSpeaker:
			speakers++
		default:
			anns++
		}
	}
	t.articles += arts
	t.annotations += anns
	t.skipped += len(rep.Skipped)
	msg := fmt.Sprintf("added %d articles and %d annotations, skipped %d duplicates", arts, anns, len(rep.Skipped))
	if speakers > 0 {
		msg += fmt.Sprintf("; %d speaker identities restored", speakers)
	}
	return msg, nil
}

// importTarget is where import writes: the data directory or a server.
type importTarget interface {
	// CreateArticle adds an article; one already there is a Conflict
	// naming it in existingID (annotation.Store's contract).
	CreateArticle(ctx context.Context, a *annotation.Article) (existingID string, err error)
	// Import adds W3C JSON-LD or JSON Lines, all or nothing, as
	// exchange.Import does.
	Import(ctx context.Context, r io.Reader) (*annotation.ImportReport, error)
}

// localImport imports into a store (the data directory, through its
// index), refusing ratings that are not on its scale.
type localImport struct {
	annotation.Store
	scale annotation.RatingScale
}

func (l localImport) Import(ctx context.Context, r io.Reader) (*annotation.ImportReport, error) {
	return exchange.ImportWith(ctx, l.Store, r, time.Now().UTC(), exchange.Options{Ratings: &l.scale})
}

// remoteImport imports through a server's API into a group.
type remoteImport struct {
	cl    *client.Client
	group string
}

func (r remoteImport) CreateArticle(ctx context.Context, a *annotation.Article) (string, error) {
	a.GroupID = r.group
	return r.cl.CreateArticle(ctx, a)
}

func (r remoteImport) Import(ctx context.Context, in io.Reader) (*annotation.ImportReport, error) {
	return r.cl.ImportTo(ctx, r.group, in)
}
