package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// IndexedDB layout (database idbName, version idbVersion). Every record
// holds its JSON document as a string (doc) beside the fields used as
// keys, so that the Go types can change without a schema change.
//
//	outbox       {key, gen, doc: op}        keyPath key (the queue order)
//	conflicts    {id, doc: conflict}        keyPath id
//	articles     {id, doc: Article}         keyPath id
//	annotations  {id, articleId, doc: Annotation}  keyPath id, index byArticle
//	library      {key, doc: []ArticleSummary}      keyPath key; one record, libraryKey (version 2)
//	speakers     {id, doc: SpeakerSummary}         keyPath id (version 3; speakerstore.go)
const (
	idbName    = "claimmark"
	idbVersion = 3
	libraryKey = "articles"
)

// idbDevice is the device store in the browser's IndexedDB, reached
// through app.Value (go-app has no wrapper). Its methods block until the
// request or transaction completes: never call them from a JavaScript
// callback or a go-app event handler (see device).
type idbDevice struct {
	db app.Value

	mu sync.Mutex
	// read holds the operations the last LoadOps decoded, by their
	// documents: the queue is read at start and again by every flush, and
	// an unchanged document need not be decoded twice. Guarded by mu.
	read map[string]*op
}

var _ device = (*idbDevice)(nil)

// openIDB opens (creating or upgrading) the app's database called name
// (one per user, see dbName), and asks the browser to keep the origin's
// storage when space runs short.
func openIDB(name string) (*idbDevice, error) {
	if !app.IsClient {
		return nil, errors.New("IndexedDB exists only in the browser")
	}
	win := app.Window()
	idb := win.Get("indexedDB")
	if !idb.Truthy() {
		return nil, errors.New("this browser has no IndexedDB")
	}
	if st := win.Get("navigator").Get("storage"); st.Truthy() && st.Get("persist").Truthy() {
		st.Call("persist")
	}
	req, err := try(func() app.Value { return idb.Call("open", name, idbVersion) })
	if err != nil {
		return nil, err
	}
	upgrade := app.FuncOf(func(app.Value, []app.Value) any {
		db := req.Get("result")
		names := db.Get("objectStoreNames")
		create := func(name, keyPath string) app.Value {
			if names.Call("contains", name).Bool() {
				return nil
			}
			return db.Call("createObjectStore", name, map[string]any{"keyPath": keyPath})
		}
		create("outbox", "key")
		create("conflicts", "id")
		create("articles", "id")
		if s := create("annotations", "id"); s != nil {
			s.Call("createIndex", "byArticle", "articleId")
		}
		create("library", "key")
		create("speakers", "id")
		return nil
	})
	defer upgrade.Release()
	req.Call("addEventListener", "upgradeneeded", upgrade)
	db, err := wait(req, "success")
	if err != nil {
		return nil, err
	}
	// A newer version of the app, open in another tab, waits for this one
	// to let go of the database before it can upgrade it. Never released:
	// it lives as long as the database connection.
	db.Set("onversionchange", app.FuncOf(func(app.Value, []app.Value) any {
		db.Call("close")
		return nil
	}))
	return &idbDevice{db: db}, nil
}

// try runs fn, turning a JavaScript exception (a Go panic) into an error.
func try(fn func() app.Value) (v app.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("indexeddb: %v", r)
		}
	}()
	return fn(), nil
}

// wait blocks until target fires okEvent, or "error" or "abort". Call it
// from a goroutine, never inside a FuncOf callback, which would block the
// JavaScript event loop.
func wait(target app.Value, okEvent string) (app.Value, error) {
	done := make(chan error, 1)
	onOK := app.FuncOf(func(app.Value, []app.Value) any {
		select {
		case done <- nil:
		default:
		}
		return nil
	})
	onErr := app.FuncOf(func(_ app.Value, args []app.Value) any {
		msg := "the request failed"
		if e := target.Get("error"); e.Truthy() {
			msg = e.Get("message").String()
		}
		if len(args) > 0 && args[0].Truthy() {
			args[0].Call("preventDefault") // a failed request must not abort others silently
		}
		select {
		case done <- errors.New("indexeddb: " + msg):
		default:
		}
		return nil
	})
	defer onOK.Release()
	defer onErr.Release()
	target.Call("addEventListener", okEvent, onOK)
	target.Call("addEventListener", "error", onErr)
	target.Call("addEventListener", "abort", onErr)
	err := <-done
	target.Call("removeEventListener", okEvent, onOK)
	target.Call("removeEventListener", "error", onErr)
	target.Call("removeEventListener", "abort", onErr)
	if err != nil {
		return nil, err
	}
	if okEvent == "complete" {
		return nil, nil
	}
	return target.Get("result"), nil
}

