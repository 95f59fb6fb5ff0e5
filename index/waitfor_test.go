package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestWaitFor writes to the store behind the index's back, as another
// server sharing the store does, and waits for the write's number.
func TestWaitFor(t *testing.T) {
	f := newFixture(t)
	ix := MustOpen(t, tempIndexDir(t), f.st)
	ctx := context.Background()

	n2, err := f.st.Annotation(ctx, "n2")
	if err != nil {
		t.Fatal(err)
	}
	n2.Note = "written elsewhere"
	if _, err := f.st.PutAnnotation(ctx, n2, ""); err != nil {
		t.Fatal(err)
	}
	seq, _ := f.st.state()
	if got := searchIDs(t, ix, annotation.Query{Text: "elsewhere"}); len(got) != 0 {
		t.Fatalf("the index found %v before it synced", got)
	}
	if err := ix.WaitFor(ctx, seq); err != nil {
		t.Fatalf("WaitFor(%d) = %v", seq, err)
	}
	if ix.Watermark() < seq {
		t.Errorf("after WaitFor(%d), Watermark = %d", seq, ix.Watermark())
	}
	if got := searchIDs(t, ix, annotation.Query{Text: "elsewhere"}); !slices.Equal(got, []string{"n2"}) {
		t.Errorf("after WaitFor, Search(elsewhere) = %v, want [n2]", got)
	}

	done, cancel := context.WithCancel(ctx)
	cancel()
	if err := ix.WaitFor(done, seq); err != nil {
		t.Errorf("WaitFor of a number already applied, with an ended context = %v, want nil", err)
	}
	// A number the store never gave out costs one pass, not a wait.
	if err := ix.WaitFor(ctx, seq+1000); err != nil {
		t.Errorf("WaitFor of a number beyond the store's log = %v, want nil", err)
	}

	n2.Note = "unreachable for now"
	if _, err := f.st.PutAnnotation(ctx, n2, ""); err != nil {
		t.Fatal(err)
	}
	seq, _ = f.st.state()
	f.st.setFailure(errors.New("disk on fire"))
	if err := ix.WaitFor(ctx, seq); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("WaitFor while the store fails = %v, want the store's error", err)
	}
	f.st.setFailure(nil)
}
