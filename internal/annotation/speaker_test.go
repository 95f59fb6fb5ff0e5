package annotation

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func validSpeaker() *Speaker {
	return &Speaker{ID: "s1", Name: "Donald Trump", Aliases: []string{"Trump"}, Kind: Person,
		SameAs: "https://www.wikidata.org/wiki/Q22686"}
}

func TestSpeakerValidate(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(s *Speaker)
		wantCode string
		wantMsg  string
	}{
		{"valid", func(s *Speaker) {}, "", ""},
		{"organisation", func(s *Speaker) { s.Kind = Organisation }, "", ""},
		{"bad id", func(s *Speaker) { s.ID = "a b" }, Invalid, "not valid"},
		{"no name", func(s *Speaker) { s.Name = "  " }, Invalid, "needs a name"},
		{"unknown kind", func(s *Speaker) { s.Kind = "robot" }, Invalid, "person or organisation"},
		{"broken utf-8 in alias", func(s *Speaker) { s.Aliases = []string{"\xff"} }, Invalid, "UTF-8"},
		{"broken utf-8 in description", func(s *Speaker) { s.Description = "a\xc3(" }, Invalid, "UTF-8"},
		{"name too long", func(s *Speaker) { s.Name = strings.Repeat("n", MaxSpeakerChars+1) }, TooLarge, "200"},
		{"alias too long", func(s *Speaker) { s.Aliases = []string{strings.Repeat("a", MaxSpeakerChars+1)} }, TooLarge, "alias"},
		{"empty alias", func(s *Speaker) { s.Aliases = []string{" "} }, Invalid, "alias"},
		{"too many aliases", func(s *Speaker) {
			s.Aliases = nil
			for i := range MaxAliases + 1 {
				s.Aliases = append(s.Aliases, strings.Repeat("a", i+1))
			}
		}, TooLarge, "aliases"},
		{"description too long", func(s *Speaker) { s.Description = strings.Repeat("d", MaxDescriptionChars+1) }, TooLarge, "description"},
		{"sameAs not http", func(s *Speaker) { s.SameAs = "javascript:alert(1)" }, Invalid, "http or https"},
		{"broken utf-8 survives Clean", func(s *Speaker) { s.Name = "Tr\xffump"; s.Clean() }, Invalid, "UTF-8"},
		{"sameAs without host", func(s *Speaker) { s.SameAs = "https://" }, Invalid, "sameAs"},
		{"sameAs relative", func(s *Speaker) { s.SameAs = "/wiki/Q22686" }, Invalid, "sameAs"},
		{"sameAs too long", func(s *Speaker) { s.SameAs = "https://example.com/" + strings.Repeat("x", MaxURLChars) }, TooLarge, "sameAs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validSpeaker()
			tt.edit(s)
			err := s.Validate()
			if got := ErrorCode(err); got != tt.wantCode {
				t.Fatalf("Validate() code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if err != nil && !strings.Contains(ErrorMessage(err), tt.wantMsg) {
				t.Errorf("Validate() message %q does not mention %q", ErrorMessage(err), tt.wantMsg)
			}
		})
	}
}

func TestSpeakerClean(t *testing.T) {
	s := &Speaker{Name: "  Donald   Trump ", Aliases: []string{"trump", " Trump ", "DONALD TRUMP", "", "The  Donald"}, SameAs: " https://x.org/a "}
	s.Clean()
	if s.Name != "Donald Trump" || s.Kind != Person || s.SameAs != "https://x.org/a" {
		t.Errorf("Clean() = %+v", s)
	}
	if want := []string{"trump", "The Donald"}; !slices.Equal(s.Aliases, want) {
		t.Errorf("Aliases = %q, want %q", s.Aliases, want)
	}
}

func TestSpeakerKey(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Donald Trump", " donald   TRUMP "},
		{"Zélie Côté", "Ze\u0301lie Co\u0302te\u0301"}, // decomposed accents
		{"Nguyễn", "Nguye\u0302\u0303n"},               // two marks in turn
		{"한국", "\u1112\u1161\u11ab\u1100\u116e\u11a8"}, // conjoining jamo
		{"Zoë", "ZOË"},
	}
	for _, tt := range tests {
		if SpeakerKey(tt.a) != SpeakerKey(tt.b) {
			t.Errorf("SpeakerKey(%q) = %q, SpeakerKey(%q) = %q; want them equal", tt.a, SpeakerKey(tt.a), tt.b, SpeakerKey(tt.b))
		}
	}
	if SpeakerKey("Trump") == SpeakerKey("Donald Trump") {
		t.Error("different names have the same key")
	}
	if got := ComposeNFC("e\u0301"); got != "é" {
		t.Errorf("ComposeNFC(e + U+0301) = %q, want é", got)
	}
}

