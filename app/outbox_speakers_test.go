package app

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
	"claimmark/internal/server/servertest"
)

// speakerFixture is a server store with three speakers and a device that
// has seen them, with an annotation of s1 kept.
type speakerFixture struct {
	st   *servertest.Store
	dev  *memDevice
	box  *outbox
	sp   map[string]annotation.Speaker // by id
	mu   sync.Mutex
	evts []outboxEvent // the Done events
}

func newSpeakerFixture(t *testing.T) *speakerFixture {
	t.Helper()
	ctx := context.Background()
	f := &speakerFixture{st: servertest.NewStore(), dev: newMemDevice(), sp: map[string]annotation.Speaker{}}
	for _, s := range []*annotation.Speaker{
		{ID: "s1", Name: "Trump"},
		{ID: "s2", Name: "Donald Trump", Aliases: []string{"DJT"}},
		{ID: "s3", Name: "Donald J. Trump"},
	} {
		if _, err := f.st.PutSpeaker(ctx, s, ""); err != nil {
			t.Fatal(err)
		}
		f.sp[s.ID] = *s
	}
	list, err := f.st.Speakers(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	list[slices.IndexFunc(list, func(s annotation.SpeakerSummary) bool { return s.ID == "s1" })].Counts = annotation.Counts{Claim: 1}
	list[slices.IndexFunc(list, func(s annotation.SpeakerSummary) bool { return s.ID == "s2" })].Counts = annotation.Counts{Claim: 2, Denial: 1}
	if err := f.dev.PutSpeakers(list, true); err != nil {
		t.Fatal(err)
	}
	a := ann("a", "Trump")
	a.SpeakerID = "s1"
	if err := f.dev.PutAnnotation(a); err != nil {
		t.Fatal(err)
	}
	f.box = newOutbox(speakerFakeAPI{API: newFakeAPI(), sp: f.st}, outboxConfig{Device: f.dev})
	f.box.Subscribe(func(ev outboxEvent) {
		if ev.Done {
			f.mu.Lock()
			f.evts = append(f.evts, ev)
			f.mu.Unlock()
		}
	})
	return f
}

func (f *speakerFixture) kept(t *testing.T) map[string]annotation.SpeakerSummary {
	t.Helper()
	list, err := f.dev.Speakers()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]annotation.SpeakerSummary{}
	for _, s := range list {
		m[s.ID] = s
	}
	return m
}

