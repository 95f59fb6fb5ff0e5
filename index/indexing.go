package index

import (
	"context"

	"claimmark/internal/annotation"
)

// Indexing returns an annotation.Store that writes to st and makes ix
// index the write, so that a search made after a write has returned
// reflects it. Reads go to st unchanged. Annotation writes (PutAnnotation,
// DeleteAnnotation) return once st has committed them: ix applies them
// in batches, and a search waits for those not yet applied (lazy.go).
// Other writes (articles, speakers, Import) wait for ix (ix.Sync).
//
// If the write succeeds but the sync fails (or ctx ends while waiting),
// the write method still returns nil: the write is durable in st, which
// is the source of truth, and the index applies it on its next pass or at
// the next Open (from the change log). Reporting an error would make
// clients retry a write that has already happened. The failure is logged.
//
// ix must follow st (be opened over st), and writes to st should go
// through the returned Store while ix is open: article writes keep ix's
// cache of article titles current (the store logs a change for every
// annotation of an article whose title changes, so the sync re-indexes
// them with the new title).
func Indexing(st annotation.Store, ix *Index) annotation.Store {
	return &indexingStore{Store: st, ix: ix}
}

type indexingStore struct {
	annotation.Store
	ix *Index
}

// sync waits for the index after a successful write to the store.
func (s *indexingStore) sync(ctx context.Context, op string) {
	if err := s.ix.Sync(ctx); err != nil {
		s.ix.log.Warn("index: the write is stored but not yet searchable; the index will catch up", "op", op, "err", err)
	}
}

// ArticleGroup forwards to the store's annotation.ArticleGrouper, or
// reads the whole article from a store without one.
func (s *indexingStore) ArticleGroup(ctx context.Context, id string) (string, error) {
	return annotation.ArticleGroup(ctx, s.Store, id)
}

func (s *indexingStore) CreateArticle(ctx context.Context, a *annotation.Article) (string, error) {
	existing, err := s.Store.CreateArticle(ctx, a)
	if err != nil {
		return existing, err
	}
	s.ix.titles.set(a.ID, a.Title)
	s.sync(ctx, "create article")
	return existing, nil
}

func (s *indexingStore) UpdateArticle(ctx context.Context, a *annotation.Article) error {
	if err := s.Store.UpdateArticle(ctx, a); err != nil {
		return err
	}
	s.ix.titles.set(a.ID, a.Title) // before the sync, which re-indexes the article's annotations
	s.sync(ctx, "update article")
	return nil
}

func (s *indexingStore) DeleteArticle(ctx context.Context, id string) error {
	if err := s.Store.DeleteArticle(ctx, id); err != nil {
		return err
	}
	s.sync(ctx, "delete article")
	s.ix.titles.forget(id)
	return nil
}

func (s *indexingStore) PutAnnotation(ctx context.Context, a *annotation.Annotation, ifMatch string) (bool, error) {
	return s.put(ctx, a, func(ctx context.Context) (bool, error) { return s.Store.PutAnnotation(ctx, a, ifMatch) })
}

// PutAnnotationChecked runs check inside st's write when st is an
// annotation.CheckedPutter (see annotation.PutChecked).
func (s *indexingStore) PutAnnotationChecked(ctx context.Context, a *annotation.Annotation, ifMatch string, check annotation.WriteCheck) (bool, error) {
	return s.put(ctx, a, func(ctx context.Context) (bool, error) { return annotation.PutChecked(ctx, s.Store, a, ifMatch, check) })
}

// put runs save, which stores a and sets it to what was stored, and
// notes the write. The change-log position the store reports for the
// commit (annotation.NoteLogPosition) is noted in ctx too, and when the
// save succeeded a copy of the stored annotation is handed to the index
// with it (handed.go).
func (s *indexingStore) put(ctx context.Context, a *annotation.Annotation, save func(context.Context) (bool, error)) (bool, error) {
	inner, pos := annotation.WithLogPosition(ctx)
	created, err := save(inner)
	seq := pos.Seq()
	annotation.NoteLogPosition(ctx, seq) // a commit can precede an error
	if err != nil {
		return created, err
	}
	if seq > 0 {
		s.ix.hand(a, seq)
	}
	s.ix.noteWrite(ctx)
	return created, nil
}

// DeleteAnnotationChecked runs check inside st's deletion when st is an
// annotation.CheckedDeleter (see annotation.DeleteChecked).
func (s *indexingStore) DeleteAnnotationChecked(ctx context.Context, id, ifMatch string, check func(old *annotation.Annotation) error) error {
	if err := annotation.DeleteChecked(ctx, s.Store, id, ifMatch, check); err != nil {
		return err
	}
	s.ix.noteWrite(ctx)
	return nil
}

func (s *indexingStore) DeleteAnnotation(ctx context.Context, id, ifMatch string) error {
	if err := s.Store.DeleteAnnotation(ctx, id, ifMatch); err != nil {
		return err
	}
	s.ix.noteWrite(ctx)
	return nil
}

