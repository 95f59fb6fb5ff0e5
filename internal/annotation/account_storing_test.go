package annotation

import "testing"

func TestAdoptAnnotation(t *testing.T) {
	tests := []struct {
		name        string
		in          Annotation
		wantChanged bool
		want        Annotation
	}{
		{"no creator", Annotation{}, true, Annotation{Creator: "u", GroupID: "g", Visibility: VisibleToGroup}},
		{"no creator, private", Annotation{Visibility: VisibleToSelf}, true, Annotation{Creator: "u", GroupID: "g", Visibility: VisibleToSelf}},
		{"a creator, another group", Annotation{Creator: "x", GroupID: "old"}, true, Annotation{Creator: "x", GroupID: "g"}},
		{"adopted", Annotation{Creator: "x", GroupID: "g"}, false, Annotation{Creator: "x", GroupID: "g"}},
	}
	for _, tt := range tests {
		a := tt.in
		if changed := AdoptAnnotation(&a, "g", "u"); changed != tt.wantChanged ||
			a.Creator != tt.want.Creator || a.GroupID != tt.want.GroupID || a.Visibility != tt.want.Visibility {
			t.Errorf("%s: AdoptAnnotation = %v, %+v; want %v, %+v", tt.name, changed, a, tt.wantChanged, tt.want)
		}
	}
}

func TestCheckMemberChange(t *testing.T) {
	shared, personal := &Group{ID: "g", Name: "Desk"}, &Group{ID: "p", Name: "Ann", Personal: true}
	one := []Member{{UserID: "a", Role: Owner}, {UserID: "b", Role: Editor}}
	two := []Member{{UserID: "a", Role: Owner}, {UserID: "b", Role: Owner}}
	tests := []struct {
		name    string
		g       *Group
		members []Member
		m       Member
		code    string
	}{
		{"promote", shared, one, Member{UserID: "b", Role: Owner}, ""},
		{"add", shared, one, Member{UserID: "c", Role: Viewer}, ""},
		{"demote the last owner", shared, one, Member{UserID: "a", Role: Editor}, Conflict},
		{"demote one of two owners", shared, two, Member{UserID: "a", Role: Viewer}, ""},
		{"unknown role", shared, one, Member{UserID: "c", Role: "boss"}, Invalid},
		{"join a personal group", personal, []Member{{UserID: "a", Role: Owner}}, Member{UserID: "c", Role: Viewer}, Invalid},
	}
	for _, tt := range tests {
		if code := ErrorCode(CheckMemberChange(tt.g, tt.members, &tt.m)); code != tt.code {
			t.Errorf("%s: code %q, want %q", tt.name, code, tt.code)
		}
	}
	if code := ErrorCode(CheckMemberRemoval(shared, one, "a")); code != Conflict {
		t.Errorf("removing the last owner: %q, want conflict", code)
	}
	if code := ErrorCode(CheckMemberRemoval(shared, one, "z")); code != NotFound {
		t.Errorf("removing a non-member: %q, want not_found", code)
	}
	if err := CheckMemberRemoval(shared, two, "a"); err != nil {
		t.Errorf("removing one of two owners: %v", err)
	}
}
