package storetest

import (
	"context"
	"testing"

	"claimmark/internal/annotation"
)

var logPositionCases = []testCase{
	{"a write notes its last change-log number in its context", func(t *testing.T, st annotation.Store) {
		art := mustCreate(t, st, newArticle("position"))
		steps := []struct {
			name  string
			write func(ctx context.Context) error
			logs  bool // the write appends to the change log
		}{
			{"put", func(ctx context.Context) error {
				_, err := st.PutAnnotation(ctx, newAnnotation(t, art, annotation.Claim, "the talks"), "")
				return err
			}, true},
			{"a put refused by If-Match", func(ctx context.Context) error {
				_, err := st.PutAnnotation(ctx, newAnnotation(t, art, annotation.Claim, "the talks"), "*")
				wantCode(t, "PutAnnotation with If-Match * of a new id", err, annotation.PreconditionFailed)
				return nil
			}, false},
			{"an article without annotations", func(ctx context.Context) error {
				_, err := st.CreateArticle(ctx, newArticle("position 2"))
				return err
			}, false},
			{"an article's new title", func(ctx context.Context) error {
				a := mustArticle(t, st, art.ID)
				a.Title = "Renamed for the position"
				return st.UpdateArticle(ctx, a)
			}, true},
			{"import", func(ctx context.Context) error {
				in := importable("position-3")
				return st.Import(ctx, []*annotation.Article{in}, []*annotation.Annotation{
					importableAnnotation(t, in, annotation.Claim, "the talks"),
					importableAnnotation(t, in, annotation.Denial, "denied any deal"),
				})
			}, true},
			{"delete", func(ctx context.Context) error {
				anns, err := st.Annotations(ctx, art.ID)
				if err != nil || len(anns) == 0 {
					t.Fatalf("Annotations = %d, %v", len(anns), err)
				}
				return st.DeleteAnnotation(ctx, anns[0].ID, "")
			}, true},
		}
		for _, s := range steps {
			before := lastSeq(t, st)
			ctx, pos := annotation.WithLogPosition(context.Background())
			if err := s.write(ctx); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			want := uint64(0)
			if s.logs {
				want = lastSeq(t, st)
				if want <= before {
					t.Fatalf("%s logged nothing (last %d before and after)", s.name, before)
				}
			}
			if got := pos.Seq(); got != want {
				t.Errorf("%s: LogPosition.Seq() = %d, want %d (the log's last number before was %d)", s.name, got, want, before)
			}
		}
		// A context without a LogPosition is fine.
		mustPut(t, st, newAnnotation(t, art, annotation.Proposal, "ceasefire by Friday"))
	}},
}