// TestOutboxMergeSpeaker checks a merge queued offline: applied on the
// device at once (identities and the annotations kept), sent when flushed,
// and resolved without losing a statement when the server no longer holds
// one of the two speakers.
func TestOutboxMergeSpeaker(t *testing.T) {
	tests := []struct {
		name       string
		before     func(ctx context.Context, st *servertest.Store) error // done elsewhere meanwhile
		wantGone   []string                                              // speakers no longer on the server
		wantAlias  map[string]string                                     // speaker id → an alias it must have
		wantNotice string                                                // a part of the notice, "" for none
	}{
		{
			name:      "sent as queued",
			wantGone:  []string{"s1"},
			wantAlias: map[string]string{"s2": "Trump"},
		},
		{
			name: "the source was already merged into the target",
			before: func(ctx context.Context, st *servertest.Store) error {
				_, err := st.MergeSpeakers(ctx, "s1", "s2")
				return err
			},
			wantGone:   []string{"s1"},
			wantAlias:  map[string]string{"s2": "Trump"},
			wantNotice: "had already been merged into “Donald Trump”",
		},
		{
			name: "the source was merged into another speaker",
			before: func(ctx context.Context, st *servertest.Store) error {
				_, err := st.MergeSpeakers(ctx, "s1", "s3")
				return err
			},
			wantGone:   []string{"s1"},
			wantAlias:  map[string]string{"s3": "Trump"},
			wantNotice: "was merged into “Donald J. Trump” on another device",
		},
		{
			name: "the target was merged into another speaker",
			before: func(ctx context.Context, st *servertest.Store) error {
				_, err := st.MergeSpeakers(ctx, "s2", "s3")
				return err
			},
			wantGone:   []string{"s1", "s2"},
			wantAlias:  map[string]string{"s3": "Trump"},
			wantNotice: "“Trump” was merged into “Donald J. Trump”",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newSpeakerFixture(t)
			if err := f.box.EnqueueMergeSpeaker(f.sp["s1"], f.sp["s2"]); err != nil {
				t.Fatal(err)
			}
			// Applied on the device at once.
			kept := f.kept(t)
			if _, ok := kept["s1"]; ok {
				t.Error("the device still keeps the merged speaker")
			}
			if s2 := kept["s2"]; !slices.Contains(s2.Aliases, "Trump") || s2.Counts != (annotation.Counts{Claim: 3, Denial: 1}) {
				t.Errorf("the device keeps the target as %+v; want Trump among its aliases and the sum of the counts", s2)
			}
			anns, _ := f.dev.AllAnnotations()
			if len(anns) != 1 || anns[0].SpeakerID != "s2" {
				t.Errorf("the annotation kept points to %q, want s2", anns[0].SpeakerID)
			}
			if st := f.box.Status(); st.Waiting != 1 {
				t.Errorf("%d changes waiting, want the merge", st.Waiting)
			}

			if tt.before != nil {
				if err := tt.before(ctx, f.st); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.box.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			if st := f.box.Status(); st.Waiting != 0 {
				t.Errorf("%d changes waiting after the flush, want none", st.Waiting)
			}
			for _, id := range tt.wantGone {
				if _, err := f.st.Speaker(ctx, id); annotation.ErrorCode(err) != annotation.NotFound {
					t.Errorf("speaker %s is still on the server (%v)", id, err)
				}
			}
			for id, alias := range tt.wantAlias {
				s, err := f.st.Speaker(ctx, id)
				if err != nil || !slices.Contains(s.Aliases, alias) {
					t.Errorf("speaker %s on the server = %+v, %v; want the alias %s", id, s, err, alias)
				}
			}
			f.mu.Lock()
			evts := f.evts
			f.mu.Unlock()
			if len(evts) != 1 || evts[0].Kind != opMergeSpeaker || evts[0].Err != nil {
				t.Fatalf("events %+v, want one merge done without error", evts)
			}
			if got := evts[0].Notice; tt.wantNotice == "" && got != "" || !strings.Contains(got, tt.wantNotice) {
				t.Errorf("notice %q, want one containing %q", got, tt.wantNotice)
			}
			f.box.call(func() {}) // the device writes that follow
			if _, ok := f.kept(t)["s1"]; ok {
				t.Error("after the merge was sent the device keeps the merged speaker again")
			}
		})
	}
}

// TestOutboxMergeSpeakerRetry checks that a merge waits while the server
// cannot be reached, and goes alone even behind an annotation change.
func TestOutboxMergeSpeakerRetry(t *testing.T) {
	ctx := context.Background()
	f := newSpeakerFixture(t)
	down := true
	f.st.Fail = func(method string) error {
		if down && method == "MergeSpeakers" {
			return client.ErrUnreachable
		}
		return nil
	}
	f.box.EnqueuePut(ann("b", "Someone"))
	if err := f.box.EnqueueMergeSpeaker(f.sp["s1"], f.sp["s2"]); err != nil {
		t.Fatal(err)
	}
	if err := f.box.Flush(ctx); err == nil {
		t.Fatal("Flush succeeded with the server unreachable")
	}
	if st := f.box.Status(); st.Waiting != 1 || !st.Offline {
		t.Errorf("status %+v, want the merge waiting, offline", st)
	}
	down = false
	if err := f.box.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Speaker(ctx, "s1"); annotation.ErrorCode(err) != annotation.NotFound {
		t.Errorf("the merge was not sent: s1 is still there (%v)", err)
	}
}

