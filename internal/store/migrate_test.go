package store_test

import (
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

// The ids of what testdata/prev-1595d88.db.gz holds (see testdata/README.md).
const (
	prevHarbour   = "5262e9ae-9125-4761-8cb6-8082f3fa318b"
	prevInflation = "5480870d-33cc-44a9-83c7-e590e6d4235f"
	prevJobs      = "b1dcda49-2e09-4b0a-b92c-708f436d91cd" // claim, speaker with an alias
	prevGrowth    = "99e1bf06-5ddd-40ec-95b3-10704119dc65" // denial
	prevPause     = "68d90bb5-5f5e-4c5f-b9c7-14e4f2453b18" // proposal
	prevFallen    = "72f16885-a849-4c21-a47f-1038b38cb818" // claim with a rating
	prevRejects   = "75aae905-20a9-4759-a391-9cf5266e3d18" // denial that rejects prevFallen
)

// prevData copies the data file made by the release before accounts into
// a temporary directory and returns its path.
func prevData(t *testing.T) string {
	t.Helper()
	return gunzipData(t, "prev-1595d88.db.gz")
}

// gunzipData writes the gzipped data file testdata/name, unzipped, into a
// temporary directory and returns its path.
func gunzipData(t *testing.T, name string) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "claimmark.db")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMigratePrevRelease opens a file made before accounts, checks that
// everything in it still reads, adopts it into a team and checks that
// every article and annotation now belongs to the team and its owner, with
// change-log entries, and that a second Adopt changes nothing.
func TestMigratePrevRelease(t *testing.T) {
	ctx := context.Background()
	path := prevData(t)
	db := MustOpenAt(t, path)

	arts, err := db.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var artIDs []string
	for _, s := range arts {
		artIDs = append(artIDs, s.ID)
		a, err := db.Article(ctx, s.ID)
		if err != nil || a.Text == "" || a.GroupID != "" || a.Creator != "" {
			t.Errorf("Article(%s) = text %d bytes, group %q, creator %q, %v", s.ID, len(a.Text), a.GroupID, a.Creator, err)
		}
	}
	slices.Sort(artIDs)
	if want := []string{prevHarbour, prevInflation}; !slices.Equal(artIDs, want) {
		t.Fatalf("articles %v, want %v", artIDs, want)
	}
	before := map[string]*annotation.Annotation{}
	for _, id := range artIDs {
		anns, err := db.Annotations(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range anns {
			if a.Creator != "" || a.GroupID != "" || a.Visibility != "" || a.SpeakerID == "" {
				t.Errorf("annotation %s before Adopt: creator %q, group %q, visibility %q, speaker id %q", a.ID, a.Creator, a.GroupID, a.Visibility, a.SpeakerID)
			}
			before[a.ID] = a
		}
	}
	if len(before) != 5 {
		t.Fatalf("%d annotations, want 5", len(before))
	}
	jobs := before[prevJobs]
	if sp, err := db.Speaker(ctx, jobs.SpeakerID); err != nil || sp.Name != "Zélie Côté" || !slices.Equal(sp.Aliases, []string{"the port's director"}) {
		t.Errorf("the speaker of %s is %+v, %v; want Zélie Côté with her alias", prevJobs, sp, err)
	}
	if r := before[prevRejects].Relations; len(r) != 1 || r[0].Target != prevFallen || r[0].Type != "rejects" {
		t.Errorf("relations of %s = %+v, want rejects %s", prevRejects, r, prevFallen)
	}
	if links, err := db.LinksTo(ctx, prevFallen); err != nil || len(links) != 1 || links[0].ID != prevRejects {
		t.Errorf("LinksTo(%s) = %v, %v", prevFallen, links, err)
	}
	if r := before[prevFallen].Rating; r == nil || r.Label != "Mostly false" {
		t.Errorf("rating of %s = %+v", prevFallen, r)
	}
	_, seq, err := db.Changes(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}

	owner := &annotation.User{Username: "owner", DisplayName: "Owner"}
	if _, err := db.CreateUser(ctx, owner, "h"); err != nil {
		t.Fatal(err)
	}
	team := &annotation.Group{Name: "Team"}
	if err := db.PutGroup(ctx, team, owner.ID); err != nil {
		t.Fatal(err)
	}
	nArts, nAnns, err := db.Adopt(ctx, team.ID, owner.ID)
	if err != nil || nArts != 2 || nAnns != 5 {
		t.Fatalf("Adopt = %d, %d, %v; want 2, 5", nArts, nAnns, err)
	}
	changes, last, err := db.Changes(ctx, seq, 0)
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, c := range changes {
		changed = append(changed, c.AnnotationID)
	}
	slices.Sort(changed)
	want := []string{prevGrowth, prevPause, prevFallen, prevRejects, prevJobs}
	slices.Sort(want)
	if !slices.Equal(changed, want) {
		t.Errorf("Adopt logged changes of %v, want %v", changed, want)
	}

	check := func(when string) {
		t.Helper()
		for _, id := range artIDs {
			a, err := db.Article(ctx, id)
			if err != nil || a.GroupID != team.ID || a.Creator != owner.ID {
				t.Errorf("%s: article %s group %q, creator %q, %v", when, id, a.GroupID, a.Creator, err)
			}
		}
		for id, b := range before {
			a, err := db.Annotation(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if a.GroupID != team.ID || a.Creator != owner.ID || a.Visibility != annotation.VisibleToGroup {
				t.Errorf("%s: annotation %s group %q, creator %q, visibility %q", when, id, a.GroupID, a.Creator, a.Visibility)
			}
			if a.Revision != b.Revision || !a.Modified.Equal(b.Modified) || !a.SameContent(b) || a.SpeakerID != b.SpeakerID {
				t.Errorf("%s: annotation %s changed beyond its account fields:\n%+v\nwas\n%+v", when, id, a, b)
			}
		}
	}
	check("after Adopt")

	nArts, nAnns, err = db.Adopt(ctx, team.ID, owner.ID)
	if err != nil || nArts != 0 || nAnns != 0 {
		t.Errorf("second Adopt = %d, %d, %v; want 0, 0", nArts, nAnns, err)
	}
	if _, again, _ := db.Changes(ctx, last, 0); again != last {
		t.Errorf("the second Adopt moved the change log from %d to %d", last, again)
	}

	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = MustOpenAt(t, path)
	check("after reopening")
	if ms, err := db.Memberships(ctx, owner.ID); err != nil || len(ms) != 2 || ms[1].Group.ID != team.ID || ms[1].Role != annotation.Owner {
		t.Errorf("Memberships(owner) after reopening = %+v, %v", ms, err)
	}
}
