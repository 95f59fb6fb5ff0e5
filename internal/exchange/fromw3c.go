package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
)

// ArticleSource is what FromW3C needs to find the article an annotation
// belongs to; an annotation.Store is one. Article returns a NotFound
// *annotation.Error for an unknown id.
type ArticleSource interface {
	Articles(ctx context.Context) ([]annotation.ArticleSummary, error)
	Article(ctx context.Context, id string) (*annotation.Article, error)
}

// FromW3C reads one annotation in the W3C Web Annotation model (ours, as
// ToW3C writes it, or another tool's; see the package doc) and returns it
// as a claimmark annotation placed in one of src's articles: ArticleID,
// Kind, the quote with its prefix and suffix, the position in code points
// and the TextHash of the article version all agree with that article.
// Created, Modified and Revision are those of the input (zero when absent).
//
// Our own annotations come back exactly as they were written, except that
// an empty TextHash comes back as the article's. An annotation that cannot
// be placed is refused with an Invalid *annotation.Error saying why: no
// claim, denial or proposal tag, no quote, a quote found in no known
// article, or one found in several places that its context does not tell
// apart. Errors from src other than NotFound are returned as they are.
func FromW3C(ctx context.Context, data []byte, src ArticleSource) (*annotation.Annotation, error) {
	v, err := decodeJSON(data)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, annotation.Errorf(annotation.Invalid, "A W3C annotation must be a JSON object.")
	}
	return fromW3C(ctx, m, src)
}

// decodeJSON decodes one JSON value with numbers kept exact. A syntax
// error is Invalid and names the line and column.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonError(data, err)
	}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		line, col := lineCol(data, dec.InputOffset()+int64(bytes.IndexFunc(data[dec.InputOffset():], func(r rune) bool { return !unicode.IsSpace(r) })))
		return nil, annotation.Errorf(annotation.Invalid, "Unexpected text after the JSON value at line %d, column %d; put several annotations in an array.", line, col)
	}
	return v, nil
}

// jsonError turns a JSON decoding error into an Invalid *annotation.Error
// that says where the problem is.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(data, se.Offset-1) // Offset counts the offending byte
		return annotation.Errorf(annotation.Invalid, "This is not valid JSON: %s at line %d, column %d (byte %d).", se.Error(), line, col, se.Offset)
	case errors.As(err, &te):
		line, col := lineCol(data, te.Offset)
		field := te.Field
		if field == "" {
			field = "a value"
		}
		return annotation.Errorf(annotation.Invalid, "The JSON has the wrong type for %s (%s, expected %s) at line %d, column %d.", field, te.Value, te.Type, line, col)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		line, col := lineCol(data, int64(len(data)))
		return annotation.Errorf(annotation.Invalid, "The JSON ends too early, at line %d, column %d: something is missing at the end.", line, col)
	}
	return annotation.Errorf(annotation.Invalid, "This is not valid JSON: %v.", err)
}