// TestOutboxPutSpeaker checks a rename queued offline: applied on the
// device at once, fast edits made one request, sent If-Match its base; a
// speaker changed elsewhere meanwhile keeps the names of both, and one
// gone from the server is not made again.
func TestOutboxPutSpeaker(t *testing.T) {
	tests := []struct {
		name        string
		before      func(ctx context.Context, st *servertest.Store) error
		wantName    string
		wantAliases []string
		wantNotice  string
		wantGone    bool
	}{
		{name: "sent as queued", wantName: "Donald John Trump", wantAliases: []string{"DJT", "POTUS45"}},
		{
			name: "changed elsewhere meanwhile",
			before: func(ctx context.Context, st *servertest.Store) error {
				s, err := st.Speaker(ctx, "s2")
				if err != nil {
					return err
				}
				s.Name, s.Aliases = "President Trump", []string{"DJT", "The Donald"}
				_, err = st.PutSpeaker(ctx, s, s.ETag())
				return err
			},
			wantName:    "Donald John Trump",
			wantAliases: []string{"DJT", "The Donald", "President Trump", "POTUS45"},
			wantNotice:  "the names from both are kept",
		},
		{
			name: "merged away elsewhere",
			before: func(ctx context.Context, st *servertest.Store) error {
				_, err := st.MergeSpeakers(ctx, "s2", "s3")
				return err
			},
			wantGone:   true,
			wantNotice: "no longer on the server",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newSpeakerFixture(t)
			s2, err := f.st.Speaker(ctx, "s2")
			if err != nil {
				t.Fatal(err)
			}
			next := *s2
			next.Name = "Donald Trump Sr."
			if err := f.box.EnqueuePutSpeaker(next); err != nil {
				t.Fatal(err)
			}
			next.Name, next.Aliases = "Donald John Trump", []string{"DJT", "POTUS45"}
			if err := f.box.EnqueuePutSpeaker(next); err != nil {
				t.Fatal(err)
			}
			if k := f.kept(t)["s2"]; k.Name != "Donald John Trump" || k.Counts != (annotation.Counts{Claim: 2, Denial: 1}) {
				t.Errorf("the device keeps %+v; want the new name and the counts it had", k)
			}
			if st := f.box.Status(); st.Waiting != 1 {
				t.Errorf("%d changes waiting, want the two edits as one", st.Waiting)
			}
			if tt.before != nil {
				if err := tt.before(ctx, f.st); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.box.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := f.st.Speaker(ctx, "s2")
			switch {
			case tt.wantGone:
				if annotation.ErrorCode(err) != annotation.NotFound {
					t.Errorf("the speaker merged away was made again: %+v, %v", got, err)
				}
			case err != nil:
				t.Fatal(err)
			case got.Name != tt.wantName || !slices.Equal(got.Aliases, tt.wantAliases):
				t.Errorf("the server holds %q %q, want %q %q", got.Name, got.Aliases, tt.wantName, tt.wantAliases)
			}
			f.mu.Lock()
			evts := f.evts
			f.mu.Unlock()
			if len(evts) != 1 || evts[0].Err != nil || !strings.Contains(evts[0].Notice, tt.wantNotice) || tt.wantNotice == "" && evts[0].Notice != "" {
				t.Errorf("events %+v, want one done with a notice containing %q", evts, tt.wantNotice)
			}
		})
	}
}

func TestOverlaySpeakers(t *testing.T) {
	list := []annotation.SpeakerSummary{
		{Speaker: annotation.Speaker{ID: "s2", Name: "Donald Trump"}, Counts: annotation.Counts{Claim: 2}},
		{Speaker: annotation.Speaker{ID: "s1", Name: "Trump", Aliases: []string{"The Donald"}}, Counts: annotation.Counts{Denial: 1}},
		{Speaker: annotation.Speaker{ID: "s4", Name: "NATO"}},
	}
	ops := []*op{
		{Kind: opPut, ID: "s4"}, // an annotation's: ignored
		{Kind: opMergeSpeaker, ID: "s1", Into: "s2"},
		{Kind: opMergeSpeaker, ID: "s9", Into: "s4"}, // not listed: nothing
	}
	got := overlaySpeakers(list, ops)
	if len(got) != 2 || got[0].ID != "s2" || got[1].ID != "s4" {
		t.Fatalf("overlaySpeakers = %+v, want s2 then s4", got)
	}
	if !slices.Equal(got[0].Aliases, []string{"Trump", "The Donald"}) || got[0].Counts != (annotation.Counts{Claim: 2, Denial: 1}) {
		t.Errorf("merged into s2: %+v", got[0])
	}
	if len(list) != 3 || len(list[0].Aliases) != 0 {
		t.Error("overlaySpeakers changed its input")
	}
}

