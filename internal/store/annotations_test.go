package store_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"claimmark/internal/annotation"
)

func TestPutAnnotationCreateAndReplace(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("put"))

	a := newAnnotation(t, art, annotation.Claim, "“productive”")
	a.Speaker = "  Zélie   Côté "
	a.Tags = []string{" talks ", "Talks", "", "ceasefire"}
	a.Revision = 7 // ignored for a new annotation
	created, err := db.PutAnnotation(ctx, a, "")
	if err != nil || !created {
		t.Fatalf("PutAnnotation(new) = %v, %v; want true, nil", created, err)
	}
	if a.Revision != 1 || a.Created.IsZero() || !a.Modified.Equal(a.Created) {
		t.Errorf("new annotation: revision %d, created %v, modified %v; want 1 and created == modified",
			a.Revision, a.Created, a.Modified)
	}
	if a.Speaker != "Zélie Côté" || !reflect.DeepEqual(a.Tags, []string{"talks", "ceasefire"}) {
		t.Errorf("not cleaned: speaker %q, tags %q", a.Speaker, a.Tags)
	}
	if a.Target.Quote.Prefix != "Zélie Côté said the talks were " || a.Target.Quote.Suffix == "" {
		t.Errorf("context not filled: prefix %q, suffix %q", a.Target.Quote.Prefix, a.Target.Quote.Suffix)
	}
	got, err := db.Annotation(ctx, a.ID)
	if err != nil || !reflect.DeepEqual(got, a) {
		t.Errorf("Annotation = %+v, %v; want what PutAnnotation wrote back: %+v", got, err, a)
	}

	first := *a
	a.Note = "They said it twice."
	a.Created = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC) // ignored for a replace
	a.Revision = 1
	created, err = db.PutAnnotation(ctx, a, "")
	if err != nil || created {
		t.Fatalf("PutAnnotation(replace) = %v, %v; want false, nil", created, err)
	}
	if a.Revision != 2 || !a.Created.Equal(first.Created) || !a.Modified.After(first.Modified) {
		t.Errorf("replace: revision %d, created %v, modified %v; want 2, %v, after %v",
			a.Revision, a.Created, a.Modified, first.Created, first.Modified)
	}
	if got, _ := db.Annotation(ctx, a.ID); !reflect.DeepEqual(got, a) {
		t.Errorf("Annotation after replace = %+v, want %+v", got, a)
	}
	_, err = db.Annotation(ctx, "missing")
	wantCode(t, "Annotation(missing)", err, annotation.NotFound)
}

func TestPutAnnotationCreated(t *testing.T) {
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("created"))
	past := time.Date(2024, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name    string
		created time.Time
		keep    bool // the client's Created is kept
	}{
		{"made offline earlier", past, true},
		{"zero", time.Time{}, false},
		{"in the future", time.Now().AddDate(10, 0, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAnnotation(t, art, annotation.Claim, "“productive”")
			a.Created = tt.created
			mustPut(t, db, a)
			if tt.keep && !a.Created.Equal(tt.created) {
				t.Errorf("Created = %v, want the client's %v", a.Created, tt.created)
			}
			if !tt.keep && !a.Created.Equal(a.Modified) {
				t.Errorf("Created = %v, want the save time %v", a.Created, a.Modified)
			}
			if a.Created.Location() != time.UTC {
				t.Errorf("Created is in %v, want UTC", a.Created.Location())
			}
		})
	}
}

