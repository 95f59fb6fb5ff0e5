package server

import (
	"fmt"
	"net/http"
	"sync"

	"claimmark/internal/annotation"
)

// batchWorkers bounds how many operations of one batch are stored at once.
// Overlapping writes share one bbolt transaction and fsync (the store's
// group commit) and one index pass (index.Index.Sync coalesces waiters),
// which is what makes a batch cheaper than its requests: with 16 at once a
// batch of 200 new annotations took ~230 ms, with 200 at once ~45 ms
// (BenchmarkBatchReal). Each costs a goroutine waiting on the store.
const batchWorkers = 256

// batchRequest is the body of POST /api/batch.
type batchRequest struct {
	Ops []annotation.BatchOp `json:"ops"`
}

// batchResponse is the answer of POST /api/batch: one result per
// operation, in the order of the operations.
type batchResponse struct {
	Results []annotation.BatchResult `json:"results"`
}

// batch answers POST /api/batch: it carries out up to
// annotation.MaxBatchOps annotation PUTs and DELETEs, each exactly as the
// single request would (same validation, its own If-Match), and answers
// 200 with one result per operation, in order. Each operation succeeds or
// fails on its own: a stale If-Match fails only its operation.
//
// Operations on different annotations may be stored concurrently;
// operations on the same annotation are stored in the order given. After
// an operation fails on the server's side (5xx) the later ones are not
// attempted and are answered 503, so a client that retries from the first
// failure never reorders changes.
func (s *Server) batch(w http.ResponseWriter, r *http.Request) error {
	data, err := s.readBody(w, r, annotation.MaxBatchBytes, mediaJSON)
	if err != nil {
		return err
	}
	var req batchRequest
	if err := unmarshalObject(data, &req); err != nil {
		return err
	}
	if len(req.Ops) > annotation.MaxBatchOps {
		return annotation.Errorf(annotation.TooLarge,
			"The batch holds %d operations; send at most %d per request.", len(req.Ops), annotation.MaxBatchOps)
	}
	results := make([]annotation.BatchResult, len(req.Ops))
	for start := 0; start < len(req.Ops); {
		end := distinctRun(req.Ops, start)
		s.runOps(r, req.Ops[start:end], results[start:end])
		failed := false
		for _, res := range results[start:end] {
			failed = failed || res.Status >= 500
		}
		start = end
		if failed {
			for i := start; i < len(req.Ops); i++ {
				results[i] = annotation.BatchResult{Status: http.StatusServiceUnavailable, Error: &annotation.Error{
					Code:    annotation.Unavailable,
					Message: "Not attempted because an earlier operation of the batch failed; send it again.",
				}}
			}
			break
		}
	}
	return writeJSON(w, http.StatusOK, batchResponse{Results: results})
}

// distinctRun returns the end of the longest run of ops from start on
// whose annotation ids all differ.
func distinctRun(ops []annotation.BatchOp, start int) int {
	seen := map[string]bool{}
	end := start
	for end < len(ops) && !seen[ops[end].ID] {
		seen[ops[end].ID] = true
		end++
	}
	return end
}

// runOps carries out ops, which concern different annotations, with up
// to batchWorkers at once, writing the outcome of ops[i] into results[i].
func (s *Server) runOps(r *http.Request, ops []annotation.BatchOp, results []annotation.BatchResult) {
	sem := make(chan struct{}, batchWorkers)
	var wg sync.WaitGroup
	for i := range ops {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			results[i] = s.runOp(r, i, ops[i])
		})
	}
	wg.Wait()
}

// runOp carries out one operation (number i of the batch) as
// PUT /api/annotations/{id} or DELETE /api/annotations/{id} would.
func (s *Server) runOp(r *http.Request, i int, op annotation.BatchOp) (res annotation.BatchResult) {
	defer func() {
		if v := recover(); v != nil {
			res = s.opResult(r, fmt.Errorf("panic in batch operation %d: %v", i, v))
		}
	}()
	if !annotation.ValidID(op.ID) {
		return s.opResult(r, annotation.Errorf(annotation.Invalid,
			"Operation %d: %q is not a valid annotation id: use 1 to %d letters, digits, '-' or '_'.", i, op.ID, annotation.MaxIDChars))
	}
	ctx := r.Context()
	switch op.Op {
	case annotation.BatchPut:
		if op.Annotation == nil {
			return s.opResult(r, annotation.Errorf(annotation.Invalid,
				"Operation %d puts annotation %q but has no \"annotation\" object; add the annotation to store.", i, op.ID))
		}
		a := *op.Annotation
		created, err := s.putOne(r, op.ID, &a, op.IfMatch)
		if err != nil {
			return s.opResult(r, err)
		}
		s.newNamer(s.principal(r)).fill(ctx, &a)
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		return annotation.BatchResult{Status: status, ETag: a.ETag(), Annotation: &a}
	case annotation.BatchDelete:
		if err := s.deleteChecked(r, s.principal(r), op.ID, op.IfMatch); err != nil {
			return s.opResult(r, err)
		}
		return annotation.BatchResult{Status: http.StatusNoContent}
	}
	return s.opResult(r, annotation.Errorf(annotation.Invalid,
		"Operation %d has op %q; use \"put\" or \"delete\".", i, op.Op))
}

// opResult is the result of an operation that failed with err, with the
// status and message the single request would have been answered with.
func (s *Server) opResult(r *http.Request, err error) annotation.BatchResult {
	status, err := s.classify(r, err)
	return annotation.BatchResult{Status: status, Error: &annotation.Error{
		Code:    annotation.ErrorCode(err),
		Message: annotation.ErrorMessage(err),
	}}
}
