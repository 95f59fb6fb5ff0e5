package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"claimmark/internal/annotation"
)

// naiveDoc is an annotation as the naive index stores it.
type naiveDoc struct {
	Quote        string    `json:"quote"`
	Note         string    `json:"note,omitempty"`
	Speaker      string    `json:"speaker,omitempty"`
	Kind         string    `json:"kind"`
	Tags         []string  `json:"tags,omitempty"`
	ArticleID    string    `json:"article_id"`
	ArticleTitle string    `json:"article_title"`
	Created      time.Time `json:"created"`
}

// naiveMapping is the mapping recommended by notes/bleve.md §2: what a
// careful first use of bleve looks like, without claimmark's query work.
func naiveMapping() *mapping.IndexMappingImpl {
	fullText := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = true, true, true, false
		return f
	}
	exact := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = true, true, false, true
		return f
	}
	stamp := bleve.NewDateTimeFieldMapping()
	stamp.Store, stamp.DocValues, stamp.IncludeInAll = true, true, false
	speakerWords := bleve.NewTextFieldMapping()
	speakerWords.Name, speakerWords.Analyzer = "speaker_text", standard.Name
	doc := bleve.NewDocumentStaticMapping()
	for _, n := range []string{"quote", "note", "article_title"} {
		doc.AddFieldMappingsAt(n, fullText())
	}
	for _, n := range []string{"kind", "tags", "article_id"} {
		doc.AddFieldMappingsAt(n, exact())
	}
	doc.AddFieldMappingsAt("speaker", exact(), speakerWords)
	doc.AddFieldMappingsAt("created", stamp)
	m := bleve.NewIndexMapping()
	m.DefaultMapping, m.DefaultField = doc, "_all"
	m.DefaultAnalyzer = en.AnalyzerName
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	m.ScoringModel = "bm25"
	return m
}

// buildNaive indexes anns into a new bleve index at dir in batches of
// 1,000, the fastest durable way bleve offers.
func buildNaive(dir string, anns []*annotation.Annotation, titles map[string]string) (bleve.Index, error) {
	ix, err := bleve.New(dir, naiveMapping())
	if err != nil {
		return nil, err
	}
	if err := indexNaive(ix, anns, titles); err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}

// indexNaive adds anns to ix in batches of 1,000.
func indexNaive(ix bleve.Index, anns []*annotation.Annotation, titles map[string]string) error {
	b := ix.NewBatch()
	for i, a := range anns {
		d := naiveDoc{
			Quote: a.Target.Quote.Exact, Note: a.Note, Speaker: a.Speaker, Kind: string(a.Kind),
			Tags: a.Tags, ArticleID: a.ArticleID, ArticleTitle: titles[a.ArticleID], Created: a.Created,
		}
		if err := b.Index(a.ID, d); err != nil {
			return err
		}
		if b.Size() >= 1000 || i == len(anns)-1 {
			if err := ix.Batch(b); err != nil {
				return err
			}
			b.Reset()
		}
	}
	return nil
}

// naiveHandler answers GET /naive?q=&kind=&speaker=&tag=&page=&size= with the UI's search done
// the straightforward way on the raw index: the query string, a kind
// filter (and speaker and tag filters, exact terms), facets on kind, speaker, article and tag, HTML highlighting of
// quote and note, and the stored fields of a page of hits, in one bleve
// SearchInContext.
func naiveHandler(ix bleve.Index) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		size, _ := strconv.Atoi(q.Get("size"))
		if size <= 0 {
			size = annotation.DefaultPageSize
		}
		bq := bleve.NewBooleanQuery()
		if text := q.Get("q"); text != "" {
			bq.AddMust(bleve.NewQueryStringQuery(text))
		} else {
			bq.AddMust(bleve.NewMatchAllQuery())
		}
		var filters []query.Query
		for param, field := range map[string]string{"kind": "kind", "speaker": "speaker", "tag": "tags"} {
			if v := q.Get(param); v != "" {
				t := bleve.NewTermQuery(v)
				t.SetField(field)
				filters = append(filters, t)
			}
		}
		if len(filters) > 0 {
			bq.AddFilter(query.NewConjunctionQuery(filters))
		}
		from := 0
		if p, _ := strconv.Atoi(q.Get("page")); p > 1 {
			from = (p - 1) * size
		}
		req := bleve.NewSearchRequestOptions(bq, size, from, false)
		req.Fields = []string{"quote", "note", "speaker", "kind", "tags", "article_id", "created"}
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.AddField("quote")
		req.Highlight.AddField("note")
		for name, field := range map[string]string{"kind": "kind", "speaker": "speaker", "article": "article_id", "tag": "tags"} {
			req.AddFacet(name, bleve.NewFacetRequest(field, 10))
		}
		res, err := ix.SearchInContext(r.Context(), req)
		if err != nil {
			http.Error(w, fmt.Sprint(err), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(res)
	})
}
