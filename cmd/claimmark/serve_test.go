package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/server/servertest"
	"claimmark/internal/store"
)

func TestMainServesTheSampleArticle(t *testing.T) {
	dir := t.TempDir()
	m, logs := MustRunMain(t, dir)

	if !listening.MatchString(logs.String()) {
		t.Errorf("stderr lacks the listening line; got:\n%s", logs.String())
	}
	if got := do(t, "GET", m.URL+"/api/health", nil, nil); got != http.StatusOK {
		t.Fatalf("GET /api/health = %d, want 200", got)
	}

	var arts list[annotation.ArticleSummary]
	if got := do(t, "GET", m.URL+"/api/articles", nil, &arts); got != http.StatusOK {
		t.Fatalf("GET /api/articles = %d, want 200", got)
	}
	want, wantAnns, err := loadSample()
	if err != nil {
		t.Fatal(err)
	}
	if len(arts.Items) != 1 || arts.Items[0].Title != want.Title {
		t.Fatalf("a new data directory lists %+v, want only the sample article %q", arts.Items, want.Title)
	}
	id := arts.Items[0].ID

	var art annotation.Article
	do(t, "GET", m.URL+"/api/articles/"+id, nil, &art)
	if art.Text != want.Text || art.Source != want.Source {
		t.Errorf("the stored sample article differs from sample.json")
	}
	if words := len(strings.Fields(art.Text)); words < 600 || words > 900 {
		t.Errorf("the sample article has %d words, want 600 to 900", words)
	}

	var anns list[*annotation.Annotation]
	do(t, "GET", m.URL+"/api/articles/"+id+"/annotations", nil, &anns)
	if len(anns.Items) != len(wantAnns) {
		t.Fatalf("the sample article has %d annotations, want %d", len(anns.Items), len(wantAnns))
	}
	kinds := map[annotation.Kind]int{}
	speakers := map[string]bool{}
	for _, a := range anns.Items {
		kinds[a.Kind]++
		speakers[a.Speaker] = true
		if got, _ := annotation.Slice(art.Text, a.Target.Position.Start, a.Target.Position.End); got != a.Target.Quote.Exact {
			t.Errorf("annotation %s quotes %q but the text there is %q", a.ID, a.Target.Quote.Exact, got)
		}
	}
	if kinds[annotation.Claim] == 0 || kinds[annotation.Denial] == 0 || kinds[annotation.Proposal] == 0 || len(speakers) < 4 {
		t.Errorf("the sample annotations should show every kind and several speakers; got %v and %d speakers", kinds, len(speakers))
	}

	var res annotation.Results
	if got := do(t, "GET", m.URL+"/api/search?q="+url.QueryEscape("fast track")+"&kind=denial", nil, &res); got != http.StatusOK {
		t.Fatalf("GET /api/search = %d, want 200", got)
	}
	if res.Total != 1 || res.Hits[0].Annotation.Speaker != "Lena Marsh" {
		t.Errorf(`search "fast track" kind=denial found %d hits (%+v), want Lena Marsh's denial`, res.Total, res.Hits)
	}

	if got := do(t, "GET", m.URL+"/api/nope", nil, nil); got != http.StatusNotFound {
		t.Errorf("GET /api/nope = %d, want 404", got)
	}

	// The Web Annotation Protocol container is the API's, not the app's.
	var container struct {
		Total int `json:"total"`
	}
	if got := do(t, "GET", m.URL+"/annotations/", nil, &container); got != http.StatusOK || container.Total != len(wantAnns) {
		t.Errorf("GET /annotations/ = %d with total %d, want 200 and %d", got, container.Total, len(wantAnns))
	}
}

func TestDeletedSampleStaysDeleted(t *testing.T) {
	dir := t.TempDir()
	m, _ := MustRunMain(t, dir)
	var arts list[annotation.ArticleSummary]
	do(t, "GET", m.URL+"/api/articles", nil, &arts)
	if len(arts.Items) != 1 {
		t.Fatalf("new data directory: %d articles, want the sample only", len(arts.Items))
	}
	if got := do(t, "DELETE", m.URL+"/api/articles/"+arts.Items[0].ID, nil, nil); got >= 300 {
		t.Fatalf("DELETE the sample = %d", got)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, seededMarker)); err != nil {
		t.Errorf("no seeded marker in the data directory: %v", err)
	}

	m2, _ := MustRunMain(t, dir)
	arts = list[annotation.ArticleSummary]{}
	do(t, "GET", m2.URL+"/api/articles", nil, &arts)
	if len(arts.Items) != 0 {
		t.Errorf("after deleting the sample and restarting, %d articles are listed, want 0", len(arts.Items))
	}
}

