package app

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

// twoStepAPI is a fakeAPI that also fetches annotations in two steps
// (annotationsFetcher), recording each call.
type twoStepAPI struct {
	*fakeAPI
	calls []string
}

func (f *twoStepAPI) Annotations(ctx context.Context, id string) ([]*annotation.Annotation, error) {
	f.mu.Lock()
	f.calls = append(f.calls, "Annotations "+id)
	f.mu.Unlock()
	return f.fakeAPI.Annotations(ctx, id)
}

func (f *twoStepAPI) AnnotationsData(ctx context.Context, id string) ([]byte, error) {
	list, _ := f.fakeAPI.Annotations(ctx, id)
	f.mu.Lock()
	f.calls = append(f.calls, "AnnotationsData "+id)
	f.mu.Unlock()
	return json.Marshal(list)
}

func (f *twoStepAPI) DecodeAnnotations(id string, data []byte) ([]*annotation.Annotation, error) {
	f.mu.Lock()
	f.calls = append(f.calls, "DecodeAnnotations "+id)
	f.mu.Unlock()
	var list []*annotation.Annotation
	return list, json.Unmarshal(data, &list)
}

// TestPrefetchAnnotations checks that the annotations requested by
// prefetch serve the reader's first request for that article only, and
// are decoded only when asked for.
func TestPrefetchAnnotations(t *testing.T) {
	ctx := t.Context()
	newSession := func() (*session, *twoStepAPI) {
		f := &twoStepAPI{fakeAPI: newFakeAPI()}
		for _, id := range []string{"a1", "b2"} {
			f.arts[id] = &annotation.Article{ID: id, Title: id, Text: "Some text."}
		}
		f.anns["x"] = &annotation.Annotation{ID: "x", ArticleID: "a1", Kind: annotation.Claim}
		return &session{api: f}, f
	}

	t.Run("the prefetched article's first list comes from the early request", func(t *testing.T) {
		s, f := newSession()
		s.prefetch("a1")
		if _, err := s.article(ctx, "a1"); err != nil {
			t.Fatal(err)
		}
		list, err := s.annotations(ctx, f, "a1")
		if err != nil || len(list) != 1 || list[0].ID != "x" {
			t.Fatalf("annotations = %v, %v", list, err)
		}
		if _, err := s.annotations(ctx, f, "a1"); err != nil {
			t.Fatal(err)
		}
		want := []string{"AnnotationsData a1", "DecodeAnnotations a1", "Annotations a1"}
		if !slices.Equal(f.calls, want) {
			t.Errorf("calls %q, want %q", f.calls, want)
		}
	})
	t.Run("another article is asked for afresh, and forgets the early request", func(t *testing.T) {
		s, f := newSession()
		s.prefetch("a1")
		if _, err := s.article(ctx, "b2"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.annotations(ctx, f, "b2"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.annotations(ctx, f, "a1"); err != nil {
			t.Fatal(err)
		}
		got := slices.DeleteFunc(slices.Clone(f.calls), func(c string) bool { return c == "AnnotationsData a1" })
		want := []string{"Annotations b2", "Annotations a1"}
		if !slices.Equal(got, want) {
			t.Errorf("calls %q, want %q (besides the early request)", f.calls, want)
		}
	})
	t.Run("an ended context gives its error", func(t *testing.T) {
		s, f := newSession()
		s.mu.Lock()
		s.earlyAnns, s.annsCh = "a1", make(chan fetchedData) // never answered
		s.mu.Unlock()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.annotations(cctx, f, "a1"); err != context.Canceled {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
}
