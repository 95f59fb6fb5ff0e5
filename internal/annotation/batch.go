package annotation

// Limits of POST /api/batch.
const (
	MaxBatchOps   = 500      // operations in one batch
	MaxBatchBytes = 16 << 20 // bytes in one batch body
)

// Operations of a batch (BatchOp.Op).
const (
	BatchPut    = "put"
	BatchDelete = "delete"
)

// BatchOp is one operation of POST /api/batch: a PUT or DELETE of
// annotation ID, with its own If-Match (empty for none).
type BatchOp struct {
	Op         string      `json:"op"` // BatchPut or BatchDelete
	ID         string      `json:"id"`
	IfMatch    string      `json:"ifMatch,omitempty"`
	Annotation *Annotation `json:"annotation,omitempty"` // for BatchPut
}

// BatchResult is the outcome of one BatchOp: the status the same request
// made alone would have been answered with (201 or 200 for a put, 204 for
// a delete, 4xx or 5xx with Error on failure), and for a stored put the
// stored annotation and its ETag.
type BatchResult struct {
	Status     int         `json:"status"`
	ETag       string      `json:"etag,omitempty"`
	Annotation *Annotation `json:"annotation,omitempty"`
	Error      *Error      `json:"error,omitempty"`
}

// Err returns the result's error, or nil for a success. A failure without
// an error object gets its code from the status.
func (r *BatchResult) Err() error {
	if r.Status < 400 {
		return nil
	}
	if r.Error != nil {
		e := *r.Error
		return &e
	}
	return &Error{Code: CodeForStatus(r.Status), Message: "The operation failed."}
}