// tx runs fill inside a transaction over stores and waits until it
// commits. fill only issues requests (it must not wait on them).
func (d *idbDevice) tx(mode string, stores []string, fill func(tx app.Value)) error {
	names := make([]any, len(stores))
	for i, s := range stores {
		names[i] = s
	}
	t, err := try(func() app.Value { return d.db.Call("transaction", names, mode) })
	if err != nil {
		return err
	}
	var ferr error
	func() {
		defer func() {
			if r := recover(); r != nil {
				ferr = fmt.Errorf("indexeddb: %v", r)
				t.Call("abort")
			}
		}()
		fill(t)
	}()
	_, err = wait(t, "complete")
	if ferr != nil {
		return ferr
	}
	return err
}

// getAll returns the doc strings of every record of store (of the
// records whose byArticle index equals article, when article is not
// empty), in key order.
func (d *idbDevice) getAll(store, article string) ([]string, error) {
	req, err := try(func() app.Value {
		s := d.db.Call("transaction", store).Call("objectStore", store)
		if article != "" {
			return s.Call("index", "byArticle").Call("getAll", article)
		}
		return s.Call("getAll")
	})
	if err != nil {
		return nil, err
	}
	res, err := wait(req, "success")
	if err != nil {
		return nil, err
	}
	n := res.Length()
	out := make([]string, n)
	for i := range n {
		out[i] = res.Index(i).Get("doc").String()
	}
	return out, nil
}

// get returns the doc string of the record with key, or "" when absent.
func (d *idbDevice) get(store, key string) (string, error) {
	req, err := try(func() app.Value { return d.db.Call("transaction", store).Call("objectStore", store).Call("get", key) })
	if err != nil {
		return "", err
	}
	res, err := wait(req, "success")
	if err != nil || !res.Truthy() {
		return "", err
	}
	return res.Get("doc").String(), nil
}

// record returns the IndexedDB record of v under the key field keyName.
func record(keyName, key string, v any, extra map[string]any) (map[string]any, error) {
	doc, err := encodeDoc(v)
	if err != nil {
		return nil, err
	}
	r := map[string]any{keyName: key, "doc": string(doc)}
	for k, x := range extra {
		r[k] = x
	}
	return r, nil
}

// encodeDoc returns the JSON document of v: json.Marshal's, made without
// its reflection for annotations and queued operations, the records kept
// by the thousand.
func encodeDoc(v any) ([]byte, error) {
	switch v := v.(type) {
	case *annotation.Annotation:
		return annotation.AppendJSON(nil, v)
	case *op:
		return encodeOp(v)
	}
	return json.Marshal(v)
}

// decodeAll decodes every doc into a new T.
func decodeAll[T any](docs []string) ([]*T, error) {
	out := make([]*T, 0, len(docs))
	for _, s := range docs {
		v := new(T)
		if err := json.Unmarshal([]byte(s), v); err != nil {
			return nil, fmt.Errorf("a record kept on this device is damaged: %w", err)
		}
		out = append(out, v)
	}
	return out, nil
}

// LoadOps implements device. Operations kept in the old form, with an
// integer kind (see decodeOp), are written back with the string kind, each
// unless another tab replaced it meanwhile (SwapOp on its generation).
func (d *idbDevice) LoadOps() ([]*op, error) {
	docs, err := d.getAll("outbox", "")
	if err != nil {
		return nil, err
	}
	ops := make([]*op, 0, len(docs))
	var legacy []*op
	d.mu.Lock()
	prev := d.read
	d.mu.Unlock()
	read := make(map[string]*op, len(docs))
	for _, doc := range docs {
		if p, ok := prev[doc]; ok {
			read[doc] = p
			ops = append(ops, p.clone())
			continue
		}
		p, old, err := decodeOp([]byte(doc))
		if err != nil {
			return nil, err
		}
		if old {
			legacy = append(legacy, p)
		} else {
			read[doc] = p.clone()
		}
		ops = append(ops, p)
	}
	d.mu.Lock()
	d.read = read
	d.mu.Unlock()
	if len(legacy) > 0 {
		w := &deviceWrites{Swaps: make([]opSwap, len(legacy))}
		for i, p := range legacy {
			w.Swaps[i] = opSwap{Key: p.Key, Gen: p.Gen, Next: p}
		}
		if err := d.Apply(w); err != nil {
			return nil, fmt.Errorf("could not rewrite the queued changes in the current form: %w", err)
		}
	}
	return ops, nil
}

