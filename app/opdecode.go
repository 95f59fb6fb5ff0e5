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
	if p, ok := decodeOpFast(doc); ok {
		return p, false, nil
	}
	return decodeOpJSON(doc)
}

// decodeOpJSON is decodeOp with encoding/json.
func decodeOpJSON(doc []byte) (p *op, legacy bool, err error) {
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

// decodeOpFast reads an operation in the form encodeOp writes, with a
// known string kind, as decodeOp's encoding/json path would; ok is false
// for anything else (a speaker, an integer kind, an unknown key, …), which
// that path then decodes or refuses.
func decodeOpFast(doc []byte) (p *op, ok bool) {
	r := annotation.NewWireReader(doc)
	p = new(op)
	strs := func() []string {
		list := []string{}
		r.Array(func() { list = append(list, r.String()) })
		return list
	}
	r.Object(func(key []byte) bool {
		switch string(key) {
		case "key":
			p.Key = r.String()
		case "kind":
			p.Kind = opKind(r.String())
		case "id":
			p.ID = r.String()
		case "articleId":
			p.ArticleID = r.String()
		case "ann":
			p.Ann = r.Annotation()
		case "base":
			p.Base = r.Int()
		case "gen":
			p.Gen = r.Int()
		case "tab":
			p.Tab = r.String()
		case "sent":
			p.Sent = r.Bool()
		case "into":
			p.Into = r.String()
		case "fromName":
			p.FromName = r.String()
		case "intoName":
			p.IntoName = r.String()
		case "rejected":
			p.Rejected = strs()
		case "restored":
			p.Restored = strs()
		default:
			return false
		}
		return true
	})
	if !r.End() || !p.Kind.known() {
		return nil, false
	}
	return p, true
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
