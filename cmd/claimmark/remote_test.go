package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claimmark/internal/annotation"
)

// TestRemoteImportExport runs import, search and export against a server
// with accounts through its API (-server, -token): without a token they
// are told to sign in; with one, what they import lands in the group named
// by -group (or the private space) and export returns what the token's
// user may read.
func TestRemoteImportExport(t *testing.T) {
	srv := startServer(t, t.TempDir()) // sets $CLAIMMARK_TOKEN to the owner's token
	token := os.Getenv("CLAIMMARK_TOKEN")
	var me struct {
		Memberships []annotation.Membership `json:"memberships"`
	}
	if code := do(t, "GET", srv.URL+"/api/me", nil, &me); code != 200 {
		t.Fatalf("GET /api/me = %d", code)
	}
	var team string
	for _, m := range me.Memberships {
		if !m.Group.Personal {
			team = m.Group.ID
		}
	}

	dir := t.TempDir()
	article := filepath.Join(dir, "harbour.txt")
	text := "Harbour vote delayed\n\nThe harbour board denied that the vote had been rigged. Mayor Inês Duarte proposed a recount."
	if err := os.WriteFile(article, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Setenv("CLAIMMARK_TOKEN", "")
	out, errs, code := runCLI(t, "import", "-server", srv.URL, article)
	if code == 0 || !strings.Contains(out+errs, "Sign in") {
		t.Errorf("import without a token: exit %d, want a refusal that says to sign in\n%s%s", code, out, errs)
	}
	out, errs, code = runCLI(t, "import", "-server", srv.URL, "-token", token, "-group", team, article)
	if code != 0 || !strings.Contains(out, "added article") {
		t.Fatalf("import -server -token -group: exit %d\n%s%s", code, out, errs)
	}
	var arts list[annotation.ArticleSummary]
	if code := do(t, "GET", srv.URL+"/api/articles?group="+team, nil, &arts); code != 200 || len(arts.Items) == 0 {
		t.Fatalf("Team's articles = %d, %d items; want the imported one", code, len(arts.Items))
	}
	var art *annotation.Article
	for _, s := range arts.Items {
		if s.Title == "Harbour vote delayed" {
			art = &annotation.Article{}
			do(t, "GET", srv.URL+"/api/articles/"+s.ID, nil, art)
		}
	}
	if art == nil || art.GroupID != team {
		t.Fatalf("the imported article is not in Team: %+v", art)
	}

	// An annotation file, then search and export through the API with
	// the token from the environment this time.
	t.Setenv("CLAIMMARK_TOKEN", token)
	exact := "denied that the vote had been rigged"
	start := annotation.RuneLen(art.Text[:strings.Index(art.Text, exact)])
	line, _ := json.Marshal(annotation.Annotation{ID: annotation.NewID(), ArticleID: art.ID, Kind: annotation.Denial,
		Speaker: "harbour board", Target: annotation.Target{Quote: annotation.Quote{Exact: exact},
			Position: annotation.Position{Start: start, End: start + annotation.RuneLen(exact)}}})
	anns := filepath.Join(dir, "denial.jsonl")
	if err := os.WriteFile(anns, append(line, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code = runCLI(t, "import", "-server", srv.URL, anns)
	if code != 0 || !strings.Contains(out, "added 0 articles and 1 annotations") {
		t.Fatalf("import of annotations -server: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = runCLI(t, "search", "-server", srv.URL, "-kind", "denial", "rigged")
	if code != 0 || !strings.Contains(out, "rigged") {
		t.Errorf("search -server: exit %d\n%s%s", code, out, errs)
	}
	export := filepath.Join(dir, "out.jsonl")
	out, errs, code = runCLI(t, "export", "-server", srv.URL, "-format", "jsonl", "-o", export)
	data, _ := os.ReadFile(export)
	if code != 0 || !strings.Contains(string(data), exact) || !strings.Contains(string(data), `"creator":`) {
		t.Errorf("export -server: exit %d, file without the denial or its creator\n%s%s\n%.400s", code, out, errs, data)
	}
	if _, errs, code = runCLI(t, "export", "-server", srv.URL, "-base", "http://x", "-o", export); code != 2 || !strings.Contains(errs, "-base does not apply") {
		t.Errorf("export -server -base: exit %d, want a usage error\n%s", code, errs)
	}
}

// TestImportChecksTheScale imports into a data directory whose
// ratings.json has its own labels: a rating off that scale is refused
// with the reason (nothing imported), one on it is stored with the
// scale's spelling and value, as POST /api/import does.
func TestImportChecksTheScale(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ratings.json"), []byte(`{"labels":[{"label":"Wrong","value":1},{"label":"Correct","value":5}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	text := "Bridge\n\nThe mayor claimed the bridge would open in May."
	exact := "the bridge would open in May"
	start := annotation.RuneLen(text[:strings.Index(text, exact)])
	art, _ := json.Marshal(struct {
		Type string `json:"type"`
		annotation.Article
	}{"article", annotation.Article{ID: "art-1", Title: "Bridge", Text: text}})
	file := func(label string) string {
		a, _ := json.Marshal(struct {
			Type string `json:"type"`
			annotation.Annotation
		}{"annotation", annotation.Annotation{ID: "ann-1", ArticleID: "art-1", Kind: annotation.Claim,
			Target: annotation.Target{Quote: annotation.Quote{Exact: exact}, Position: annotation.Position{Start: start, End: start + annotation.RuneLen(exact)}},
			Rating: &annotation.Rating{Label: label}}})
		name := filepath.Join(t.TempDir(), "backup.jsonl")
		if err := os.WriteFile(name, append(append(append(art, '\n'), a...), '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	out, errs, code := runCLI(t, "import", "-data", dir, file("Mostly true"))
	if code == 0 || !strings.Contains(out, `Unknown rating "Mostly true": use one of Wrong, Correct`) {
		t.Errorf("import with a rating off the directory's scale: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = runCLI(t, "import", "-data", dir, file("correct"))
	if code != 0 || !strings.Contains(out, "added 1 articles and 1 annotations") {
		t.Errorf("import with a rating on the scale: exit %d\n%s%s", code, out, errs)
	}
}