func TestPutAnnotationIfMatch(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("ifmatch"))
	tests := []struct {
		name     string
		missing  bool   // put a new id instead of the stored annotation at revision 2
		same     bool   // send the stored content unchanged
		ifMatch  string // sent with the put
		code     string
		revision int // stored revision afterwards
	}{
		{name: "no If-Match", ifMatch: "", revision: 3},
		{name: "current", ifMatch: `"2"`, revision: 3},
		{name: "current in a list", ifMatch: `"1", "2"`, revision: 3},
		{name: "star on existing", ifMatch: "*", revision: 3},
		{name: "stale", ifMatch: `"1"`, code: annotation.PreconditionFailed, revision: 2},
		{name: "weak tag never matches", ifMatch: `W/"2"`, code: annotation.PreconditionFailed, revision: 2},
		{name: "garbage", ifMatch: "nonsense", code: annotation.PreconditionFailed, revision: 2},
		{name: "stale but already applied", ifMatch: `"1"`, same: true, revision: 2},
		{name: "star on missing", missing: true, ifMatch: "*", code: annotation.PreconditionFailed},
		{name: "tag on missing", missing: true, ifMatch: `"1"`, code: annotation.PreconditionFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stored := mustPut(t, db, newAnnotation(t, art, annotation.Denial, "denied any deal"))
			stored.Note = "revision two"
			mustPut(t, db, stored)
			before := snapshot(t, db)

			a := cloneOf(stored)
			if tt.missing {
				a.ID = annotation.NewID()
			}
			if !tt.same {
				a.Note = "edited by " + tt.name
			}
			created, err := db.PutAnnotation(ctx, a, tt.ifMatch)
			wantCode(t, fmt.Sprintf("PutAnnotation(If-Match %s)", tt.ifMatch), err, tt.code)
			if created {
				t.Errorf("created = true, want false")
			}
			if tt.code != "" {
				if after := snapshot(t, db); after != before {
					t.Errorf("a failed conditional put changed the store")
				}
				if !tt.missing && !strings.Contains(annotation.ErrorMessage(err), "now revision 2") {
					t.Errorf("message %q does not give the current revision", annotation.ErrorMessage(err))
				}
			}
			if tt.same && !reflect.DeepEqual(a, stored) {
				t.Errorf("an already applied put wrote back %+v, want the stored %+v", a, stored)
			}
			if tt.same && snapshot(t, db) != before {
				t.Errorf("an already applied put changed the store")
			}
			got, err := db.Annotation(ctx, a.ID)
			if tt.missing {
				wantCode(t, "Annotation after refused create", err, annotation.NotFound)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Revision != tt.revision {
				t.Errorf("stored revision %d, want %d", got.Revision, tt.revision)
			}
		})
	}
}

func TestDeleteAnnotation(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("del-ann"))
	tests := []struct {
		name    string
		id      string // "" means the stored annotation (at revision 2)
		ifMatch string
		code    string
	}{
		{name: "unconditional"},
		{name: "current tag", ifMatch: `"2"`},
		{name: "star", ifMatch: "*"},
		{name: "stale tag", ifMatch: `"1"`, code: annotation.PreconditionFailed},
		{name: "missing", id: "no-such-annotation", code: annotation.NotFound},
		{name: "missing with star", id: "no-such-annotation", ifMatch: "*", code: annotation.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustPut(t, db, newAnnotation(t, art, annotation.Proposal, "proposed a ceasefire"))
			mustPut(t, db, a)
			id := cmp.Or(tt.id, a.ID)
			before := snapshot(t, db)
			err := db.DeleteAnnotation(ctx, id, tt.ifMatch)
			wantCode(t, "DeleteAnnotation", err, tt.code)
			_, getErr := db.Annotation(ctx, a.ID)
			if tt.code == "" {
				wantCode(t, "Annotation after delete", getErr, annotation.NotFound)
				return
			}
			if getErr != nil {
				t.Errorf("a refused delete removed the annotation: %v", getErr)
			}
			if snapshot(t, db) != before {
				t.Errorf("a refused delete changed the store")
			}
		})
	}
}

