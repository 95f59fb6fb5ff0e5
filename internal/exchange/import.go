package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"claimmark/internal/anchor"
	"claimmark/internal/annotation"
)

// Import reads articles and annotations from r and adds them to st in one
// st.Import call: all of them, or none.
//
// The input is detected by its shape: a JSON object or array is W3C
// JSON-LD (one annotation, an array of them, an AnnotationCollection with
// its first page embedded, an AnnotationPage, or a Hypothesis search result
// with "rows"); several JSON objects one per line are JSON Lines, each line
// an article or annotation in our wire JSON (as Export writes it) or a W3C
// annotation. W3C annotations are read with FromW3C, against the stored
// articles and those of the same input.
//
// Items are skipped, and reported so, when they are not statements (a W3C
// or Hypothesis annotation without a claim, denial or proposal tag) or
// when they are already there: an
// article with the id, canonical URL or text of a stored one (annotations
// of the input that name it are moved to the stored one), an annotation
// whose id is stored with the same content, or one with the kind and
// position of another annotation of the same article. Items that fail
// validation are refused with the reason. If any item is refused, nothing
// is stored and Import returns the report together with an Invalid
// *annotation.Error ("N items were refused; nothing was imported.").
//
// New items keep the timestamps, versions and revisions they carry; missing
// ones are set from now (Version and Revision to 1). Input past
// annotation.MaxImportBytes or annotation.MaxImportItems is TooLarge;
// input that is not JSON at all is Invalid with the line and column of the
// problem. Errors from st are returned as they are, with a nil report.
func Import(ctx context.Context, st annotation.Store, r io.Reader, now time.Time) (*annotation.ImportReport, error) {
	return ImportWith(ctx, st, r, now, Options{})
}

// Options tune ImportWith; the zero value imports as Import does.
type Options struct {
	// Ratings is the scale that imported ratings must use
	// (annotation.RatingScale.Check, which also settles a label's spelling
	// and value); an annotation whose rating is not on it is refused with
	// the reason. Nil accepts any label that passes validation.
	Ratings *annotation.RatingScale
	// Speakers keeps the speaker identities of the input; nil means st,
	// when it is an annotation.SpeakerStore.
	Speakers annotation.SpeakerStore
}

