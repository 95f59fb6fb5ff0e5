package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"claimmark/internal/annotation"
)

// ErrNoBatch is matched (with errors.Is) by the error of Batch when the
// server has no POST /api/batch (an older server answered 404 or 405):
// send the operations one request each instead.
var ErrNoBatch = errors.New("the server does not take batches")

// noBatchError is the error of a server without POST /api/batch.
type noBatchError struct{ err error }

func (e *noBatchError) Error() string        { return e.err.Error() }
func (e *noBatchError) Unwrap() error        { return e.err }
func (e *noBatchError) Is(target error) bool { return target == ErrNoBatch }

// Batch sends up to annotation.MaxBatchOps annotation puts and deletes in
// one POST /api/batch and returns one result per operation, in order. Each
// operation succeeds or fails on its own (its result's Err); the error
// returned is for the request as a whole, which then changed nothing, or
// may or may not have when it matches ErrUnreachable. A server without
// batches answers with an error matching ErrNoBatch.
func (c *Client) Batch(ctx context.Context, ops []annotation.BatchOp) ([]annotation.BatchResult, error) {
	var results []annotation.BatchResult
	decode := func(data []byte) (err error) {
		results, err = annotation.DecodeBatchResults(data)
		return err
	}
	// The annotations are written by annotation.AppendJSON (json.Marshal's
	// bytes, without its reflection, slow in WebAssembly).
	type wireOp struct {
		Op         string          `json:"op"`
		ID         string          `json:"id"`
		IfMatch    string          `json:"ifMatch,omitempty"`
		Annotation json.RawMessage `json:"annotation,omitempty"`
	}
	in := make([]wireOp, len(ops))
	for i, op := range ops {
		in[i] = wireOp{Op: op.Op, ID: op.ID, IfMatch: op.IfMatch}
		if op.Annotation != nil {
			var err error
			if in[i].Annotation, err = annotation.AppendJSON(nil, op.Annotation); err != nil {
				return nil, fmt.Errorf("encoding the request to POST /api/batch: %w", err)
			}
		}
	}
	var status int
	err := c.do(ctx, call{method: http.MethodPost, path: "/api/batch", in: struct {
		Ops []wireOp `json:"ops"`
	}{in}, decode: decode, status: &status})
	if err != nil && (status == http.StatusNotFound || status == http.StatusMethodNotAllowed) {
		return nil, &noBatchError{err}
	}
	if err != nil {
		return nil, err
	}
	if len(results) != len(ops) {
		return nil, fmt.Errorf("the server answered %d results for %d operations", len(results), len(ops))
	}
	return results, nil
}