// PutOp implements device.
func (d *idbDevice) PutOp(p *op) error {
	r, err := record("key", p.Key, p, map[string]any{"gen": p.Gen})
	if err != nil {
		return err
	}
	return d.tx("readwrite", []string{"outbox"}, func(t app.Value) {
		t.Call("objectStore", "outbox").Call("put", r)
	})
}

// SwapOp implements device: the read and the write happen in one
// transaction, from the read's success callback.
func (d *idbDevice) SwapOp(key string, gen int, next *op) (bool, error) {
	var r map[string]any
	if next != nil {
		var err error
		if r, err = record("key", next.Key, next, map[string]any{"gen": next.Gen}); err != nil {
			return false, err
		}
	}
	swapped := false
	var onGet app.Func
	err := d.tx("readwrite", []string{"outbox"}, func(t app.Value) {
		s := t.Call("objectStore", "outbox")
		req := s.Call("get", key)
		onGet = app.FuncOf(func(app.Value, []app.Value) any {
			cur := req.Get("result")
			if !cur.Truthy() || cur.Get("gen").Int() != gen {
				return nil
			}
			if r == nil {
				s.Call("delete", key)
			} else {
				s.Call("put", r)
			}
			swapped = true
			return nil
		})
		req.Call("addEventListener", "success", onGet)
	})
	if onGet != nil {
		onGet.Release()
	}
	return swapped && err == nil, err
}

// Apply implements device, in one readwrite transaction over the stores
// w touches. Each call from WebAssembly into JavaScript, and each callback
// back, costs more than IndexedDB's own work, so the records are handed
// over as one JSON array per store (JSON.parse), and the generations of the
// swapped operations are read with one getAll over their keys' range,
// whose success callback plays the swaps of each key in order against what
// was read and makes at most one put or delete per key.
func (d *idbDevice) Apply(w *deviceWrites) error {
	if w.empty() {
		return nil
	}
	// Encoded before the transaction starts: nothing may fail inside it.
	var keys []string
	byKey := map[string][]int{}
	nextAt := make([]int, len(w.Swaps)) // index in nexts, or -1
	var nexts recordList
	for i, sw := range w.Swaps {
		nextAt[i] = -1
		if sw.Next != nil {
			doc, err := encodeOp(sw.Next)
			if err != nil {
				return err
			}
			nextAt[i] = nexts.n
			nexts.add(doc, "key", sw.Next.Key, "gen", sw.Next.Gen)
		}
		if _, ok := byKey[sw.Key]; !ok {
			keys = append(keys, sw.Key)
		}
		byKey[sw.Key] = append(byKey[sw.Key], i)
	}
	var anns recordList
	annAt := make([]int, len(w.Anns))
	for i, a := range w.Anns {
		annAt[i] = -1
		if a.Put != nil {
			doc, err := annotation.AppendJSON(nil, a.Put)
			if err != nil {
				return err
			}
			annAt[i] = anns.n
			anns.add(doc, "id", a.Put.ID, "articleId", a.Put.ArticleID)
		}
	}
	var confs recordList
	for _, c := range w.Conflicts {
		doc, err := json.Marshal(c)
		if err != nil {
			return err
		}
		confs.add(doc, "id", c.ID)
	}
	var stores []string
	if len(keys) > 0 {
		stores = append(stores, "outbox")
	}
	if len(w.Anns) > 0 {
		stores = append(stores, "annotations")
	}
	if len(w.Conflicts) > 0 {
		stores = append(stores, "conflicts")
	}
	var onRead app.Func
	var readErr error
	err := d.tx("readwrite", stores, func(t app.Value) {
		if len(keys) > 0 {
			s := t.Call("objectStore", "outbox")
			nextRecs := nexts.js()
			bounds := app.Window().Get("IDBKeyRange").Call("bound", slices.Min(keys), slices.Max(keys))
			req := s.Call("getAll", bounds)
			onRead = app.FuncOf(func(app.Value, []app.Value) any {
				// Only the key and generation of each record cross over.
				text := app.Window().Get("JSON").Call("stringify", req.Get("result"), []any{"key", "gen"}).String()
				var stored []struct {
					Key string `json:"key"`
					Gen int    `json:"gen"`
				}
				if err := json.Unmarshal([]byte(text), &stored); err != nil {
					readErr = fmt.Errorf("indexeddb: reading the queue: %w", err)
					t.Call("abort")
					return nil
				}
				gens := make(map[string]int, len(stored))
				for _, r := range stored {
					gens[r.Key] = r.Gen
				}
				for _, key := range keys {
					gen, present := gens[key]
					next, changed := -1, false
					for _, i := range byKey[key] {
						sw := w.Swaps[i]
						if !present || gen != sw.Gen {
							continue
						}
						changed = true
						if sw.Next == nil {
							present, next = false, -1
						} else {
							gen, next = sw.Next.Gen, nextAt[i]
						}
					}
					switch {
					case !changed:
					case present:
						s.Call("put", nextRecs.Index(next))
					default:
						s.Call("delete", key)
					}
				}
				return nil
			})
			req.Call("addEventListener", "success", onRead)
		}
		if len(w.Anns) > 0 {
			s := t.Call("objectStore", "annotations")
			recs := anns.js()
			for i, a := range w.Anns {
				if annAt[i] >= 0 {
					s.Call("put", recs.Index(annAt[i]))
				} else {
					s.Call("delete", a.Delete)
				}
			}
		}
		if len(w.Conflicts) > 0 {
			s := t.Call("objectStore", "conflicts")
			recs := confs.js()
			for i := range confs.n {
				s.Call("put", recs.Index(i))
			}
		}
	})
	if onRead != nil {
		onRead.Release()
	}
	if readErr != nil {
		return readErr
	}
	return err
}

