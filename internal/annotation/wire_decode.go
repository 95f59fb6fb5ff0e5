package annotation

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// The browser client decodes lists of a thousand annotations; encoding/json,
// built on reflection, takes 100–250 ms for one in WebAssembly. The
// decoders below read the form the server writes (encoding/json's output
// for these types) directly, and hand anything else — a null, an unknown
// or repeated key, a key in another case, a surrogate escape, invalid
// UTF-8, a number an int cannot hold, trailing data — to encoding/json. So
// they accept exactly what encoding/json accepts and give the same values
// (the fast reading never decides a refusal), which FuzzDecodeList checks.

// DecodeList decodes the first JSON value of data, an annotation list as
// the API sends it ({"items": [annotation, …], "total": n}), as
// json.NewDecoder(bytes.NewReader(data)).Decode would decode it into
// struct{Items []*Annotation `json:"items"`; Total int `json:"total"`},
// returning the same values and the same errors.
func DecodeList(data []byte) (items []*Annotation, total int, err error) {
	d := newWireDecoder(data)
	if items, total = d.list(); d.end() {
		return items, total, nil
	}
	var l struct {
		Items []*Annotation `json:"items"`
		Total int           `json:"total"`
	}
	err = json.NewDecoder(bytes.NewReader(data)).Decode(&l)
	return l.Items, l.Total, err
}

// DecodeBatchResults decodes the first JSON value of data, the answer to
// POST /api/batch ({"results": [result, …]}), as
// json.NewDecoder(bytes.NewReader(data)).Decode would decode it into
// struct{Results []BatchResult `json:"results"`}, returning the same
// values and the same errors.
func DecodeBatchResults(data []byte) ([]BatchResult, error) {
	d := newWireDecoder(data)
	if results := d.batchResults(); d.end() {
		return results, nil
	}
	var out struct {
		Results []BatchResult `json:"results"`
	}
	err := json.NewDecoder(bytes.NewReader(data)).Decode(&out)
	return out.Results, err
}

// DecodeAnnotation decodes data, one annotation's JSON, into a new
// annotation as json.Unmarshal would, returning the same value and the
// same errors.
func DecodeAnnotation(data []byte) (*Annotation, error) {
	d := newWireDecoder(data)
	a := d.annotation()
	if d.end() {
		return a, nil
	}
	a = new(Annotation)
	if err := json.Unmarshal(data, a); err != nil {
		return nil, err
	}
	return a, nil
}

// DecodeArticle decodes the first JSON value of data, an article as the
// API sends it, as json.NewDecoder(bytes.NewReader(data)).Decode would
// decode it into an Article, returning the same value and the same
// errors. An article's text is most of it: encoding/json reads it through
// a function call per byte, which a page opening a long article waits
// for in WebAssembly.
func DecodeArticle(data []byte) (*Article, error) {
	d := newWireDecoder(data)
	if a := d.article(); d.end() {
		return a, nil
	}
	a := new(Article)
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(a); err != nil {
		return nil, err
	}
	return a, nil
}

// wireDecoder reads JSON in the form encoding/json writes it. On anything
// else it sets bad and stops reading: the values it returned are then to
// be thrown away.
type wireDecoder struct {
	data []byte
	// text is data as one string: the strings read without escapes are
	// slices of it, which saves an allocation each (a list's annotations
	// keep its text alive, most of which they hold anyway).
	text string
	i    int
	bad  bool
	// In a list, annotations and the elements of their tags and
	// relations are cut from chunks allocated for many (see carve and
	// newAnnotation): a thousand annotations cost tens of allocations
	// instead of thousands, which matters most on a page's first decode,
	// before the browser has optimised the wasm. A chunk stays alive while
	// any annotation cut from it does.
	inList    bool
	slab      []Annotation // not yet handed out
	slabSize  int          // of the next chunk: 4, doubling up to 64
	strArena  []string
	relArena  []Relation
	strs      []string   // scratch: the tags being read
	rels      []Relation // scratch: the relations being read
	escapeBuf []byte     // scratch of escaped
}

func newWireDecoder(data []byte) *wireDecoder {
	return &wireDecoder{data: data, text: string(data)}
}