func TestPutAnnotationInvalidChangesNothing(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("invalid"))
	mustPut(t, db, newAnnotation(t, art, annotation.Claim, "“productive”"))
	before := snapshot(t, db)
	n := annotation.RuneLen(art.Text)
	tests := []struct {
		name   string
		modify func(a *annotation.Annotation)
		code   string
		says   string
	}{
		{"unknown article", func(a *annotation.Annotation) { a.ArticleID = "gone" }, annotation.NotFound, `The article "gone" does not exist`},
		{"no article id", func(a *annotation.Annotation) { a.ArticleID = "" }, annotation.Invalid, "articleId"},
		{"bad id", func(a *annotation.Annotation) { a.ID = "a b" }, annotation.Invalid, "not valid"},
		{"unknown kind", func(a *annotation.Annotation) { a.Kind = "rumour" }, annotation.Invalid, "Unknown kind"},
		{"empty quote", func(a *annotation.Annotation) { a.Target.Quote.Exact = "" }, annotation.Invalid, "empty"},
		{"quote differs", func(a *annotation.Annotation) { a.Target.Quote.Exact = "“unproductive”" }, annotation.Invalid, "does not match"},
		{"end past text", func(a *annotation.Annotation) { a.Target.Position.End = n + 1 }, annotation.Invalid, "past the article text"},
		{"negative start", func(a *annotation.Annotation) { a.Target.Position.Start = -1 }, annotation.Invalid, "not a range"},
		{"broken UTF-8", func(a *annotation.Annotation) { a.Note = "caf\xe9" }, annotation.Invalid, "UTF-8"},
		{"note too long", func(a *annotation.Annotation) { a.Note = strings.Repeat("ü", annotation.MaxNoteChars+1) }, annotation.TooLarge, "limit"},
		{"too many tags", func(a *annotation.Annotation) {
			for i := range annotation.MaxTags + 1 {
				a.Tags = append(a.Tags, fmt.Sprint("t", i))
			}
		}, annotation.TooLarge, "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAnnotation(t, art, annotation.Denial, "denied any deal")
			tt.modify(a)
			orig := cloneOf(a)
			created, err := db.PutAnnotation(ctx, a, "")
			wantCode(t, "PutAnnotation", err, tt.code)
			if created {
				t.Error("created = true for a refused put")
			}
			if msg := annotation.ErrorMessage(err); !strings.Contains(msg, tt.says) {
				t.Errorf("message %q does not say %q", msg, tt.says)
			}
			if !reflect.DeepEqual(a, orig) {
				t.Errorf("a refused put modified its argument:\n%+v\nwas\n%+v", a, orig)
			}
			if snapshot(t, db) != before {
				t.Errorf("a refused put changed the store")
			}
		})
	}
	_, err := db.PutAnnotation(ctx, nil, "")
	wantCode(t, "PutAnnotation(nil)", err, annotation.Invalid)
}

func TestPositionsCountCodePoints(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("emoji"))
	text := art.Text
	tests := []struct {
		exact string
	}{
		{"🤝🏽"},                 // two astral code points: 4 UTF-16 units, 8 bytes
		{"Zélie Côté"},         // at the start, accented
		{"🙅: “There is no"},    // emoji then curly quote
		{"Zoë proposed a cea"}, // after several astral code points
	}
	for _, tt := range tests {
		t.Run(tt.exact, func(t *testing.T) {
			byteStart := strings.Index(text, tt.exact)
			start := annotation.RuneLen(text[:byteStart])
			end := start + annotation.RuneLen(tt.exact)
			u16Start := annotation.RunesToUTF16(text, start)
			u16End := annotation.RunesToUTF16(text, end)
			offsets := []struct {
				name       string
				start, end int
				ok         bool
			}{
				{"code points", start, end, true},
				{"bytes", byteStart, byteStart + len(tt.exact), start == byteStart && len(tt.exact) == annotation.RuneLen(tt.exact)},
				{"UTF-16 units", u16Start, u16End, u16Start == start && u16End == end},
			}
			for _, o := range offsets {
				a := newAnnotation(t, art, annotation.Claim, tt.exact)
				a.Target.Position = annotation.Position{Start: o.start, End: o.end}
				_, err := db.PutAnnotation(ctx, a, "")
				if !o.ok {
					wantCode(t, "offsets in "+o.name, err, annotation.Invalid)
					continue
				}
				wantCode(t, "offsets in "+o.name, err, "")
				got, err := db.Annotation(ctx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				q := got.Target.Quote
				if q.Exact != tt.exact || !utf8.ValidString(q.Prefix) || !utf8.ValidString(q.Suffix) {
					t.Errorf("stored quote %+v, want exact %q with valid UTF-8 context", q, tt.exact)
				}
				if want := text[:byteStart] + tt.exact; !strings.HasSuffix(want, q.Prefix+q.Exact) {
					t.Errorf("prefix %q does not end where the quote starts", q.Prefix)
				}
				if !strings.HasPrefix(text[byteStart+len(tt.exact):], q.Suffix) {
					t.Errorf("suffix %q does not follow the quote", q.Suffix)
				}
			}
		})
	}
	// The byte and UTF-16 offsets of the emoji really differ from code points.
	i := strings.Index(text, "🤝🏽")
	if cp := annotation.RuneLen(text[:i]); cp == i || annotation.RunesToUTF16(text, cp+2) == cp+2 {
		t.Fatalf("sample text does not tell offsets apart")
	}
}

