package app

import (
	"net/url"
	"testing"
)

func TestExportFilters(t *testing.T) {
	tests := []struct {
		name string
		st   searchState
		want string
	}{
		{"empty", searchState{}, ""},
		{"page, sort and view are dropped", searchState{Q: "harbour", Sort: "newest", Page: 3, View: searchViewChart}, "q=harbour"},
		{"every filter", searchState{Q: "a b", Kind: "denial", Speaker: "The mayor", Article: "A1", Tags: []string{"x", "y"}, Since: "2024-01-02", Until: "2024-02-03"},
			"article=A1&kind=denial&q=a+b&since=2024-01-02&speaker=The+mayor&tag=x&tag=y&until=2024-02-03"},
	}
	for _, tt := range tests {
		if got := exportFilters(tt.st).Encode(); got != tt.want {
			t.Errorf("%s: exportFilters = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestExportHref(t *testing.T) {
	f := url.Values{"kind": {"claim"}, "tag": {"a", "b"}}
	if got, want := exportHref("csv", f), "/api/export?format=csv&kind=claim&tag=a&tag=b"; got != want {
		t.Errorf("exportHref = %q, want %q", got, want)
	}
	if f.Get("format") != "" {
		t.Error("exportHref changed the filters it was given")
	}
	if got, want := exportHref("brat", nil), "/api/export?format=brat"; got != want {
		t.Errorf("exportHref(nil) = %q, want %q", got, want)
	}
}

func TestExportFileName(t *testing.T) {
	tests := []struct{ base, format, want string }{
		{"", "jsonld", "claimmark-export.jsonld"},
		{"all", "csv", "claimmark-all.csv"},
		{"Search: Fishermen / kind=claim", "csv", "claimmark-search-fishermen-kind-claim.csv"},
		{"L'état a dit", "brat", "claimmark-l-état-a-dit.zip"},
		{"x", "claimreview", "claimmark-x.jsonld"},
		{"  ../..  ", "jsonl", "claimmark-export.jsonl"},
	}
	for _, tt := range tests {
		if got := exportFileName(tt.base, tt.format); got != tt.want {
			t.Errorf("exportFileName(%q, %q) = %q, want %q", tt.base, tt.format, got, tt.want)
		}
	}
}