// end reports whether the reading succeeded and only white space is left.
func (d *wireDecoder) end() bool {
	d.ws()
	return !d.bad && d.i == len(d.data)
}

func (d *wireDecoder) ws() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, 0 at the end or when bad.
func (d *wireDecoder) peek() byte {
	d.ws()
	if d.bad || d.i >= len(d.data) {
		return 0
	}
	return d.data[d.i]
}

// expect consumes c after white space.
func (d *wireDecoder) expect(c byte) {
	if d.peek() != c {
		d.bad = true
		return
	}
	d.i++
}

// object reads an object, calling field with each key, positioned at its
// value: field reads the value and returns the key's bit, 0 for a key it
// does not know. An unknown or repeated key stops the reading.
func (d *wireDecoder) object(field func(key []byte) uint32) {
	d.expect('{')
	if d.peek() == '}' {
		d.i++
		return
	}
	var seen uint32
	for !d.bad {
		key := d.key()
		d.expect(':')
		if d.bad {
			return
		}
		bit := field(key)
		if bit == 0 || seen&bit != 0 {
			d.bad = true
			return
		}
		seen |= bit
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return
		default:
			d.bad = true
		}
	}
}

// array reads an array, calling elem positioned at each element.
func (d *wireDecoder) array(elem func()) {
	d.expect('[')
	if d.peek() == ']' {
		d.i++
		return
	}
	for !d.bad {
		elem()
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return
		default:
			d.bad = true
		}
	}
}

// key returns an object key (in data's memory); one with escapes stops
// the reading.
func (d *wireDecoder) key() []byte {
	d.expect('"')
	start := d.i
	for d.i < len(d.data) && !d.bad {
		c := d.data[d.i]
		switch {
		case c == '"':
			k := d.data[start:d.i]
			d.i++
			return k
		case c == '\\' || c < 0x20 || c >= 0x80:
			d.bad = true
		}
		d.i++
	}
	d.bad = true
	return nil
}