func TestAnnotationsOrderedByPosition(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("order"))
	other := mustCreate(t, db, newArticle("order-other"))
	mustPut(t, db, newAnnotation(t, other, annotation.Claim, "Zélie"))
	quotes := []string{"proposed a ceasefire", "Zélie Côté said", "Zélie", "denied any deal", "Zélie"}
	for _, q := range quotes {
		mustPut(t, db, newAnnotation(t, art, annotation.Claim, q))
	}
	list, err := db.Annotations(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(quotes) {
		t.Fatalf("Annotations listed %d, want %d", len(list), len(quotes))
	}
	for i := 1; i < len(list); i++ {
		p, q := list[i-1], list[i]
		pp, qp := p.Target.Position, q.Target.Position
		if pp.Start > qp.Start || pp.Start == qp.Start && (pp.End > qp.End || pp.End == qp.End && p.ID >= q.ID) {
			t.Errorf("annotation %d (%d–%d %s) listed before %d (%d–%d %s)", i-1, pp.Start, pp.End, p.ID, i, qp.Start, qp.End, q.ID)
		}
	}
	empty := mustCreate(t, db, newArticle("order-empty"))
	if list, err := db.Annotations(ctx, empty.ID); err != nil || list == nil || len(list) != 0 {
		t.Errorf("Annotations of an article without any = %#v, %v; want an empty non-nil slice", list, err)
	}
	_, err = db.Annotations(ctx, "missing")
	wantCode(t, "Annotations(missing)", err, annotation.NotFound)
}