// TestSearchLocalIdentities checks the offline search with the device's
// identities: an alias finds its speaker's statements, also one whose
// speaker text is not yet linked (made offline), and the facet has one
// value per identity.
func TestSearchLocalIdentities(t *testing.T) {
	ids := speakerIDs([]annotation.SpeakerSummary{
		{Speaker: annotation.Speaker{ID: "s2", Name: "Donald Trump", Aliases: []string{"Trump", "POTUS45"}}},
	})
	a := ann("a", "Trump")
	a.SpeakerID = "s1" // merged away since
	b := ann("b", "Donald Trump")
	b.SpeakerID = "s2"
	c := ann("c", "trump") // made offline: no identity yet
	d := ann("d", "Maria Zakharova")
	anns := []*annotation.Annotation{a, b, c, d}
	res, err := searchLocal(anns, nil, ids, annotation.Query{Text: "potus45"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 {
		t.Errorf("potus45 finds %d, want the 3 statements of Donald Trump", res.Total)
	}
	res, err = searchLocal(anns, nil, ids, annotation.Query{})
	if err != nil {
		t.Fatal(err)
	}
	want := []annotation.FacetValue{{Value: "Donald Trump", Count: 3}, {Value: "Maria Zakharova", Count: 1}}
	if !slices.Equal(res.Facets.Speaker, want) {
		t.Errorf("speaker facet %v, want %v", res.Facets.Speaker, want)
	}
	if a.SpeakerID != "s1" || c.SpeakerID != "" {
		t.Error("searchLocal changed the annotations it was given")
	}
}

func TestSpeakerChoices(t *testing.T) {
	ids := []annotation.SpeakerSummary{
		{Speaker: annotation.Speaker{ID: "s2", Name: "Donald Trump", Aliases: []string{"Trump"}, Kind: annotation.Person}},
		{Speaker: annotation.Speaker{ID: "s5", Name: "Truth Commission", Kind: annotation.Organisation}},
		{Speaker: annotation.Speaker{ID: "s6", Name: "Melania Knavs", Aliases: []string{"Melania Trump"}, Kind: annotation.Person}},
		{Speaker: annotation.Speaker{ID: "s7", Name: "NATO", Kind: annotation.Organisation}},
	}
	tests := []struct {
		name string
		q    string
		here []string
		want []speakerChoice
	}{
		{"empty query offers nothing", "  ", []string{"Trump"}, nil},
		{"the library, with the alias that matched", "tru", nil, []speakerChoice{
			{Name: "Donald Trump", Kind: annotation.Person},
			{Name: "Truth Commission", Kind: annotation.Organisation},
			{Name: "Melania Knavs", Alias: "Melania Trump", Kind: annotation.Person},
		}},
		{"the article's names first, standing for their identity", "Tru", []string{"Zakharova", "Trump", "trump"}, []speakerChoice{
			{Name: "Trump", Kind: annotation.Person, Here: true},
			{Name: "Truth Commission", Kind: annotation.Organisation},
			{Name: "Melania Knavs", Alias: "Melania Trump", Kind: annotation.Person},
		}},
		{"a word of a name", "knavs", nil, []speakerChoice{{Name: "Melania Knavs", Kind: annotation.Person}}},
		{"the text being typed is not offered back", "Tru", []string{"Tru", "tru"}, []speakerChoice{
			{Name: "Donald Trump", Kind: annotation.Person},
			{Name: "Truth Commission", Kind: annotation.Organisation},
			{Name: "Melania Knavs", Alias: "Melania Trump", Kind: annotation.Person},
		}},
		{"nothing matches", "xyz", []string{"Trump"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := speakerChoices(tt.q, tt.here, ids, 8)
			if !slices.Equal(got, tt.want) {
				t.Errorf("speakerChoices(%q) =\n%+v\nwant\n%+v", tt.q, got, tt.want)
			}
		})
	}
	if got := speakerChoices("t", nil, ids, 2); len(got) != 2 {
		t.Errorf("limit 2 gives %d choices", len(got))
	}
}

// TestSpeakerFieldComponent renders the speaker field with choices open:
// an ARIA combobox pointing at its listbox and active option, names as
// text only.
func TestSpeakerFieldComponent(t *testing.T) {
	c := &speakerField{ID: "a", text: "Tru"}
	e := app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	html := app.HTMLString(c)
	for _, want := range []string{`role="combobox"`, `aria-expanded="false"`, `aria-controls="ed-speaker-list"`, `role="listbox"`, `value="Tru"`} {
		if !strings.Contains(html, want) {
			t.Errorf("closed, the field lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "aria-activedescendant") {
		t.Errorf("closed, the field names an active option:\n%s", html)
	}

	c = &speakerField{ID: "a", text: "tru"}
	c.offer([]string{"Trump <b>Sons</b>"}, []annotation.SpeakerSummary{
		{Speaker: annotation.Speaker{ID: "s2", Name: "Donald Trump", Kind: annotation.Person}},
	}, "tru")
	c.active = 1
	e = app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	html = app.HTMLString(c)
	// (go-app's HTMLString writes a "true" attribute bare, as aria-expanded.)
	for _, want := range []string{`aria-activedescendant="ed-speaker-opt-1"`,
		"Trump &lt;b&gt;Sons&lt;/b&gt;", "in this article", "Donald Trump", "Person"} {
		if !strings.Contains(html, want) {
			t.Errorf("open, the field lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, `aria-expanded="false"`) || strings.Count(html, `aria-selected="false"`) != 1 {
		t.Errorf("open, the field says it is closed or its active option is not selected:\n%s", html)
	}
	if strings.Contains(html, "<b>Sons</b>") {
		t.Errorf("a name was rendered as HTML:\n%s", html)
	}
}

// TestSpeakerFieldOfferKeepsTheHighlight checks that when the choices are
// replaced (the server's answer after the device's), the highlighted
// speaker stays highlighted where it moved to, and none is once it is
// gone: the index alone would now point at another speaker.
func TestSpeakerFieldOfferKeepsTheHighlight(t *testing.T) {
	id := func(sid, name string) annotation.SpeakerSummary {
		return annotation.SpeakerSummary{Speaker: annotation.Speaker{ID: sid, Name: name, Kind: annotation.Person}}
	}
	c := &speakerField{ID: "a", text: "tru", active: -1}
	c.offer(nil, []annotation.SpeakerSummary{id("s1", "Trump"), id("s2", "Donald Trump")}, "tru")
	c.active = slices.IndexFunc(c.choices, func(ch speakerChoice) bool { return ch.Name == "Donald Trump" })
	c.offer(nil, []annotation.SpeakerSummary{id("s2", "Donald Trump"), id("s3", "Ivanka Trump"), id("s1", "Trump")}, "tru")
	if c.active < 0 || c.choices[c.active].Name != "Donald Trump" {
		t.Errorf("after the list changed the highlight is on %d (%+v), want Donald Trump", c.active, c.choices)
	}
	c.offer(nil, []annotation.SpeakerSummary{id("s1", "Trump")}, "tru")
	if c.active != -1 {
		t.Errorf("with Donald Trump gone the highlight is on %d (%+v), want none", c.active, c.choices)
	}
}
