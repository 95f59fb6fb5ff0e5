package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/ingest"
)

// sampleJSON is the sample article that a new data directory starts with:
// an original, fictional news story full of attributed statements, with a
// few annotations on it, so that a first `make run` shows something real.
//
//go:embed sample.json
var sampleJSON []byte

// seededMarker names the file, in the data directory, that records that the
// sample was offered once; deleting the sample article does not bring it back.
const seededMarker = ".seeded"

// sample is the shape of sample.json.
type sample struct {
	Title       string    `json:"title"`
	Source      string    `json:"source"`
	Published   time.Time `json:"published"`
	Paragraphs  []string  `json:"paragraphs"`
	Annotations []struct {
		Quote   string          `json:"quote"`
		Kind    annotation.Kind `json:"kind"`
		Speaker string          `json:"speaker"`
		Note    string          `json:"note"`
		Tags    []string        `json:"tags"`
	} `json:"annotations"`
}

// loadSample returns the sample article and its annotations, which carry
// new ids and positions found in the normalised text. The annotations'
// ArticleID is empty: the caller sets it once the article is stored.
func loadSample() (*annotation.Article, []*annotation.Annotation, error) {
	var s sample
	if err := json.Unmarshal(sampleJSON, &s); err != nil {
		return nil, nil, fmt.Errorf("sample.json: %w", err)
	}
	art := &annotation.Article{
		Title:     s.Title,
		Source:    s.Source,
		Published: s.Published,
		Text:      ingest.Normalize(strings.Join(s.Paragraphs, "\n\n")),
	}
	var anns []*annotation.Annotation
	for _, a := range s.Annotations {
		i := strings.Index(art.Text, a.Quote)
		if i < 0 {
			return nil, nil, fmt.Errorf("sample.json: quote %q is not in the text", a.Quote)
		}
		start := annotation.RuneLen(art.Text[:i])
		anns = append(anns, &annotation.Annotation{
			ID:   annotation.NewID(),
			Kind: a.Kind,
			Target: annotation.Target{
				Quote:    annotation.Quote{Exact: a.Quote},
				Position: annotation.Position{Start: start, End: start + annotation.RuneLen(a.Quote)},
			},
			Speaker: a.Speaker,
			Note:    a.Note,
			Tags:    a.Tags,
		})
	}
	return art, anns, nil
}

// seed stores the sample article and its annotations in st the first time
// the data directory dataDir is served, then writes the marker file. A data
// directory that already holds articles is only marked.
func seed(ctx context.Context, st annotation.Store, dataDir string, log *slog.Logger) error {
	marker := filepath.Join(dataDir, seededMarker)
	if _, err := os.Stat(marker); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	list, err := st.Articles(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		art, anns, err := loadSample()
		if err != nil {
			return err
		}
		if _, err := st.CreateArticle(ctx, art); err != nil {
			return fmt.Errorf("adding the sample article: %w", err)
		}
		for _, a := range anns {
			a.ArticleID = art.ID
			if _, err := st.PutAnnotation(ctx, a, ""); err != nil {
				return fmt.Errorf("adding the sample annotations: %w", err)
			}
		}
		log.Info("added the sample article", "id", art.ID, "title", art.Title, "annotations", len(anns))
	}
	return os.WriteFile(marker, []byte("The sample article was added once; delete this file to add it again to an empty library.\n"), 0o644)
}