// ImportWith is Import with options.
func ImportWith(ctx context.Context, st annotation.Store, r io.Reader, now time.Time, opt Options) (*annotation.ImportReport, error) {
	rep := &annotation.ImportReport{Added: []annotation.ImportItem{}, Skipped: []annotation.ImportItem{}, Refused: []annotation.ImportItem{}}
	data, err := io.ReadAll(io.LimitReader(r, annotation.MaxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > annotation.MaxImportBytes {
		return rep, annotation.Errorf(annotation.TooLarge, "The file is larger than %d MiB; split it into smaller files.", annotation.MaxImportBytes>>20)
	}
	items, err := splitItems(data)
	if err != nil {
		return rep, err
	}
	if len(items) > annotation.MaxImportItems {
		return rep, annotation.Errorf(annotation.TooLarge, "The file has %d items; an import may have at most %d. Split it into smaller files.", len(items), annotation.MaxImportItems)
	}
	im := &importer{
		st: st, now: now, rep: rep, opt: opt,
		storedIDs: map[string]bool{}, byURL: map[string]string{}, byHash: map[string]string{},
		newArts: map[string]*annotation.Article{}, cache: map[string]*annotation.Article{},
		remap: map[string]string{}, refusedArts: map[string]bool{},
		newAnnByID: map[string]*annotation.Annotation{}, places: map[string]map[placeKey]string{},
	}
	if err := im.run(ctx, items); err != nil {
		return nil, err
	}
	if !im.refused() {
		if err := im.putSpeakers(ctx); err != nil {
			return nil, err
		}
	}
	im.report()
	if n := len(rep.Refused); n > 0 {
		rep.Added = []annotation.ImportItem{}
		if n == 1 {
			return rep, annotation.Errorf(annotation.Invalid, "1 item was refused; nothing was imported.")
		}
		return rep, annotation.Errorf(annotation.Invalid, "%d items were refused; nothing was imported.", n)
	}
	if len(im.arts)+len(im.anns) > 0 {
		if err := st.Import(ctx, im.arts, im.anns); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// importer holds the state of one Import. It is also the ArticleSource
// that W3C annotations are placed against: the stored articles plus the
// new ones of the same input.
type importer struct {
	st      annotation.Store
	opt     Options
	now     time.Time
	rep     *annotation.ImportReport
	outcome []outcome

	sums        []annotation.ArticleSummary // stored, then new
	storedIDs   map[string]bool
	byURL       map[string]string // canonical URL without trailing slash → article id
	byHash      map[string]string // TextHash → article id
	arts        []*annotation.Article
	newArts     map[string]*annotation.Article
	cache       map[string]*annotation.Article // stored articles read so far
	remap       map[string]string              // id in the input → id of the stored duplicate
	refusedArts map[string]bool

	speakers []speakerItem // speaker identities, stored before the rest

	anns       []*annotation.Annotation
	newAnnByID map[string]*annotation.Annotation
	links      []*pendingLink                 // W3C linking annotations of the input
	places     map[string]map[placeKey]string // article id → its annotations' ids, stored and new
}

// outcome is what happened to the item at n: "added", "skipped" or
// "refused".
type outcome struct {
	n    int
	what string
	item annotation.ImportItem
}

// report fills the ImportReport from the outcomes, in the order of the
// input.
func (im *importer) report() {
	slices.SortStableFunc(im.outcome, func(a, b outcome) int { return a.n - b.n })
	for _, o := range im.outcome {
		switch o.what {
		case "added":
			im.rep.Added = append(im.rep.Added, o.item)
		case "skipped":
			im.rep.Skipped = append(im.rep.Skipped, o.item)
		default:
			im.rep.Refused = append(im.rep.Refused, o.item)
		}
	}
}

// kinded is an item whose kind is known.
type kinded struct {
	rawItem
	kind string                 // annotation.ItemArticle or ItemAnnotation, or "w3c"
	ann  *annotation.Annotation // decoded already (see ourAnnotation), or nil
}

func (im *importer) run(ctx context.Context, items []rawItem) error {
	sums, err := im.st.Articles(ctx)
	if err != nil {
		return err
	}
	im.sums = slices.Clip(sums)
	for _, s := range sums {
		im.storedIDs[s.ID] = true
		if s.URL != "" {
			im.byURL[strings.TrimSuffix(s.URL, "/")] = s.ID
		}
		im.byHash[s.TextHash] = s.ID
	}
	var later []kinded
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return err
		}
		if a := ourAnnotation(it.raw); a != nil {
			later = append(later, kinded{it, annotation.ItemAnnotation, a})
			continue
		}
		kind, id, reason := classify(it.raw)
		switch kind {
		case "":
			im.refuse(it, id, annotation.ItemAnnotation, reason)
		case annotation.ItemArticle:
			im.article(it)
		case annotation.ItemSpeaker:
			im.speaker(it, id)
		default:
			later = append(later, kinded{it, kind, nil})
		}
	}
	// Links first, so each annotation gets its relations before it is
	// compared with a stored one.
	later = slices.DeleteFunc(later, func(it kinded) bool {
		if it.kind != "w3c" {
			return false
		}
		v, err := decodeJSON(it.raw)
		m, ok := v.(map[string]any)
		if err != nil || !ok || !isLink(m) {
			return false
		}
		l, why := readLink(it.rawItem, m)
		if l == nil {
			im.refuse(it.rawItem, str(key(m, "id", "@id")), annotation.ItemRelation, why)
		} else {
			im.links = append(im.links, l)
		}
		return true
	})
	for _, it := range later {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		switch {
		case it.kind == "w3c":
			err = im.w3c(ctx, it.rawItem)
		case it.ann != nil:
			err = im.annotation(ctx, it.rawItem, it.ann)
		default:
			err = im.ours(ctx, it.rawItem)
		}
		if err != nil {
			return err
		}
	}
	return im.reportLinks(ctx)
}

func (im *importer) refuse(it rawItem, id, kind, reason string) {
	im.outcome = append(im.outcome, outcome{it.n, "refused", annotation.ImportItem{ID: id, Kind: kind, Reason: it.label + ": " + reason}})
}

func (im *importer) skip(it rawItem, id, kind, reason string) {
	im.outcome = append(im.outcome, outcome{it.n, "skipped", annotation.ImportItem{ID: id, Kind: kind, Reason: it.label + ": " + reason}})
}

func (im *importer) add(it rawItem, id, kind string) { im.addNoting(it, id, kind, "") }

// addNoting adds an item with a note for the report (Reason), such as
// that it needs review; an empty note adds it plainly.
func (im *importer) addNoting(it rawItem, id, kind, note string) {
	item := annotation.ImportItem{ID: id, Kind: kind}
	if note != "" {
		item.Reason = it.label + ": " + note
	}
	im.outcome = append(im.outcome, outcome{it.n, "added", item})
}

// article imports one article of our wire JSON.
func (im *importer) article(it rawItem) {
	var a annotation.Article
	if err := json.Unmarshal(it.raw, &a); err != nil {
		im.refuse(it, "", annotation.ItemArticle, itemJSONError(err))
		return
	}
	if err := a.Validate(); err != nil {
		im.refuse(it, a.ID, annotation.ItemArticle, annotation.ErrorMessage(err))
		if a.ID != "" {
			im.refusedArts[a.ID] = true
		}
		return
	}
	if a.ID == "" {
		a.ID = annotation.NewID()
	}
	if a.URL != "" {
		a.URL, _ = annotation.CanonicalURL(a.URL)
	}
	a.TextHash = annotation.HashText(a.Text)
	if im.storedIDs[a.ID] {
		im.skip(it, a.ID, annotation.ItemArticle, "An article with this id is already stored.")
		return
	}
	if im.newArts[a.ID] != nil {
		im.skip(it, a.ID, annotation.ItemArticle, "An article with this id appears earlier in the file.")
		return
	}
	if id, ok := im.byURL[strings.TrimSuffix(a.URL, "/")]; ok && a.URL != "" {
		im.remap[a.ID] = id
		im.skip(it, a.ID, annotation.ItemArticle, fmt.Sprintf("The article %s has the same URL; its annotations here go to that one.", id))
		return
	}
	if id, ok := im.byHash[a.TextHash]; ok {
		im.remap[a.ID] = id
		im.skip(it, a.ID, annotation.ItemArticle, fmt.Sprintf("The article %s has the same text; its annotations here go to that one.", id))
		return
	}
	if a.Created.IsZero() {
		a.Created = im.now
	}
	if a.Updated.Before(a.Created) {
		a.Updated = a.Created
	}
	if a.Version < 1 {
		a.Version = 1
	}
	im.arts = append(im.arts, &a)
	im.newArts[a.ID] = &a
	if a.URL != "" {
		im.byURL[strings.TrimSuffix(a.URL, "/")] = a.ID
	}
	im.byHash[a.TextHash] = a.ID
	im.sums = append(im.sums, a.Summary(annotation.Counts{}))
	im.add(it, a.ID, annotation.ItemArticle)
}

// ours imports one annotation of our wire JSON.
func (im *importer) ours(ctx context.Context, it rawItem) error {
	// DecodeAnnotation reads the form claimmark writes without reflection,
	// and is json.Unmarshal for anything else (same values, same errors).
	a, err := annotation.DecodeAnnotation(it.raw)
	if err != nil {
		im.refuse(it, "", annotation.ItemAnnotation, itemJSONError(err))
		return nil
	}
	return im.annotation(ctx, it, a)
}

// w3c imports one annotation in the W3C model.
func (im *importer) w3c(ctx context.Context, it rawItem) error {
	v, err := decodeJSON(it.raw)
	m, ok := v.(map[string]any)
	if err != nil || !ok {
		im.refuse(it, "", annotation.ItemAnnotation, "This is not a JSON object.")
		return nil
	}
	if id := str(clKey(m, "articleId")); im.refusedArts[id] {
		im.refuse(it, str(key(m, "id", "@id")), annotation.ItemAnnotation, fmt.Sprintf("Its article %s was refused.", id))
		return nil
	}
	a, err := fromW3C(ctx, m, im)
	var e *annotation.Error
	if errors.Is(err, errNoKind) {
		im.skip(it, str(key(m, "id", "@id")), annotation.ItemAnnotation,
			"It has no claim, denial or proposal tag: claimmark keeps statements only. Tag it in the other tool to bring it in.")
		return nil
	}
	if errors.As(err, &e) {
		im.refuse(it, str(key(m, "id", "@id")), annotation.ItemAnnotation, e.Message)
		return nil
	} else if err != nil {
		return err
	}
	a.Relations = append(a.Relations, im.linksOf(a.ID)...)
	return im.annotation(ctx, it, a)
}

// annotation checks a against its article and the annotations already
// there, and adds, skips or refuses it. It returns only errors of the store.
func (im *importer) annotation(ctx context.Context, it rawItem, a *annotation.Annotation) error {
	if to, ok := im.remap[a.ArticleID]; ok {
		a.ArticleID = to
	}
	if im.refusedArts[a.ArticleID] {
		im.refuse(it, a.ID, annotation.ItemAnnotation, fmt.Sprintf("Its article %s was refused.", a.ArticleID))
		return nil
	}
	var text string
	if annotation.ValidID(a.ArticleID) {
		art, err := im.Article(ctx, a.ArticleID)
		switch {
		case annotation.ErrorCode(err) == annotation.NotFound:
			im.refuse(it, a.ID, annotation.ItemAnnotation, fmt.Sprintf("Its article %s is neither stored nor in this file.", a.ArticleID))
			return nil
		case err != nil:
			return err
		}
		text = art.Text
	}
	if err := settle(a, text); err != nil {
		im.refuse(it, a.ID, annotation.ItemAnnotation, annotation.ErrorMessage(err))
		return nil
	}
	if im.opt.Ratings != nil {
		if err := im.opt.Ratings.Check(a.Rating); err != nil {
			im.refuse(it, a.ID, annotation.ItemAnnotation, annotation.ErrorMessage(err))
			return nil
		}
	}
	if prev := im.newAnnByID[a.ID]; prev != nil {
		if sameContent(prev, a) {
			im.skip(it, a.ID, annotation.ItemAnnotation, "It appears earlier in the file.")
		} else {
			im.refuse(it, a.ID, annotation.ItemAnnotation, fmt.Sprintf("The id %s appears earlier in the file with different content.", a.ID))
		}
		return nil
	}
	stored, err := im.st.Annotation(ctx, a.ID)
	switch {
	case err == nil && sameContent(stored, a):
		im.skip(it, a.ID, annotation.ItemAnnotation, "It is already stored.")
		return nil
	case err == nil:
		im.refuse(it, a.ID, annotation.ItemAnnotation, fmt.Sprintf("An annotation with id %s is already stored with different content; importing would overwrite it. Delete the stored one or give this one a new id.", a.ID))
		return nil
	case annotation.ErrorCode(err) != annotation.NotFound:
		return err
	}
	places, err := im.placesOf(ctx, a.ArticleID)
	if err != nil {
		return err
	}
	pk := placeKey{a.Kind, a.Target.Position}
	if other, ok := places[pk]; ok {
		where := "already stored"
		if im.newAnnByID[other] != nil {
			where = "earlier in the file"
		}
		im.skip(it, a.ID, annotation.ItemAnnotation, fmt.Sprintf("The same %s at %d–%d is %s as annotation %s.",
			a.Kind, a.Target.Position.Start, a.Target.Position.End, where, other))
		return nil
	}
	if a.Created.IsZero() {
		a.Created = im.now
	}
	if a.Modified.Before(a.Created) {
		a.Modified = a.Created
	}
	if a.Revision < 1 {
		a.Revision = 1
	}
	im.anns = append(im.anns, a)
	im.newAnnByID[a.ID] = a
	places[pk] = a.ID
	im.addNoting(it, a.ID, annotation.ItemAnnotation, anchoringNote(a))
	return nil
}

// settle cleans and validates a against text, its article's current text.
// An annotation that says it is not anchored (needs_review or orphaned,
// from another tool or an older export) is validated and re-anchored as a
// store will when it imports it (anchor.Resolve), so that the report
// tells what the store will hold.
func settle(a *annotation.Annotation, text string) error {
	if a.Anchoring == nil || a.Anchoring.Status == annotation.Anchored || text == "" {
		a.Clean(text)
		return a.Validate(text)
	}
	return anchor.Resolve(a, text, annotation.HashText(text), noEarlierText, true)
}

// anchoringNote says, for the report, that an added annotation is not
// anchored in its article's text; "" when it is.
func anchoringNote(a *annotation.Annotation) string {
	switch an := a.Anchoring; {
	case an == nil:
		return ""
	case an.Status == annotation.NeedsReview:
		return fmt.Sprintf("Needs review: the quote %q is not in the article as written; a likely place was found (match %.0f%%). Confirm or move it in the reader.", short(a.Target.Quote.Exact), an.Score*100)
	case an.Status == annotation.Orphaned:
		return fmt.Sprintf("Orphaned: the quote %q was not found in the article; it is kept with its note for a person to place or delete.", short(a.Target.Quote.Exact))
	}
	return ""
}

// placeKey is what makes two annotations of one article the same.
type placeKey struct {
	kind annotation.Kind
	pos  annotation.Position
}

// placesOf returns the annotations of an article, stored and new, by kind
// and position.
func (im *importer) placesOf(ctx context.Context, articleID string) (map[placeKey]string, error) {
	if places, ok := im.places[articleID]; ok {
		return places, nil
	}
	places := map[placeKey]string{}
	if im.storedIDs[articleID] {
		anns, err := im.st.Annotations(ctx, articleID)
		if err != nil && annotation.ErrorCode(err) != annotation.NotFound {
			return nil, err
		}
		for _, b := range anns {
			places[placeKey{b.Kind, b.Target.Position}] = b.ID
		}
	}
	im.places[articleID] = places
	return places, nil
}

// sameContent reports whether a and b say the same thing about the same
// passage; timestamps, revisions and context do not count.
func sameContent(a, b *annotation.Annotation) bool {
	return a.ArticleID == b.ArticleID && a.Kind == b.Kind && a.Target.Position == b.Target.Position &&
		a.Target.Quote.Exact == b.Target.Quote.Exact && a.Speaker == b.Speaker && a.Note == b.Note &&
		slices.Equal(a.Tags, b.Tags) && slices.Equal(a.Relations, b.Relations) && sameRating(a.Rating, b.Rating)
}

// sameRating reports whether a and b are both nil or hold the same verdict.
func sameRating(a, b *annotation.Rating) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Label == b.Label && a.Value == b.Value && a.Note == b.Note && a.URL == b.URL && a.Date.Equal(b.Date)
}

// Articles implements ArticleSource: the stored articles and the new ones.
func (im *importer) Articles(context.Context) ([]annotation.ArticleSummary, error) {
	return im.sums, nil
}

// Article implements ArticleSource. An id of the input that was skipped as
// a duplicate gives the stored article.
func (im *importer) Article(ctx context.Context, id string) (*annotation.Article, error) {
	if to, ok := im.remap[id]; ok {
		id = to
	}
	if a := im.newArts[id]; a != nil {
		return a, nil
	}
	if a := im.cache[id]; a != nil {
		return a, nil
	}
	if !im.storedIDs[id] {
		return nil, annotation.Errorf(annotation.NotFound, "Article %s not found.", id)
	}
	a, err := im.st.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	im.cache[id] = a
	return a, nil
}

// speakerItem is a speaker identity of the input and where it was.
type speakerItem struct {
	rawItem
	s *annotation.Speaker
}

// speaker reads one speaker identity of our JSONL (line "type":
// "speaker"); putSpeakers stores it.
func (im *importer) speaker(it rawItem, id string) {
	var s annotation.Speaker
	if err := json.Unmarshal(it.raw, &s); err != nil {
		im.refuse(it, id, annotation.ItemSpeaker, itemJSONError(err))
		return
	}
	in, err := annotation.PrepareSpeaker(&s)
	if err != nil {
		im.refuse(it, s.ID, annotation.ItemSpeaker, annotation.ErrorMessage(err))
		return
	}
	im.speakers = append(im.speakers, speakerItem{it, &in})
}

// refused reports whether an item has been refused so far.
func (im *importer) refused() bool {
	return slices.ContainsFunc(im.outcome, func(o outcome) bool { return o.what == "refused" })
}

// putSpeakers stores the speaker identities of the input, before the
// annotations that name them (which then keep their speakerId), each one
// created or replaced by id. They are not part of the all-or-nothing
// Store.Import: if that fails afterwards, the identities stay, and an
// import again puts them again. An identity whose name or alias belongs
// to another stored speaker is skipped: annotations that name it link to
// that speaker by name. A store without identities skips them all.
func (im *importer) putSpeakers(ctx context.Context) error {
	if len(im.speakers) == 0 {
		return nil
	}
	sp, ok := im.opt.Speakers, im.opt.Speakers != nil
	if !ok {
		sp, ok = im.st.(annotation.SpeakerStore)
	}
	for _, it := range im.speakers {
		if !ok {
			im.skip(it.rawItem, it.s.ID, annotation.ItemSpeaker, "This library keeps no speaker identities; annotations keep the speaker as text.")
			continue
		}
		if old, err := sp.Speaker(ctx, it.s.ID); err == nil && sameSpeaker(old, it.s) {
			im.skip(it.rawItem, it.s.ID, annotation.ItemSpeaker, "This speaker is already stored.")
			continue
		}
		_, err := sp.PutSpeaker(ctx, it.s, "")
		switch code := annotation.ErrorCode(err); {
		case err == nil:
			im.add(it.rawItem, it.s.ID, annotation.ItemSpeaker)
		case code == annotation.Conflict || code == annotation.NotFound:
			im.skip(it.rawItem, it.s.ID, annotation.ItemSpeaker, annotation.ErrorMessage(err))
		default:
			return err
		}
	}
	return nil
}

// sameSpeaker reports whether a and b say the same of a speaker: all but
// the timestamps and the revision are equal.
func sameSpeaker(a, b *annotation.Speaker) bool {
	return a.ID == b.ID && a.Name == b.Name && slices.Equal(a.Aliases, b.Aliases) && a.Kind == b.Kind &&
		a.Description == b.Description && a.SameAs == b.SameAs
}