func TestConcurrentPutAnnotation(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("concurrent"))
	const workers, each = 16, 12
	kinds := annotation.Kinds
	var wg sync.WaitGroup
	errs := make(chan error, workers*each*2)
	saved := make([][]*annotation.Annotation, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				a := newAnnotation(t, art, kinds[(w+i)%3], "“productive”")
				a.Note = fmt.Sprintf("worker %d item %d", w, i)
				if _, err := db.PutAnnotation(ctx, a, ""); err != nil {
					errs <- err
					return
				}
				// Refused saves in the same batches make bbolt re-run the
				// others; they must leave no trace.
				bad := newAnnotation(t, art, annotation.Claim, "“productive”")
				bad.Target.Quote.Exact = "“unproductive”"
				if _, err := db.PutAnnotation(ctx, bad, ""); annotation.ErrorCode(err) != annotation.Invalid {
					errs <- fmt.Errorf("invalid put: %v, want Invalid", err)
					return
				}
				stale := cloneOf(a)
				stale.Note = "stale"
				if _, err := db.PutAnnotation(ctx, stale, annotation.ETag(a.Revision+1)); annotation.ErrorCode(err) != annotation.PreconditionFailed {
					errs <- fmt.Errorf("stale put: %v, want PreconditionFailed", err)
					return
				}
				// Replace every other one, conditionally.
				if i%2 == 0 {
					a.Note += " (edited)"
					if _, err := db.PutAnnotation(ctx, a, a.ETag()); err != nil {
						errs <- err
						return
					}
				}
				saved[w] = append(saved[w], a)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	var want annotation.Counts
	wantChanges := 0
	for w := range workers {
		for i, a := range saved[w] {
			want.Add(a.Kind, 1)
			wantRev := 1 + (i+1)%2
			wantChanges += wantRev
			got, err := db.Annotation(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Revision != wantRev || !reflect.DeepEqual(got, a) {
				t.Errorf("stored %+v, want %+v at revision %d", got, a, wantRev)
			}
		}
	}
	list, err := db.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list[0].Counts != want || want.Total() != workers*each {
		t.Errorf("counts %+v, want %+v", list[0].Counts, want)
	}
	changes, last, err := db.Changes(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != wantChanges || last != uint64(wantChanges) {
		t.Fatalf("%d changes, last %d; want %d", len(changes), last, wantChanges)
	}
	for i, c := range changes {
		if c.Seq != uint64(i+1) {
			t.Fatalf("change %d has seq %d; want contiguous sequence numbers", i, c.Seq)
		}
	}
}

func TestConcurrentIfMatchHasOneWinner(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, newArticle("race"))
	base := mustPut(t, db, newAnnotation(t, art, annotation.Claim, "“productive”"))
	const workers = 16
	results := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			a := cloneOf(base)
			a.Note = fmt.Sprint("edit by worker ", w)
			_, results[w] = db.PutAnnotation(ctx, a, base.ETag())
		})
	}
	wg.Wait()
	winner := -1
	for w, err := range results {
		switch annotation.ErrorCode(err) {
		case "":
			if winner >= 0 {
				t.Errorf("workers %d and %d both saved against revision 1", winner, w)
			}
			winner = w
		case annotation.PreconditionFailed:
		default:
			t.Errorf("worker %d: %v", w, err)
		}
	}
	if winner < 0 {
		t.Fatal("no worker saved")
	}
	got, err := db.Annotation(ctx, base.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprint("edit by worker ", winner); got.Revision != 2 || got.Note != want {
		t.Errorf("stored revision %d note %q, want 2 %q", got.Revision, got.Note, want)
	}
}

func TestCorpusArticle(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "corpus", "ceasefire-talks.txt"))
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("corpus not present:", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := MustOpen(t)
	art := mustCreate(t, db, &annotation.Article{Title: "Trump Pushes for Zelensky-Putin Talk", Text: string(data)})
	tests := []struct {
		kind    annotation.Kind
		speaker string
		exact   string
	}{
		{annotation.Claim, "Donald Trump", "he spoke with Russian President Vladimir Putin"},
		{annotation.Denial, "Yuri Ushakov", "“expressed support for the continuation of direct negotiations”"},
		{annotation.Proposal, "Volodymyr Zelensky", "he is prepared to meet with Putin “without conditions.”"},
	}
	for _, tt := range tests {
		a := newAnnotation(t, art, tt.kind, tt.exact)
		a.Speaker = tt.speaker
		mustPut(t, db, a)
	}
	list, err := db.Annotations(ctx, art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(tests) {
		t.Fatalf("%d annotations stored, want %d", len(list), len(tests))
	}
	for i, a := range list {
		if a.Target.Quote.Exact != tests[i].exact || a.Speaker != tests[i].speaker {
			t.Errorf("annotation %d = %q by %q, want %q by %q", i, a.Target.Quote.Exact, a.Speaker, tests[i].exact, tests[i].speaker)
		}
		if got, _ := annotation.Slice(art.Text, a.Target.Position.Start, a.Target.Position.End); got != a.Target.Quote.Exact {
			t.Errorf("text at %d–%d is %q, not the quote", a.Target.Position.Start, a.Target.Position.End, got)
		}
	}
}

// cloneOf returns a deep copy of a.
func cloneOf(a *annotation.Annotation) *annotation.Annotation {
	c := *a
	c.Tags = append([]string(nil), a.Tags...)
	return &c
}
