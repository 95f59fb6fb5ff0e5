package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"claimmark/internal/annotation"
)

// Field names in the bleve index. The first group can be named in query
// strings (quote:, note:, speaker:, title:, kind:, tag:, tagtext:,
// article:, created:); the second holds exact values for filters, facets
// and sorting. Fields of relations and ratings are in links.go, fields of
// accounts in access.go.
const (
	fieldQuote   = "quote"   // English text of target.quote.exact; in _all
	fieldNote    = "note"    // English text; in _all
	fieldSpeaker = "speaker" // English text, so speaker:zakharova matches "Maria Zakharova"; in _all
	fieldTitle   = "title"   // English text of the article title; not in _all, searched beside it with titleBoost
	fieldKind    = "kind"    // one lower-case keyword; filter and facet
	fieldTag     = "tag"     // each tag as one lower-cased keyword: tag:NATO, tag:"security guarantees"; the tag filter
	fieldTagText = "tagtext" // English text of each tag, so its words are found; in _all
	fieldArticle = "article" // article id; filter and facet
	fieldCreated = "created" // no field of its own: created:>"2025-01-01" and the date filters read the sort key (created.go)

	fieldSpeakerExact = "speaker_exact" // speaker as written; filter and facet
	fieldTagExact     = "tag_exact"     // tags as written; the facet, counted case-insensitively (see foldTag)
	fieldSortKey      = "sortkey"       // created (fixed width) + id: sorts newest first without an _id tie-breaker

	// Speaker identities (speakers.go): the identity's name and aliases as
	// English text, in _all, so that searching an alias finds the
	// speaker's statements; and the SpeakerKey of each of them and of the
	// speaker text, for the speaker filter. speaker_exact holds the
	// identity's current name, so the facet has one value per identity.
	fieldSpeakerNames = "speaker_names"
	fieldSpeakerKey   = "speaker_key"
)

// analyzerKeywordLower is a custom analyzer: the whole value as one token,
// lower-cased. Keyword fields that people type in query strings use it so
// that kind:Denial and tag:nato match.
const analyzerKeywordLower = "keyword_lower"

// mappingVersion names the shape of the documents built by newDocument and
// the mapping below. Change it whenever either changes: an index carrying
// another version is rebuilt from the store at Open.
//
// claimmark-4: tags are also English text in _all (tagtext), tag has term
// vectors (quoted values), and title left _all.
// claimmark-5: speaker identities (speaker_names in _all, speaker_key for
// the filter, speaker_exact holds the identity's name).
// claimmark-6: has, relation, rejects, rating and rating_exact (relations
// and ratings, links.go).
// claimmark-7: creator, group, visibility and access (accounts, access.go).
// claimmark-8: no created datetime field; date ranges read the sort key
// (created.go).
const mappingVersion = "claimmark-8"

// Internal (non-document) keys of the bleve index.
var (
	keyWatermark = []byte("claimmark.seq")     // big-endian uint64: last change-log seq applied
	keyMapping   = []byte("claimmark.mapping") // mappingVersion
)

// newMapping returns the index mapping. It is static: documents are built
// by newDocument (not by walking structs), and the mapping tells the query
// parser which analyzer each field uses. DefaultAnalyzer is "en" because
// bleve analyses unfielded query terms (the _all field) with it; with the
// default ("standard") "running" would not find "runs".
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	if err := m.AddCustomAnalyzer(analyzerKeywordLower, map[string]any{
		"type":          custom.Name,
		"tokenizer":     single.Name,
		"token_filters": []any{lowercase.Name},
	}); err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	text := func(inAll bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, true, inAll, false
		return f
	}
	kw := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false, false
		return f
	}
	tag := kw(analyzerKeywordLower)
	tag.IncludeTermVectors = true

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldQuote, text(true))
	doc.AddFieldMappingsAt(fieldNote, text(true))
	doc.AddFieldMappingsAt(fieldSpeaker, text(true))
	doc.AddFieldMappingsAt(fieldTitle, text(false))
	doc.AddFieldMappingsAt(fieldKind, kw(analyzerKeywordLower))
	doc.AddFieldMappingsAt(fieldTag, tag)
	doc.AddFieldMappingsAt(fieldTagText, text(true))
	doc.AddFieldMappingsAt(fieldArticle, kw(keyword.Name))
	doc.AddFieldMappingsAt(fieldHas, kw(analyzerKeywordLower))
	doc.AddFieldMappingsAt(fieldRelation, kw(analyzerKeywordLower))
	doc.AddFieldMappingsAt(fieldRejects, text(false))
	doc.AddFieldMappingsAt(fieldRating, tag) // lower-cased, with term vectors for rating:"mostly true"
	doc.AddFieldMappingsAt(fieldRatingExact, kw(keyword.Name))
	doc.AddFieldMappingsAt(fieldSpeakerExact, kw(keyword.Name))
	doc.AddFieldMappingsAt(fieldTagExact, kw(keyword.Name))
	sk := kw(keyword.Name)
	sk.DocValues = true
	doc.AddFieldMappingsAt(fieldSortKey, sk)
	doc.AddFieldMappingsAt(fieldSpeakerNames, text(true))
	doc.AddFieldMappingsAt(fieldSpeakerKey, kw(keyword.Name))
	doc.AddFieldMappingsAt(fieldCreator, kw(keyword.Name))
	doc.AddFieldMappingsAt(fieldGroup, kw(keyword.Name))
	doc.AddFieldMappingsAt(fieldVisibility, kw(analyzerKeywordLower))
	doc.AddFieldMappingsAt(fieldAccess, kw(keyword.Name))

	m.DefaultMapping = doc
	m.DefaultAnalyzer = en.AnalyzerName
	m.DefaultField = "_all"
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	m.ScoringModel = bindex.BM25Scoring
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	return m, nil
}

