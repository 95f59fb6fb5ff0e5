package app

import (
	"encoding/json"
	"fmt"

	"claimmark/internal/annotation"
)

// legacyOpKinds are the numbers that stood for the operation kinds when
// opKind was an integer (iota order), as queues kept on devices may still
// hold them.
var legacyOpKinds = map[string]opKind{"0": opPut, "1": opDelete}

// decodeOp decodes an outbox operation kept on a device. legacy reports
// that the document holds the kind in the old integer form; the op is
// then returned with the string kind, and the caller should store it back
// (see idbDevice.LoadOps). An unknown kind is an error, so that a queue
// this version does not understand is not sent.
//
// The annotation of a put is read with annotation.DecodeAnnotation, which
// decodes as encoding/json does without its reflection (a queue of a
// thousand changes is read at every start).
func decodeOp(doc []byte) (p *op, legacy bool, err error) {
	type plain op // op's fields without its Kind's type
	p = new(op)
	d := struct {
		*plain
		Kind json.RawMessage `json:"kind"` // shadows plain.Kind
		Ann  json.RawMessage `json:"ann"`  // shadows plain.Ann
	}{plain: (*plain)(p)}
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, false, fmt.Errorf("a queued change kept on this device is damaged: %w", err)
	}
	if len(d.Ann) > 0 && string(d.Ann) != "null" {
		if p.Ann, err = annotation.DecodeAnnotation(d.Ann); err != nil {
			return nil, false, fmt.Errorf("a queued change kept on this device is damaged: %w", err)
		}
	}
	kind, legacy := legacyOpKinds[string(d.Kind)]
	if !legacy && json.Unmarshal(d.Kind, &kind) != nil || !kind.known() {
		return nil, false, fmt.Errorf("a queued change kept on this device is of a kind this version does not know (%s)", d.Kind)
	}
	p.Kind = kind
	return p, legacy, nil
}

// encodeOp returns the JSON document of p kept on the device: decodeOp
// reads it back. Its annotation is written by annotation.AppendJSON (the
// bytes json.Marshal gives, without its reflection).
func encodeOp(p *op) ([]byte, error) {
	type plain op // op's fields without its methods
	d := struct {
		*plain
		Ann json.RawMessage `json:"ann,omitempty"` // shadows plain.Ann
	}{plain: (*plain)(p)}
	if p.Ann != nil {
		var err error
		if d.Ann, err = annotation.AppendJSON(nil, p.Ann); err != nil {
			return nil, err
		}
	}
	return json.Marshal(d)
}