// recordList builds the JSON text of an array of IndexedDB records (see
// the layout above), to make them in JavaScript with one JSON.parse.
type recordList struct {
	buf []byte
	n   int
}

// add appends a record of doc (a JSON document, kept as a string) and the
// fields given as name, value pairs (values are strings or ints).
func (l *recordList) add(doc []byte, fields ...any) {
	if l.n == 0 {
		l.buf = append(l.buf, '[')
	} else {
		l.buf = append(l.buf, ',')
	}
	l.n++
	l.buf = append(l.buf, '{')
	for i := 0; i+1 < len(fields); i += 2 {
		l.buf = appendJSONString(l.buf, fields[i].(string))
		l.buf = append(l.buf, ':')
		switch v := fields[i+1].(type) {
		case string:
			l.buf = appendJSONString(l.buf, v)
		case int:
			l.buf = strconv.AppendInt(l.buf, int64(v), 10)
		}
		l.buf = append(l.buf, ',')
	}
	l.buf = append(l.buf, `"doc":`...)
	l.buf = appendJSONString(l.buf, string(doc))
	l.buf = append(l.buf, '}')
}

// js returns the records as a JavaScript array (empty when there are
// none).
func (l *recordList) js() app.Value {
	text := "[]"
	if l.n > 0 {
		text = string(l.buf) + "]"
	}
	return app.Window().Get("JSON").Call("parse", text)
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 stays as it
// is: the conversion to a JavaScript string replaces it, as json.Marshal
// would.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Conflicts implements device.
func (d *idbDevice) Conflicts() ([]*conflict, error) {
	docs, err := d.getAll("conflicts", "")
	if err != nil {
		return nil, err
	}
	return decodeAll[conflict](docs)
}

// PutConflict implements device.
func (d *idbDevice) PutConflict(c *conflict) error {
	r, err := record("id", c.ID, c, nil)
	if err != nil {
		return err
	}
	return d.tx("readwrite", []string{"conflicts"}, func(t app.Value) { t.Call("objectStore", "conflicts").Call("put", r) })
}

// DeleteConflict implements device.
func (d *idbDevice) DeleteConflict(id string) error {
	return d.tx("readwrite", []string{"conflicts"}, func(t app.Value) { t.Call("objectStore", "conflicts").Call("delete", id) })
}

// PutArticle implements device.
func (d *idbDevice) PutArticle(a *annotation.Article) error {
	r, err := record("id", a.ID, a, nil)
	if err != nil {
		return err
	}
	return d.tx("readwrite", []string{"articles"}, func(t app.Value) { t.Call("objectStore", "articles").Call("put", r) })
}

// Article implements device.
func (d *idbDevice) Article(id string) (*annotation.Article, error) {
	doc, err := d.get("articles", id)
	if err != nil || doc == "" {
		return nil, err
	}
	a := new(annotation.Article)
	if err := json.Unmarshal([]byte(doc), a); err != nil {
		return nil, fmt.Errorf("the copy of the article on this device is damaged: %w", err)
	}
	return a, nil
}

// Articles implements device.
func (d *idbDevice) Articles() ([]*annotation.Article, error) {
	docs, err := d.getAll("articles", "")
	if err != nil {
		return nil, err
	}
	list, err := decodeAll[annotation.Article](docs)
	sortArticles(list)
	return list, err
}

// annRecord returns the record of a.
func annRecord(a *annotation.Annotation) (map[string]any, error) {
	return record("id", a.ID, a, map[string]any{"articleId": a.ArticleID})
}

// SetAnnotations implements device: in one transaction, the article's
// records not in list are deleted and list is stored.
func (d *idbDevice) SetAnnotations(articleID string, list []*annotation.Annotation) error {
	recs := make([]map[string]any, len(list))
	keep := make(map[string]bool, len(list))
	for i, a := range list {
		r, err := annRecord(a)
		if err != nil {
			return err
		}
		recs[i] = r
		keep[a.ID] = true
	}
	var onKeys app.Func
	err := d.tx("readwrite", []string{"annotations"}, func(t app.Value) {
		s := t.Call("objectStore", "annotations")
		req := s.Call("index", "byArticle").Call("getAllKeys", articleID)
		onKeys = app.FuncOf(func(app.Value, []app.Value) any {
			keys := req.Get("result")
			for i := range keys.Length() {
				if k := keys.Index(i).String(); !keep[k] {
					s.Call("delete", k)
				}
			}
			return nil
		})
		req.Call("addEventListener", "success", onKeys)
		for _, r := range recs {
			s.Call("put", r)
		}
	})
	if onKeys != nil {
		onKeys.Release()
	}
	return err
}

// PutAnnotation implements device.
func (d *idbDevice) PutAnnotation(a *annotation.Annotation) error {
	r, err := annRecord(a)
	if err != nil {
		return err
	}
	return d.tx("readwrite", []string{"annotations"}, func(t app.Value) { t.Call("objectStore", "annotations").Call("put", r) })
}

// DeleteAnnotation implements device.
func (d *idbDevice) DeleteAnnotation(id string) error {
	return d.tx("readwrite", []string{"annotations"}, func(t app.Value) { t.Call("objectStore", "annotations").Call("delete", id) })
}

// Annotations implements device.
func (d *idbDevice) Annotations(articleID string) ([]*annotation.Annotation, error) {
	docs, err := d.getAll("annotations", articleID)
	if err != nil {
		return nil, err
	}
	list, err := decodeAnnotations(docs)
	sortByPosition(list)
	return list, err
}

// AllAnnotations implements device.
func (d *idbDevice) AllAnnotations() ([]*annotation.Annotation, error) {
	docs, err := d.getAll("annotations", "")
	if err != nil {
		return nil, err
	}
	list, err := decodeAnnotations(docs)
	sortByPosition(list)
	return list, err
}

// decodeAnnotations is decodeAll for annotations, with
// annotation.DecodeAnnotation (encoding/json's result, without its
// reflection).
func decodeAnnotations(docs []string) ([]*annotation.Annotation, error) {
	out := make([]*annotation.Annotation, 0, len(docs))
	for _, s := range docs {
		a, err := annotation.DecodeAnnotation([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("a record kept on this device is damaged: %w", err)
		}
		out = append(out, a)
	}
	return out, nil
}

// PutLibrary implements device.
func (d *idbDevice) PutLibrary(list []annotation.ArticleSummary) error {
	r, err := record("key", libraryKey, list, nil)
	if err != nil {
		return err
	}
	return d.tx("readwrite", []string{"library"}, func(t app.Value) { t.Call("objectStore", "library").Call("put", r) })
}

// Library implements device.
func (d *idbDevice) Library() ([]annotation.ArticleSummary, error) {
	doc, err := d.get("library", libraryKey)
	if err != nil || doc == "" {
		return nil, err
	}
	var list []annotation.ArticleSummary
	if err := json.Unmarshal([]byte(doc), &list); err != nil {
		return nil, fmt.Errorf("the list of articles kept on this device is damaged: %w", err)
	}
	return list, nil
}