func TestSecondMainOnTheSameDataDirFails(t *testing.T) {
	dir := t.TempDir()
	MustRunMain(t, dir)

	var logs syncBuffer
	m2 := &Main{Addr: "127.0.0.1:0", DataDir: dir, Root: repoRoot, Stderr: &logs}
	err := m2.Run(context.Background())
	if err == nil {
		m2.Close()
		t.Fatal("a second Main on a data directory in use started; want an error")
	}
	if !strings.Contains(err.Error(), "in use") || !strings.Contains(err.Error(), dir) {
		t.Errorf("error = %q, want it to say that %s is in use", err, dir)
	}
	if !errors.Is(err, store.ErrLocked) {
		t.Errorf("error = %v, want it to wrap store.ErrLocked", err)
	}
	if err := m2.Close(); err != nil {
		t.Errorf("Close after a failed Run: %v", err)
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		want    Main
		wantErr bool
	}{
		{"defaults", nil, nil, Main{Addr: "127.0.0.1:8080", DataDir: "./data", Root: "."}, false},
		{"environment", map[string]string{"CLAIMMARK_ADDR": ":9000", "CLAIMMARK_DATA": "/tmp/d"}, nil,
			Main{Addr: ":9000", DataDir: "/tmp/d", Root: "."}, false},
		{"flags beat environment", map[string]string{"CLAIMMARK_ADDR": ":9000"},
			[]string{"-addr", "127.0.0.1:0", "-data", "x", "-root", "r", "-base", "https://c.example"},
			Main{Addr: "127.0.0.1:0", DataDir: "x", Root: "r", BaseURL: "https://c.example"}, false},
		{"unknown flag", nil, []string{"-port", "1"}, Main{}, true},
		{"stray argument", nil, []string{"now"}, Main{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"CLAIMMARK_ADDR", "CLAIMMARK_DATA", "CLAIMMARK_BASE"} {
				t.Setenv(k, tt.env[k])
			}
			m := NewMain()
			m.Stderr = &syncBuffer{}
			err := m.ParseFlags(tt.args)
			var ue *usageError
			if tt.wantErr {
				if !errors.As(err, &ue) {
					t.Fatalf("ParseFlags(%q) = %v, want a usage error", tt.args, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseFlags(%q) = %v", tt.args, err)
			}
			if m.Addr != tt.want.Addr || m.DataDir != tt.want.DataDir || m.Root != tt.want.Root || m.BaseURL != tt.want.BaseURL {
				t.Errorf("ParseFlags(%q) gave addr %q data %q root %q base %q, want %q %q %q %q", tt.args,
					m.Addr, m.DataDir, m.Root, m.BaseURL, tt.want.Addr, tt.want.DataDir, tt.want.Root, tt.want.BaseURL)
			}
		})
	}
}

func TestParseFlagsNetwork(t *testing.T) {
	t.Setenv("CLAIMMARK_HOST", "a.example, b.example")
	m := NewMain()
	m.Stderr = &syncBuffer{}
	if err := m.ParseFlags([]string{"-host", "c.example,d.example", "-host", "e.example", "-secure", "-trust-proxy"}); err != nil {
		t.Fatal(err)
	}
	want := []string{"a.example", "b.example", "c.example", "d.example", "e.example"}
	if strings.Join(m.Hosts, " ") != strings.Join(want, " ") || !m.Secure || !m.TrustProxy {
		t.Errorf("hosts %q, secure %v, trust-proxy %v; want %q, true, true", m.Hosts, m.Secure, m.TrustProxy, want)
	}
}

func TestOpenAccounts(t *testing.T) {
	var out syncBuffer
	m := NewMain()
	m.Stderr = &out
	m.Logger = newLogger(&out, slog.LevelInfo)
	st := servertest.NewStore()
	for i := range 2 {
		users, err := m.openAccounts(t.Context(), st, "http://127.0.0.1:8080")
		if err != nil || users == nil {
			t.Fatalf("start %d: %v, %v", i, users, err)
		}
	}
	links := regexp.MustCompile(`Sign in as owner: http://127\.0\.0\.1:8080/signin/([A-Za-z0-9_-]{43})\n`).FindAllStringSubmatch(out.String(), -1)
	if len(links) != 2 || links[0][1] == links[1][1] {
		t.Fatalf("two starts printed %q; want two different sign-in links", out.String())
	}
	if users, _ := st.Users(t.Context()); len(users) != 1 || users[0].Username != "owner" {
		t.Errorf("users after two starts: %+v, want the owner only", users)
	}
	out = syncBuffer{}
	users, err := m.openAccounts(t.Context(), struct{}{}, "http://x")
	if users != nil || err != nil || !strings.Contains(out.String(), "keeps no accounts") {
		t.Errorf("a store without accounts: %v, %v, log %q", users, err, out.String())
	}
}