// Import indexes what st committed without reading it back when st is
// an annotation.ImportCommitter (imported.go), and otherwise waits for a
// sync pass.
func (s *indexingStore) Import(ctx context.Context, articles []*annotation.Article, annotations []*annotation.Annotation) error {
	ic, ok := s.Store.(annotation.ImportCommitter)
	if !ok {
		if err := s.Store.Import(ctx, articles, annotations); err != nil {
			return err
		}
		s.forgetTitles(articles)
		s.sync(ctx, "import")
		return nil
	}
	var c *annotation.ImportCommit
	if err := ic.ImportCommitted(ctx, articles, annotations, func(ic *annotation.ImportCommit) { c = ic }); err != nil {
		return err
	}
	s.imported(ctx, articles, c)
	return nil
}

// ImportChecked runs check inside st's import when st is an
// annotation.CheckedImporter, and indexes what it committed as Import
// does; committed, unless nil, is then called with it. Over another
// Store, check runs on reads made before the import
// (annotation.PrecheckImport) and committed is not called.
func (s *indexingStore) ImportChecked(ctx context.Context, articles []*annotation.Article, annotations []*annotation.Annotation, check annotation.WriteCheck, committed func(*annotation.ImportCommit)) error {
	ci, ok := s.Store.(annotation.CheckedImporter)
	if !ok {
		if err := annotation.PrecheckImport(ctx, s.Store, articles, annotations, check); err != nil {
			return err
		}
		return s.Import(ctx, articles, annotations)
	}
	var c *annotation.ImportCommit
	if err := ci.ImportChecked(ctx, articles, annotations, check, func(ic *annotation.ImportCommit) { c = ic }); err != nil {
		return err
	}
	s.imported(ctx, articles, c)
	if c != nil && committed != nil {
		committed(c)
	}
	return nil
}

// imported indexes c, what an import of articles committed; nil when the
// store did not hand it back (a CheckedImporter that is not an
// ImportCommitter), and then the index syncs from the change log.
func (s *indexingStore) imported(ctx context.Context, articles []*annotation.Article, c *annotation.ImportCommit) {
	s.forgetTitles(articles)
	if c == nil {
		s.sync(ctx, "import")
		return
	}
	if err := s.ix.applyImport(ctx, c); err != nil {
		s.ix.log.Warn("index: indexing the import failed; a sync pass applies it from the change log", "err", err)
		s.sync(ctx, "import")
	}
}

// forgetTitles drops the cached titles of articles: the store cleans
// titles, so the index reads back what it kept.
func (s *indexingStore) forgetTitles(articles []*annotation.Article) {
	for _, a := range articles {
		s.ix.titles.forget(a.ID)
	}
}

// The speaker methods below make the Store returned by Indexing an
// annotation.SpeakerStore when st is one; otherwise they fail with
// NotFound. Writes wait for the index, which re-indexes the annotations
// the store logged (those of a renamed or merged speaker).

var (
	_ annotation.SpeakerStore    = (*indexingStore)(nil)
	_ annotation.CheckedPutter   = (*indexingStore)(nil)
	_ annotation.CheckedDeleter  = (*indexingStore)(nil)
	_ annotation.CheckedImporter = (*indexingStore)(nil)
)

// speakers returns the wrapped store's speaker methods.
func (s *indexingStore) speakers() (annotation.SpeakerStore, error) {
	sp, ok := s.Store.(annotation.SpeakerStore)
	if !ok {
		return nil, annotation.Errorf(annotation.NotFound, "This library keeps no speaker identities.")
	}
	return sp, nil
}

func (s *indexingStore) Speakers(ctx context.Context, q string) ([]annotation.SpeakerSummary, error) {
	sp, err := s.speakers()
	if err != nil {
		return nil, err
	}
	return sp.Speakers(ctx, q)
}

func (s *indexingStore) Speaker(ctx context.Context, id string) (*annotation.Speaker, error) {
	sp, err := s.speakers()
	if err != nil {
		return nil, err
	}
	return sp.Speaker(ctx, id)
}

func (s *indexingStore) PutSpeaker(ctx context.Context, v *annotation.Speaker, ifMatch string) (bool, error) {
	sp, err := s.speakers()
	if err != nil {
		return false, err
	}
	created, err := sp.PutSpeaker(ctx, v, ifMatch)
	if err != nil {
		return created, err
	}
	s.sync(ctx, "put speaker")
	return created, nil
}

func (s *indexingStore) DeleteSpeaker(ctx context.Context, id, ifMatch string) error {
	sp, err := s.speakers()
	if err != nil {
		return err
	}
	return sp.DeleteSpeaker(ctx, id, ifMatch) // only speakers without annotations: nothing to re-index
}

func (s *indexingStore) MergeSpeakers(ctx context.Context, from, into string) (*annotation.Speaker, error) {
	sp, err := s.speakers()
	if err != nil {
		return nil, err
	}
	out, err := sp.MergeSpeakers(ctx, from, into)
	if err != nil {
		return nil, err
	}
	s.sync(ctx, "merge speakers")
	return out, nil
}
