package exchange

import (
	"bufio"
	"context"
	"time"

	"claimmark/internal/annotation"
)

// SchemaOrg is the @context of schema.org JSON-LD.
const SchemaOrg = "https://schema.org"

// ClaimReview is a schema.org ClaimReview of one rated claim, in the shape
// Google's fact-check markup reads. ToClaimReview fills it.
type ClaimReview struct {
	Context       string      `json:"@context"`
	Type          string      `json:"@type"`
	URL           string      `json:"url"`
	ClaimReviewed string      `json:"claimReviewed"`
	ItemReviewed  SchemaClaim `json:"itemReviewed"`
	ReviewRating  Rating      `json:"reviewRating"`
	DatePublished string      `json:"datePublished,omitempty"`
	Description   string      `json:"description,omitempty"`
}

// SchemaClaim is the schema.org Claim a ClaimReview reviews.
type SchemaClaim struct {
	Type          string        `json:"@type"`
	Author        *SchemaAuthor `json:"author,omitempty"`
	Appearance    string        `json:"appearance,omitempty"`
	DatePublished string        `json:"datePublished,omitempty"`
}

// SchemaAuthor is who made a claim: a schema.org Person or Organization.
type SchemaAuthor struct {
	Type   string   `json:"@type"`
	Name   string   `json:"name"`
	SameAs []string `json:"sameAs,omitempty"`
}

// Rating is a schema.org Rating. A label without a value on the scale
// (Unverifiable) has only alternateName.
type Rating struct {
	Type          string `json:"@type"`
	RatingValue   int    `json:"ratingValue,omitempty"`
	BestRating    int    `json:"bestRating,omitempty"`
	WorstRating   int    `json:"worstRating,omitempty"`
	AlternateName string `json:"alternateName"`
}

// schemaDate formats t as an ISO 8601 date, "" for the zero time.
func schemaDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// ToClaimReview returns the ClaimReview of a rated claim a of article art,
// said by the speaker identity sp (nil when unknown), or nil when a has no
// rating. The mapping:
//
//	url                        Rating.URL (the published fact check); without
//	                           one, the annotation's IRI (base + "/api/annotations/" + ID),
//	                           since Google requires a url
//	claimReviewed              the quote
//	itemReviewed               {"@type": "Claim",
//	  author                     {"@type": "Person" or "Organization" (the identity's kind),
//	                             "name": the identity's name, "sameAs": [its sameAs]}; without an
//	                             identity {"@type": "Person", "name": Speaker}; left out without
//	                             a speaker,
//	  appearance                 the article's URL,
//	  datePublished}             the article's published date
//	reviewRating               {"@type": "Rating", "ratingValue": Value, "bestRating": 5,
//	                            "worstRating": 1, "alternateName": Label}; a label without a
//	                           value has only alternateName
//	datePublished              Rating.Date
//	description                Rating.Note
func ToClaimReview(a *annotation.Annotation, art *annotation.Article, sp *annotation.Speaker, base string) *ClaimReview {
	r := a.Rating
	if r == nil {
		return nil
	}
	cr := &ClaimReview{
		Context: SchemaOrg, Type: "ClaimReview", URL: r.URL, ClaimReviewed: a.Target.Quote.Exact,
		ItemReviewed:  SchemaClaim{Type: "Claim"},
		ReviewRating:  Rating{Type: "Rating", AlternateName: r.Label},
		DatePublished: schemaDate(r.Date), Description: r.Note,
	}
	if cr.URL == "" {
		cr.URL = annotationIRI(base, a.ID)
	}
	if r.Value > 0 {
		cr.ReviewRating.RatingValue, cr.ReviewRating.BestRating, cr.ReviewRating.WorstRating = r.Value, 5, 1
	}
	switch {
	case sp != nil:
		au := &SchemaAuthor{Type: "Person", Name: sp.Name}
		if sp.Kind == annotation.Organisation {
			au.Type = "Organization"
		}
		if sp.SameAs != "" {
			au.SameAs = []string{sp.SameAs}
		}
		cr.ItemReviewed.Author = au
	case a.Speaker != "":
		cr.ItemReviewed.Author = &SchemaAuthor{Type: "Person", Name: a.Speaker}
	}
	if art != nil {
		cr.ItemReviewed.Appearance = art.URL
		cr.ItemReviewed.DatePublished = schemaDate(art.Published)
	}
	return cr
}

// exportClaimReview writes a JSON array of the ClaimReviews of every rated
// annotation, one per line, each with its own @context.
func exportClaimReview(ctx context.Context, st annotation.Store, sums []annotation.ArticleSummary, base string, keep func(*annotation.Annotation) bool, w *bufio.Writer) error {
	speakers, err := speakersByID(ctx, st)
	if err != nil {
		return err
	}
	w.WriteString("[")
	n := 0
	err = eachArticle(ctx, st, sums, false, keep, func(art *annotation.Article, anns []*annotation.Annotation) error {
		for _, a := range anns {
			cr := ToClaimReview(a, art, speakers[a.SpeakerID], base)
			if cr == nil {
				continue
			}
			if err := writeItem(w, &n, cr); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = w.WriteString("\n]\n")
	return err
}