// lookup is a SpeakerLookup over a slice.
type lookup []*Speaker

func (l lookup) HasSpeaker(id string) (bool, error) {
	return slices.ContainsFunc(l, func(s *Speaker) bool { return s.ID == id }), nil
}

func (l lookup) SpeakerIDByKey(key string) (string, bool, error) {
	for _, s := range l {
		if slices.Contains(s.Keys(), key) {
			return s.ID, true, nil
		}
	}
	return "", false, nil
}

func TestLinkSpeaker(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	known := lookup{validSpeaker(), {ID: "s2", Name: "Maria Zakharova"}}
	tests := []struct {
		name, speaker, id string
		wantID            string // "new" for a created speaker
	}{
		{"no speaker text clears the id", "", "s1", ""},
		{"known id is kept", "Trump", "s2", "s2"},
		{"alias matches", "trump", "", "s1"},
		{"name matches", "DONALD TRUMP", "", "s1"},
		{"unknown id resolves by name", "Maria Zakharova", "gone", "s2"},
		{"unknown text creates", "Zoë", "", "new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &Annotation{Speaker: tt.speaker, SpeakerID: tt.id}
			s, err := LinkSpeaker(a, nil, known, now)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantID == "new" {
				if s == nil || s.Name != tt.speaker || a.SpeakerID != s.ID || s.Revision != 1 || !s.Created.Equal(now) || s.Kind != Person {
					t.Fatalf("LinkSpeaker created %+v, annotation id %q", s, a.SpeakerID)
				}
				return
			}
			if s != nil || a.SpeakerID != tt.wantID {
				t.Errorf("LinkSpeaker: id %q, created %v; want id %q and nothing created", a.SpeakerID, s, tt.wantID)
			}
		})
	}
}

func TestLinkSpeakerEditedText(t *testing.T) {
	known := lookup{validSpeaker(), {ID: "s2", Name: "Maria Zakharova"}}
	old := &Annotation{Speaker: "Trump", SpeakerID: "s1"}
	a := &Annotation{Speaker: "Maria Zakharova", SpeakerID: "s1"}
	if _, err := LinkSpeaker(a, old, known, time.Now()); err != nil || a.SpeakerID != "s2" {
		t.Errorf("an edited text with the old id links to %q, %v; want s2", a.SpeakerID, err)
	}
	a = &Annotation{Speaker: "  TRUMP ", SpeakerID: "s1"}
	if _, err := LinkSpeaker(a, old, known, time.Now()); err != nil || a.SpeakerID != "s1" {
		t.Errorf("a respelled text links to %q, %v; want s1 kept", a.SpeakerID, err)
	}
	a = &Annotation{Speaker: "the president", SpeakerID: "s1"}
	if _, err := LinkSpeaker(a, &Annotation{Speaker: "the president", SpeakerID: "s2"}, known, time.Now()); err != nil || a.SpeakerID != "s1" {
		t.Errorf("a newly chosen id links to %q, %v; want s1 kept", a.SpeakerID, err)
	}
}

func TestMergeSpeaker(t *testing.T) {
	into := &Speaker{ID: "s1", Name: "Donald Trump", Kind: Person, Revision: 3}
	from := &Speaker{ID: "s2", Name: "Trump", Aliases: []string{"DJT", "donald trump"}}
	got, err := MergeSpeaker(from, into)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Donald Trump" || !slices.Equal(got.Aliases, []string{"Trump", "DJT"}) || got.ID != "s1" {
		t.Errorf("MergeSpeaker = %+v", got)
	}
	if into.Aliases != nil {
		t.Errorf("MergeSpeaker modified into: %q", into.Aliases)
	}
	for i := range MaxAliases {
		into.Aliases = append(into.Aliases, strings.Repeat("x", i+1))
	}
	if _, err := MergeSpeaker(from, into); ErrorCode(err) != TooLarge {
		t.Errorf("MergeSpeaker past the alias limit: %v, want too_large", err)
	}
}

func TestSpeakerMatches(t *testing.T) {
	s := validSpeaker()
	for q, want := range map[string]bool{"": true, "don": true, "tru": true, "donald t": true, "TRUMP": true, "ald": false, "biden": false} {
		if got := SpeakerMatches(s, q); got != want {
			t.Errorf("SpeakerMatches(%q) = %v, want %v", q, got, want)
		}
	}
}