// foldTag returns the term of tag t in the tag field: t lower-cased by the
// same analyzer, so that the tag filter, the tag facet and tag:"t" agree.
func (b *docBuilder) foldTag(t string) string {
	ts := b.kwLower.Analyze([]byte(t))
	if len(ts) == 0 {
		return ""
	}
	return string(ts[0].Term)
}

// docBuilder turns annotations into bleve documents. It is safe for
// concurrent use: analyzers are.
type docBuilder struct {
	en, kwLower, kw analysis.Analyzer
}

func newDocBuilder(m *mapping.IndexMappingImpl) (*docBuilder, error) {
	b := &docBuilder{
		en:      m.AnalyzerNamed(en.AnalyzerName),
		kwLower: m.AnalyzerNamed(analyzerKeywordLower),
		kw:      m.AnalyzerNamed(keyword.Name),
	}
	if b.en == nil || b.kwLower == nil || b.kw == nil {
		return nil, fmt.Errorf("index: analyzers missing from the mapping")
	}
	return b, nil
}

// Field options. Text fields keep term vectors (positions and offsets):
// phrase queries and highlighting need them. So does tag: a quoted value
// (tag:"security guarantees") is a phrase query, which finds nothing in
// a field without positions. Nothing is stored (hits are
// loaded from the Store by id, and highlights come from term locations).
// Only the sort key has doc values, read once per segment into an array;
// facets come from arrays un-inverted from the index (facets.go), which
// is much faster than bleve's per-hit doc-value reads.
const (
	optText    = bindex.IndexField | bindex.IncludeTermVectors
	optKeyword = bindex.IndexField
	optTag     = bindex.IndexField | bindex.IncludeTermVectors
	optSortKey = bindex.IndexField | bindex.DocValues
)

// allFields are the fields copied into _all, which unfielded terms search.
// The title is not among them: an article's title is shared by all its
// annotations, so unfielded terms search it separately, with a low boost
// (titleboost.go).
var allFields = []string{fieldQuote, fieldNote, fieldSpeaker, fieldTagText, fieldSpeakerNames}

// sortKey orders annotations by Created, then id; the time is UTC with a
// fixed width so that byte order is time order.
func sortKey(a *annotation.Annotation) string {
	return createdKey(a.Created) + " " + a.ID
}

// newDocument returns the bleve document of a, whose article has the
// given title, whose speaker identity is sp (nil when a has none, or it
// is unknown: then the speaker text stands for itself), and rejected the
// speakers of the annotations a rejects (see Index.rejected). Empty
// optional values are left out, so they neither match nor appear as "" in
// facets.
func (b *docBuilder) newDocument(a *annotation.Annotation, title string, sp *annotation.Speaker, rejected []string) *document.Document {
	d := document.NewDocument(a.ID)
	text := func(name, v string) {
		if v != "" {
			d.AddField(document.NewTextFieldCustom(name, nil, []byte(v), optText, b.en))
		}
	}
	text(fieldQuote, a.Target.Quote.Exact)
	text(fieldNote, a.Note)
	text(fieldSpeaker, a.Speaker)
	text(fieldTitle, title)
	d.AddField(document.NewTextFieldCustom(fieldKind, nil, []byte(a.Kind), optKeyword, b.kwLower))
	d.AddField(document.NewTextFieldCustom(fieldArticle, nil, []byte(a.ArticleID), optKeyword, b.kw))
	b.addSpeaker(d, a, sp)
	for i, t := range a.Tags {
		pos := []uint64{uint64(i)}
		d.AddField(document.NewTextFieldCustom(fieldTag, pos, []byte(t), optTag, b.kwLower))
		d.AddField(document.NewTextFieldCustom(fieldTagText, pos, []byte(t), optText, b.en))
		d.AddField(document.NewTextFieldCustom(fieldTagExact, pos, []byte(t), optKeyword, b.kw))
	}
	b.addLinks(d, a, rejected)
	b.addAccount(d, a)
	d.AddField(document.NewTextFieldCustom(fieldSortKey, nil, []byte(sortKey(a)), optSortKey, b.kw))
	d.AddField(document.NewCompositeFieldWithIndexingOptions("_all", false, allFields, nil, optText))
	d.SetIndexed()
	return d
}
