package app

import (
	"context"
	"errors"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
)

// The outbox sends its queue in batches (POST /api/batch) when the API can
// (batcher) and the server takes them: one request for up to batchOps
// operations instead of one each. Results come back per operation, in
// order, and each goes through the same path as the answer to its single
// request would, so batching changes how many requests are made, not what
// the queue does.

// Limits of one batch the outbox sends: well under the server's
// (annotation.MaxBatchOps, annotation.MaxBatchBytes), since ops are sized
// roughly.
const (
	batchOps      = 200
	maxBatchBytes = annotation.MaxBatchBytes / 2
)

// batcher is an API that can send many operations in one request
// (*client.Client).
type batcher interface {
	// Batch is client.Client.Batch.
	Batch(ctx context.Context, ops []annotation.BatchOp) ([]annotation.BatchResult, error)
}

var _ batcher = (*client.Client)(nil)

// chunkLimit returns how many operations one request may carry: 1 when
// the API or the server cannot batch, or single is set.
func (o *outbox) chunkLimit(single bool) int {
	if _, ok := o.api.(batcher); !ok || single || o.noBatch.Load() {
		return 1
	}
	return batchOps
}

// ifMatch returns the If-Match header p is sent with.
func (p *op) ifMatch() string {
	if p.Base > 0 {
		return annotation.ETag(p.Base)
	}
	return ""
}

// body returns a copy of the annotation a put sends.
func (p *op) body() *annotation.Annotation {
	a := p.Ann.Clone()
	a.ID = p.ID
	return a
}

// approxSize estimates the bytes p takes in a batch, generously.
func (p *op) approxSize() int {
	n := 256 + len(p.ID)
	if a := p.Ann; a != nil {
		n += 1024 + 2*(len(a.Target.Quote.Exact)+len(a.Target.Quote.Prefix)+len(a.Target.Quote.Suffix)+len(a.Note)+len(a.Speaker))
		for _, t := range a.Tags {
			n += 8 + 2*len(t)
		}
		n += 512 * len(a.Relations)
	}
	return n
}

// sendChunk sends chunk, in one batch if it has more than one operation,
// and returns the outcomes of its first operations, in order: all of them,
// or fewer when the request as a whole failed (then one, carrying the
// error worth retrying, or the outcome of the first operation sent alone).
// fallback reports that the server refused the batch itself (too large,
// or it has no batches), so the rest of this flush should send one
// operation a request.
func (o *outbox) sendChunk(ctx context.Context, chunk []*op) (outs []outcome, fallback bool) {
	switch {
	case chunk[0].Kind.speaker():
		return []outcome{o.sendSpeaker(ctx, chunk[0])}, false
	case chunk[0].Kind == opRejections:
		return []outcome{o.sendRejections(ctx, chunk[0])}, false
	}
	b, ok := o.api.(batcher)
	if len(chunk) == 1 || !ok {
		saved, theirs, err := o.send(ctx, chunk[0])
		return []outcome{{saved: saved, theirs: theirs, err: err}}, false
	}
	ops := make([]annotation.BatchOp, len(chunk))
	for i, p := range chunk {
		ops[i] = annotation.BatchOp{Op: annotation.BatchPut, ID: p.ID, IfMatch: p.ifMatch()}
		if p.Kind == opDelete {
			ops[i].Op = annotation.BatchDelete
		} else {
			ops[i].Annotation = p.body()
		}
	}
	bctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	results, err := b.Batch(bctx, ops)
	cancel()
	if err != nil {
		if errors.Is(err, client.ErrNoBatch) {
			o.noBatch.Store(true)
		}
		if errors.Is(err, client.ErrNoBatch) || isServerAnswer(err) && !retryable(err) {
			saved, theirs, err := o.send(ctx, chunk[0])
			return []outcome{{saved: saved, theirs: theirs, err: err}}, true
		}
		return []outcome{{err: err}}, false
	}
	outs = make([]outcome, len(chunk))
	for i, p := range chunk {
		sctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
		saved, theirs, err := o.settle(sctx, p, ops[i].Annotation, results[i].Annotation, results[i].Err())
		cancel()
		outs[i] = outcome{saved: saved, theirs: theirs, err: err}
		if err != nil && annotation.ErrorCode(err) != annotation.PreconditionFailed && retryable(err) {
			return outs[:i+1], false // the rest waits for the retry
		}
	}
	return outs, false
}