// lineCol returns the 1-based line and column (in bytes) of offset in data.
func lineCol(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// fromW3C is FromW3C on a decoded JSON object.
func fromW3C(ctx context.Context, m map[string]any, src ArticleSource) (*annotation.Annotation, error) {
	p, err := parseW3C(m)
	if err != nil {
		return nil, err
	}
	kind, tags, err := p.kindAndTags()
	if err != nil {
		return nil, err
	}
	art, pos, exactHint, err := p.place(ctx, src)
	var moved *notFoundInArticle
	if errors.As(err, &moved) {
		return p.anchored(kind, tags, moved.art)
	}
	if err != nil {
		return nil, err
	}
	a := &annotation.Annotation{
		ID:        p.id,
		ArticleID: art.ID,
		Kind:      kind,
		Speaker:   p.speaker,
		SpeakerID: p.speakerID,
		Note:      strings.Join(p.notes, "\n\n"),
		Tags:      tags,
		Created:   p.created,
		Modified:  p.modified,
		Revision:  p.revision,
		Rating:    p.rating,
		Creator:   p.creator,
	}
	if p.private {
		a.Visibility = annotation.VisibleToSelf
	}
	exact, _ := annotation.Slice(art.Text, pos.Start, pos.End)
	a.Target.Quote.Exact = exact
	a.Target.Position = pos
	prefix, suffix := p.quote.Prefix, p.quote.Suffix
	i, j := annotation.ByteOffset(art.Text, pos.Start), annotation.ByteOffset(art.Text, pos.End)
	if !strings.HasSuffix(art.Text[:i], prefix) || !strings.HasPrefix(art.Text[j:], suffix) ||
		annotation.RuneLen(prefix) > annotation.MaxContextChars || annotation.RuneLen(suffix) > annotation.MaxContextChars {
		prefix, suffix = annotation.Context(art.Text, pos.Start, pos.End, annotation.ContextChars)
	}
	a.Target.Quote.Prefix, a.Target.Quote.Suffix = prefix, suffix
	a.Target.TextHash = art.TextHash
	if exactHint && p.textHash != "" {
		a.Target.TextHash = p.textHash
	}
	if a.Target.TextHash == "" {
		a.Target.TextHash = annotation.HashText(art.Text)
	}
	return a, nil
}

// place finds the article p belongs to and the position of its quote there.
// exactHint reports that p's position selector was right as given.
func (p *parsed) place(ctx context.Context, src ArticleSource) (art *annotation.Article, pos annotation.Position, exactHint bool, err error) {
	art, err = p.article(ctx, src)
	if err != nil {
		return nil, pos, false, err
	}
	if art != nil {
		if pos, exactHint, ok := atHint(art.Text, p.quote.Exact, p.hint); ok {
			return art, pos, exactHint, nil
		}
		ms := findExact(art, p.quote)
		if len(ms) == 0 {
			ms = findLoose(art, p.quote)
		}
		if len(ms) == 0 {
			return nil, pos, false, &notFoundInArticle{art}
		}
		m, ok := choose(ms, p.hint)
		if !ok {
			return nil, pos, false, annotation.Errorf(annotation.Invalid, "The quote %q occurs %d times in the article %q, and its prefix and suffix do not tell which one is meant.", short(p.quote.Exact), len(ms), short(art.Title))
		}
		return art, m.position(), false, nil
	}

	sums, err := src.Articles(ctx)
	if err != nil {
		return nil, pos, false, err
	}
	var arts []*annotation.Article
	for _, s := range sums {
		if err := ctx.Err(); err != nil {
			return nil, pos, false, err
		}
		a, err := src.Article(ctx, s.ID)
		if annotation.ErrorCode(err) == annotation.NotFound {
			continue
		} else if err != nil {
			return nil, pos, false, err
		}
		arts = append(arts, a)
	}
	var ms []match
	for _, a := range arts {
		ms = append(ms, findExact(a, p.quote)...)
	}
	if len(ms) == 0 {
		for _, a := range arts {
			ms = append(ms, findLoose(a, p.quote)...)
		}
	}
	if len(ms) == 0 {
		return nil, pos, false, annotation.Errorf(annotation.Invalid, "The quote %q was not found in any known article; add the article first, then import the annotation again.", short(p.quote.Exact))
	}
	m, ok := choose(ms, p.hint)
	if !ok {
		titles := map[string]bool{}
		for _, m := range ms {
			titles[m.art.Title] = true
		}
		if len(titles) > 1 {
			return nil, pos, false, annotation.Errorf(annotation.Invalid, "The quote %q occurs in %d articles, and its prefix and suffix do not tell which one is meant.", short(p.quote.Exact), len(titles))
		}
		return nil, pos, false, annotation.Errorf(annotation.Invalid, "The quote %q occurs %d times in the article %q, and its prefix and suffix do not tell which one is meant.", short(p.quote.Exact), len(ms), short(ms[0].art.Title))
	}
	return m.art, m.position(), false, nil
}

// position returns m's range in code points.
func (m match) position() annotation.Position {
	start := utf8.RuneCountInString(m.art.Text[:m.start])
	return annotation.Position{Start: start, End: start + utf8.RuneCountInString(m.art.Text[m.start:m.end])}
}

// article returns the article p names by id, by its source URL, or by the
// address of its page in claimmark, or nil when it names none that src
// knows.
func (p *parsed) article(ctx context.Context, src ArticleSource) (*annotation.Article, error) {
	lookup := func(id string) (*annotation.Article, error) {
		if !annotation.ValidID(id) {
			return nil, nil
		}
		a, err := src.Article(ctx, id)
		if annotation.ErrorCode(err) == annotation.NotFound {
			return nil, nil
		}
		return a, err
	}
	if p.articleID != "" {
		if a, err := lookup(p.articleID); a != nil || err != nil {
			return a, err
		}
	}
	if p.source == "" {
		return nil, nil
	}
	if canon, err := annotation.CanonicalURL(p.source); err == nil {
		sums, err := src.Articles(ctx)
		if err != nil {
			return nil, err
		}
		for _, s := range sums {
			if s.URL != "" && sameURL(s.URL, canon) {
				if a, err := lookup(s.ID); a != nil || err != nil {
					return a, err
				}
			}
		}
	}
	if u, err := url.Parse(p.source); err == nil {
		if i := strings.LastIndex(u.Path, "/articles/"); i >= 0 {
			return lookup(u.Path[i+len("/articles/"):])
		}
	}
	return nil, nil
}

// sameURL compares two canonical URLs, ignoring a trailing slash.
func sameURL(a, b string) bool {
	return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
}

// short abbreviates s for an error message.
func short(s string) string {
	const n = 60
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut, _ := annotation.Slice(s, 0, n)
	return cut + "…"
}

// notFoundInArticle is place's answer when p names a known article (by id
// or URL) but its quote is not in the article's text as written: the
// article may have been edited since the other tool saw it.
type notFoundInArticle struct{ art *annotation.Article }

func (e *notFoundInArticle) Error() string {
	return fmt.Sprintf("The quote was not found in the article %q.", short(e.art.Title))
}

// anchored returns p as an annotation of art whose quote is not in art's
// text as written: re-anchored by package anchor, as a store re-anchors
// annotations when an article's text changes. It is anchored where the
// text matches with confidence, or keeps its quote and gets Anchoring
// needs_review (with a candidate place) or orphaned, for a person to
// settle in the reader. Its Target.TextHash names the text the other tool
// saw, which claimmark does not have (DetachedHash), so that stores take
// it as detached (anchor.Resolve).
func (p *parsed) anchored(kind annotation.Kind, tags []string, art *annotation.Article) (*annotation.Annotation, error) {
	q := p.quote
	q.Prefix = lastRunes(q.Prefix, annotation.MaxContextChars)
	q.Suffix = firstRunes(q.Suffix, annotation.MaxContextChars)
	start := 0
	if p.hint != nil && p.hint.Start > 0 && p.hint.Start < annotation.RuneLen(art.Text) {
		start = p.hint.Start
	}
	a := &annotation.Annotation{
		ID: p.id, ArticleID: art.ID, Kind: kind, Speaker: p.speaker, SpeakerID: p.speakerID,
		Note: strings.Join(p.notes, "\n\n"), Tags: tags, Created: p.created, Modified: p.modified,
		Revision: p.revision, Rating: p.rating, Creator: p.creator,
		Target: annotation.Target{Quote: q, Position: annotation.Position{Start: start, End: start + annotation.RuneLen(q.Exact)},
			TextHash: DetachedHash(p.source, q.Exact)},
		Anchoring: &annotation.Anchoring{Status: annotation.NeedsReview},
	}
	if p.private {
		a.Visibility = annotation.VisibleToSelf
	}
	if err := anchor.Resolve(a, art.Text, art.TextHash, noEarlierText, true); err != nil {
		return nil, err
	}
	return a, nil
}

// DetachedHash is the Target.TextHash given to an imported annotation
// whose quote was not in its article as written: the hash of the text
// another tool annotated, which claimmark does not have, made from its
// source and quote.
func DetachedHash(source, exact string) string {
	return annotation.HashText("detached\x00" + source + "\x00" + exact)
}

// noEarlierText is the earlier-versions lookup of anchor.Resolve for text
// that claimmark never stored.
func noEarlierText(string) (string, bool, error) { return "", false, nil }

// lastRunes and firstRunes return the last or first n code points of s.
func lastRunes(s string, n int) string {
	if k := annotation.RuneLen(s); k > n {
		cut, _ := annotation.Slice(s, k-n, k)
		return cut
	}
	return s
}

func firstRunes(s string, n int) string {
	if annotation.RuneLen(s) > n {
		cut, _ := annotation.Slice(s, 0, n)
		return cut
	}
	return s
}
