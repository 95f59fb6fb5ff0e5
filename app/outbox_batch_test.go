package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// batchAPI is a fakeAPI that also takes batches the way the server does:
// each operation is the fake's single call (logged the same way), with its
// own result; after a 5xx result the rest is not attempted; an error that
// is not the server's (the network) fails the whole request.
type batchAPI struct {
	*fakeAPI
	batches []int // the number of operations of each batch
	// refuse, when set, answers every batch with it and does nothing.
	refuse error
}

var _ batcher = (*batchAPI)(nil)

// withBatch returns f, taking batches when batched.
func withBatch(f *fakeAPI, batched bool) API {
	if batched {
		return &batchAPI{fakeAPI: f}
	}
	return f
}

func (b *batchAPI) Batch(ctx context.Context, ops []annotation.BatchOp) ([]annotation.BatchResult, error) {
	b.mu.Lock()
	b.batches = append(b.batches, len(ops))
	b.mu.Unlock()
	if b.refuse != nil {
		return nil, b.refuse
	}
	results := make([]annotation.BatchResult, len(ops))
	for i, op := range ops {
		var err error
		var res annotation.BatchResult
		switch op.Op {
		case annotation.BatchPut:
			a := *op.Annotation
			if err = b.PutAnnotation(ctx, &a, op.IfMatch); err == nil {
				res = annotation.BatchResult{Status: http.StatusOK, ETag: a.ETag(), Annotation: &a}
			}
		case annotation.BatchDelete:
			if err = b.DeleteAnnotation(ctx, op.ID, op.IfMatch); err == nil {
				res = annotation.BatchResult{Status: http.StatusNoContent}
			}
		}
		var e *annotation.Error
		if err != nil && !errors.As(err, &e) {
			return nil, err
		}
		if err != nil {
			res = annotation.BatchResult{Status: annotation.HTTPStatus(e.Code), Error: e}
		}
		results[i] = res
		if res.Status >= 500 {
			for j := i + 1; j < len(ops); j++ {
				results[j] = annotation.BatchResult{Status: 503, Error: &annotation.Error{Code: annotation.Unavailable, Message: "Not attempted."}}
			}
			break
		}
	}
	return results, nil
}

// TestOutboxBatches checks that a long queue goes out in batches of at
// most batchOps operations, in order, and that two changes of one
// annotation never share a batch.
func TestOutboxBatches(t *testing.T) {
	f := newFakeAPI()
	b := &batchAPI{fakeAPI: f}
	o := newOutbox(b, outboxConfig{Timeout: 5 * time.Second})
	const n = 2*batchOps + 50
	var want []string
	for i := range n {
		id := fmt.Sprintf("a%03d", i)
		o.EnqueuePut(ann(id, "A"))
		want = append(want, "PUT "+id)
	}
	if err := o.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(b.batches) != fmt.Sprint([]int{batchOps, batchOps, 50}) {
		t.Errorf("batches of %v, want %d, %d, 50", b.batches, batchOps, batchOps)
	}
	if got := f.log(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("operations out of order: %q…", got[:min(5, len(got))])
	}
	if st := o.Status(); st.Waiting != 0 || len(f.anns) != n {
		t.Errorf("status %+v, %d stored; want nothing waiting, %d stored", st, len(f.anns), n)
	}

	// A delete and an undo of a saved annotation, between others: the
	// undo waits for the delete's answer (the delete goes alone, the undo
	// and the other put in one batch).
	b.batches = nil
	o.EnqueueDelete(f.anns["a000"])
	o.EnqueuePut(ann("a000", "again"))
	o.EnqueuePut(ann("z", "Z"))
	if err := o.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(b.batches) != "[2]" || f.anns["a000"].Speaker != "again" || f.anns["z"] == nil {
		t.Errorf("batches %v, log tail %q", b.batches, f.log()[n:])
	}
}

// TestOutboxBatchConflict checks that a 412 in a batch goes the way of a
// single request's: a conflict with the server's copy, the others saved.
func TestOutboxBatchConflict(t *testing.T) {
	f := newFakeAPI()
	theirs := ann("a", "theirs")
	theirs.Revision = 2
	f.anns["a"] = theirs
	o := newOutbox(&batchAPI{fakeAPI: f}, outboxConfig{Timeout: 5 * time.Second})
	var got *conflict
	o.Subscribe(func(ev outboxEvent) {
		if ev.Conflict != nil {
			got = ev.Conflict
		}
	})
	o.EnqueuePut(ann("b", "B"))
	mine := ann("a", "mine")
	mine.Revision = 1
	o.EnqueuePut(mine)
	o.EnqueuePut(ann("c", "C"))
	if err := o.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Theirs == nil || got.Theirs.Speaker != "theirs" || got.Mine == nil || got.Mine.Speaker != "mine" {
		t.Fatalf("conflict %+v", got)
	}
	if st := o.Status(); st.Waiting != 0 || st.Conflicts != 1 || f.anns["b"] == nil || f.anns["c"] == nil || f.anns["a"].Speaker != "theirs" {
		t.Errorf("status %+v, server %v", st, f.anns)
	}
}

// TestOutboxBatchFallback checks that an outbox whose server has no
// batches (404/405) or refuses one as a whole sends one request an
// operation, and stops trying batches only in the first case.
func TestOutboxBatchFallback(t *testing.T) {
	tests := []struct {
		name        string
		refuse      error
		wantNoBatch bool
	}{
		{"older server", fmt.Errorf("wrapped: %w", client.ErrNoBatch), true},
		{"batch too large", annotation.Errorf(annotation.TooLarge, "The request body is larger than 16 MiB."), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI()
			b := &batchAPI{fakeAPI: f, refuse: tt.refuse}
			o := newOutbox(b, outboxConfig{Timeout: 5 * time.Second})
			for _, id := range []string{"a", "b", "c"} {
				o.EnqueuePut(ann(id, "A"))
			}
			if err := o.Flush(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := f.log(); fmt.Sprint(got) != "[PUT a PUT b PUT c]" || len(b.batches) != 1 {
				t.Errorf("requests %q after %d batches", got, len(b.batches))
			}
			if o.noBatch.Load() != tt.wantNoBatch {
				t.Errorf("noBatch = %v, want %v", o.noBatch.Load(), tt.wantNoBatch)
			}
			o.EnqueuePut(ann("d", "D"))
			o.EnqueuePut(ann("e", "E"))
			if err := o.Flush(t.Context()); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 1, false: 2}[tt.wantNoBatch]; len(b.batches) != want {
				t.Errorf("%d batches tried, want %d", len(b.batches), want)
			}
		})
	}
}