// str reads a string.
func (d *wireDecoder) str() string {
	d.expect('"')
	if d.bad {
		return ""
	}
	start := d.i
	ascii := true
	for d.i < len(d.data) {
		c := d.data[d.i]
		switch {
		case c == '"':
			s := d.data[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(s) {
				d.bad = true
				return ""
			}
			return d.text[start : d.i-1]
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			d.bad = true
			return ""
		case c >= 0x80:
			ascii = false
		}
		d.i++
	}
	d.bad = true
	return ""
}

// escaped finishes reading a string with escapes that began at start.
func (d *wireDecoder) escaped(start int) string {
	s, buf := d.unescape(d.escapeBuf[:0], start)
	d.escapeBuf = buf[:0] // for the next one
	return s
}

// unescape does escaped's work, building the string in out, which it
// returns too.
func (d *wireDecoder) unescape(out []byte, start int) (string, []byte) {
	out = append(out, d.data[start:d.i]...)
	for d.i < len(d.data) {
		c := d.data[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(out) {
				d.bad = true
				return "", out
			}
			return string(out), out
		case c < 0x20:
			d.bad = true
			return "", out
		case c != '\\':
			out = append(out, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.data) {
			break
		}
		e := d.data[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if d.i+4 > len(d.data) {
				d.bad = true
				return "", out
			}
			r, err := strconv.ParseUint(string(d.data[d.i:d.i+4]), 16, 32)
			if err != nil || r >= 0xd800 && r < 0xe000 {
				d.bad = true // surrogates: left to encoding/json
				return "", out
			}
			out = utf8.AppendRune(out, rune(r))
			d.i += 4
		default:
			d.bad = true
			return "", out
		}
	}
	d.bad = true
	return "", out
}

// stringOf reads a string into a string type.
func stringOf[T ~string](d *wireDecoder) T { return T(d.str()) }

// int reads an integer in JSON's form, at most 18 digits.
func (d *wireDecoder) int() int {
	d.ws()
	i, neg := d.i, false
	if i < len(d.data) && d.data[i] == '-' {
		neg = true
		i++
	}
	start := i
	n := 0
	for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
		n = n*10 + int(d.data[i]-'0')
		i++
	}
	digits := i - start
	switch {
	case digits == 0 || digits > 18 || digits > 1 && d.data[start] == '0':
		d.bad = true
	case i < len(d.data) && (d.data[i] == '.' || d.data[i] == 'e' || d.data[i] == 'E'):
		d.bad = true // a fraction or exponent: encoding/json decides
	}
	d.i = i
	if neg {
		return -n
	}
	return n
}

// float reads a number as encoding/json reads one into a float64.
func (d *wireDecoder) float() float64 {
	d.ws()
	i := d.i
	if i < len(d.data) && d.data[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	intStart := i
	if n := digits(); n == 0 || n > 1 && d.data[intStart] == '0' {
		d.bad = true
		return 0
	}
	if i < len(d.data) && d.data[i] == '.' {
		i++
		if digits() == 0 {
			d.bad = true
			return 0
		}
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.bad = true
			return 0
		}
	}
	f, err := strconv.ParseFloat(string(d.data[d.i:i]), 64)
	if err != nil {
		d.bad = true
	}
	d.i = i
	return f
}

// time reads a time as time.Time.UnmarshalJSON does: the common UTC form
// "2006-01-02T15:04:05.999999999Z" directly, any other through it.
func (d *wireDecoder) time() time.Time {
	if d.peek() != '"' {
		d.bad = true
		return time.Time{}
	}
	start := d.i
	end := bytes.IndexByte(d.data[start+1:], '"')
	if end < 0 {
		d.bad = true
		return time.Time{}
	}
	raw := d.data[start : start+end+2]
	if t, ok := utcTime(raw[1 : len(raw)-1]); ok {
		d.i += len(raw)
		return t
	}
	var t time.Time
	if bytes.IndexByte(raw, '\\') >= 0 || t.UnmarshalJSON(raw) != nil {
		d.bad = true
	}
	d.i += len(raw)
	return t
}

// utcTime parses s in the form "2006-01-02T15:04:05Z", with 1 to 9
// digits of fraction allowed before the Z, with time.Parse's checks of
// ranges; ok is false for anything else.
func utcTime(s []byte) (t time.Time, ok bool) {
	if len(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[len(s)-1] != 'Z' {
		return t, false
	}
	num := func(b []byte) int {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	year, month, day := num(s[0:4]), num(s[5:7]), num(s[8:10])
	hour, minute, sec := num(s[11:13]), num(s[14:16]), num(s[17:19])
	nsec := 0
	if frac := s[19 : len(s)-1]; len(frac) > 0 {
		if frac[0] != '.' || len(frac) < 2 || len(frac) > 10 {
			return t, false
		}
		if nsec = num(frac[1:]); nsec < 0 {
			return t, false
		}
		for range 10 - len(frac) {
			nsec *= 10
		}
	}
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return t, false
	}
	if day > daysIn(month, year) {
		return t, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

// daysIn returns the number of days of month (1–12) in year.
func daysIn(month, year int) int {
	if month == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		return 29
	}
	return [12]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month-1]
}

// list reads an annotation list, {"items": […], "total": n}.
func (d *wireDecoder) list() (items []*Annotation, total int) {
	d.object(func(key []byte) uint32 {
		switch string(key) {
		case "items":
			items = d.annotations()
			return 1
		case "total":
			total = d.int()
			return 2
		}
		return 0
	})
	return items, total
}

// batchResults reads the answer to a batch, {"results": […]}.
func (d *wireDecoder) batchResults() (results []BatchResult) {
	d.object(func(key []byte) uint32 {
		if string(key) != "results" {
			return 0
		}
		results = []BatchResult{}
		d.array(func() { results = append(results, d.batchResult()) })
		return 1
	})
	return results
}

func (d *wireDecoder) batchResult() BatchResult {
	var r BatchResult
	d.object(func(key []byte) uint32 {
		switch string(key) {
		case "status":
			r.Status = d.int()
			return 1
		case "etag":
			r.ETag = d.str()
			return 2
		case "annotation":
			r.Annotation = d.annotation()
			return 4
		case "error":
			r.Error = new(Error)
			d.object(func(key []byte) uint32 {
				switch string(key) {
				case "code":
					r.Error.Code = d.str()
					return 1
				case "message":
					r.Error.Message = d.str()
					return 2
				}
				return 0
			})
			return 8
		}
		return 0
	})
	return r
}

// annotations reads an array of annotations.
func (d *wireDecoder) annotations() []*Annotation {
	out := []*Annotation{}
	inList := d.inList
	d.inList = true
	d.array(func() { out = append(out, d.annotation()) })
	d.inList = inList
	return out
}

// newAnnotation returns a new zero annotation: in a list, cut from a
// chunk (d.slab).
func (d *wireDecoder) newAnnotation() *Annotation {
	if !d.inList {
		return new(Annotation)
	}
	if len(d.slab) == 0 {
		d.slabSize = min(max(2*d.slabSize, 4), 64)
		d.slab = make([]Annotation, d.slabSize)
	}
	a := &d.slab[0]
	d.slab = d.slab[1:]
	return a
}

// carve returns a copy of src, never nil: in a list cut from *arena
// (refilled with chunk elements or len(src) when short), capped at its
// length so that appending to it never writes into the next one.
func carve[T any](inList bool, arena *[]T, src []T, chunk int) []T {
	if len(src) == 0 {
		return []T{}
	}
	if !inList {
		return append([]T(nil), src...)
	}
	if len(src) > len(*arena) {
		*arena = make([]T, max(chunk, len(src)))
	}
	out := (*arena)[:len(src):len(src)]
	copy(out, src)
	*arena = (*arena)[len(src):]
	return out
}

// annotation reads one annotation.
func (d *wireDecoder) annotation() *Annotation {
	a := d.newAnnotation()
	d.object(func(key []byte) uint32 {
		switch string(key) {
		case "id":
			a.ID = d.str()
			return 1 << 0
		case "articleId":
			a.ArticleID = d.str()
			return 1 << 1
		case "kind":
			a.Kind = stringOf[Kind](d)
			return 1 << 2
		case "target":
			d.target(&a.Target)
			return 1 << 3
		case "speaker":
			a.Speaker = d.str()
			return 1 << 4
		case "speakerId":
			a.SpeakerID = d.str()
			return 1 << 5
		case "note":
			a.Note = d.str()
			return 1 << 6
		case "tags":
			d.strs = d.strs[:0]
			d.array(func() { d.strs = append(d.strs, d.str()) })
			a.Tags = carve(d.inList, &d.strArena, d.strs, 256)
			return 1 << 7
		case "relations":
			d.rels = d.rels[:0]
			d.array(func() { d.rels = append(d.rels, d.relation()) })
			a.Relations = carve(d.inList, &d.relArena, d.rels, 64)
			return 1 << 8
		case "rating":
			a.Rating = d.rating()
			return 1 << 9
		case "creator":
			a.Creator = d.str()
			return 1 << 10
		case "creatorName":
			a.CreatorName = d.str()
			return 1 << 11
		case "visibility":
			a.Visibility = stringOf[Visibility](d)
			return 1 << 12
		case "groupId":
			a.GroupID = d.str()
			return 1 << 13
		case "created":
			a.Created = d.time()
			return 1 << 14
		case "modified":
			a.Modified = d.time()
			return 1 << 15
		case "revision":
			a.Revision = d.int()
			return 1 << 16
		case "anchoring":
			a.Anchoring = d.anchoring()
			return 1 << 17
		}
		return 0
	})
	return a
}

func (d *wireDecoder) target(t *Target) {
	d.object(func(key []byte) uint32 {
		switch string(key) {
		case "quote":
			d.object(func(key []byte) uint32 {
				switch string(key) {
				case "exact":
					t.Quote.Exact = d.str()
					return 1
				case "prefix":
					t.Quote.Prefix = d.str()
					return 2
				case "suffix":
					t.Quote.Suffix = d.str()
					return 4
				}
				return 0
			})
			return 1
		case "position":
			d.position(&t.Position)
			return 2
		case "textHash":
			t.TextHash = d.str()
			return 4
		}
		return 0
	})
}

func (d *wireDecoder) position(p *Position) {
	d.object(func(key []byte) uint32 {
		switch string(key) {
		case "start":
			p.Start = d.int()
			return 1
		case "end":
			p.End = d.int()
			return 2
		}
		return 0
	})
}

func (d *wireDecoder) relation() Relation {
	var r Relation
	d.object(func(key []byte) uint32 {
		switch string(key) {
		case "type":
			r.Type = stringOf[RelationType](d)
			return 1
		case "target":
			r.Target = d.str()
			return 2
		}
		return 0
	})
	return r
}

func (d *wireDecoder) rating() *Rating {
	r := new(Rating)
	d.object(func(key []byte) uint32 {
		switch string(key) {
		case "label":
			r.Label = d.str()
			return 1
		case "value":
			r.Value = d.int()
			return 2
		case "note":
			r.Note = d.str()
			return 4
		case "url":
			r.URL = d.str()
			return 8
		case "date":
			r.Date = d.time()
			return 16
		}
		return 0
	})
	return r
}

func (d *wireDecoder) anchoring() *Anchoring {
	an := new(Anchoring)
	d.object(func(key []byte) uint32 {
		switch string(key) {
		case "status":
			an.Status = d.str()
			return 1
		case "score":
			an.Score = d.float()
			return 2
		case "candidate":
			an.Candidate = new(Position)
			d.position(an.Candidate)
			return 4
		case "textHash":
			an.TextHash = d.str()
			return 8
		}
		return 0
	})
	return an
}

// article reads an article.
func (d *wireDecoder) article() *Article {
	a := new(Article)
	d.object(func(key []byte) uint32 {
		switch string(key) {
		case "id":
			a.ID = d.str()
			return 1 << 0
		case "title":
			a.Title = d.str()
			return 1 << 1
		case "url":
			a.URL = d.str()
			return 1 << 2
		case "source":
			a.Source = d.str()
			return 1 << 3
		case "published":
			a.Published = d.time()
			return 1 << 4
		case "text":
			a.Text = d.str()
			return 1 << 5
		case "textHash":
			a.TextHash = d.str()
			return 1 << 6
		case "created":
			a.Created = d.time()
			return 1 << 7
		case "updated":
			a.Updated = d.time()
			return 1 << 8
		case "version":
			a.Version = d.int()
			return 1 << 9
		case "groupId":
			a.GroupID = d.str()
			return 1 << 10
		case "creator":
			a.Creator = d.str()
			return 1 << 11
		}
		return 0
	})
	return a
}

// WireReader reads JSON in the form encoding/json writes it, for decoders
// of other types that hold annotations (the client's queued operations).
// Like DecodeList it gives up on anything else: once Failed, the values its
// methods returned are to be thrown away and the input decoded with
// encoding/json, which then accepts or refuses it.
type WireReader struct{ d *wireDecoder }

// NewWireReader returns a reader of data.
func NewWireReader(data []byte) *WireReader { return &WireReader{d: newWireDecoder(data)} }

// Object reads an object, calling field positioned at each value with its
// key: field reads the value and returns true, or returns false for a key
// it does not take, which fails the reading, as a repeated key does.
func (r *WireReader) Object(field func(key []byte) bool) {
	var seen [][]byte
	r.d.object(func(key []byte) uint32 {
		for _, k := range seen {
			if bytes.Equal(k, key) {
				return 0
			}
		}
		seen = append(seen, key)
		if len(seen) > 32 || !field(key) {
			return 0
		}
		return 1 << (len(seen) - 1)
	})
}

// Array reads an array, calling elem positioned at each element.
func (r *WireReader) Array(elem func()) { r.d.array(elem) }

// String reads a string.
func (r *WireReader) String() string { return r.d.str() }

// Int reads an integer.
func (r *WireReader) Int() int { return r.d.int() }

// Bool reads true or false.
func (r *WireReader) Bool() bool {
	d := r.d
	d.ws()
	switch {
	case bytes.HasPrefix(d.data[d.i:], []byte("true")):
		d.i += 4
		return true
	case bytes.HasPrefix(d.data[d.i:], []byte("false")):
		d.i += 5
	default:
		d.bad = true
	}
	return false
}

// Annotation reads an annotation.
func (r *WireReader) Annotation() *Annotation { return r.d.annotation() }

// End reports whether the reading succeeded with only white space left.
func (r *WireReader) End() bool { return r.d.end() }
