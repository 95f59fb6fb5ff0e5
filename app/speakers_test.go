package app

import (
	"context"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
	"claimmark/internal/client"
	"claimmark/internal/server/servertest"
)

// speakerFakeAPI is an API whose speaker methods are an in-memory store's.
type speakerFakeAPI struct {
	API
	sp annotation.SpeakerStore
}

func (f speakerFakeAPI) Speakers(ctx context.Context, q string) ([]annotation.SpeakerSummary, error) {
	return f.sp.Speakers(ctx, q)
}
func (f speakerFakeAPI) Speaker(ctx context.Context, id string) (*annotation.Speaker, error) {
	return f.sp.Speaker(ctx, id)
}
func (f speakerFakeAPI) PutSpeaker(ctx context.Context, s *annotation.Speaker, ifMatch string) (bool, error) {
	return f.sp.PutSpeaker(ctx, s, ifMatch)
}
func (f speakerFakeAPI) DeleteSpeaker(ctx context.Context, id, ifMatch string) error {
	return f.sp.DeleteSpeaker(ctx, id, ifMatch)
}
func (f speakerFakeAPI) MergeSpeakers(ctx context.Context, from, into string) (*annotation.Speaker, error) {
	return f.sp.MergeSpeakers(ctx, from, into)
}

func TestSpeakersPage(t *testing.T) {
	ctx := context.Background()
	st := servertest.NewStore()
	for _, s := range []*annotation.Speaker{
		{ID: "s1", Name: "Donald <b>Trump</b>", Aliases: []string{"DJT"}},
		{ID: "s2", Name: "NATO", Kind: annotation.Organisation},
	} {
		if _, err := st.PutSpeaker(ctx, s, ""); err != nil {
			t.Fatal(err)
		}
	}
	page := &speakersPage{s: &session{api: speakerFakeAPI{API: newFakeAPI(), sp: st}}}
	e := app.NewTestEngine()
	if err := e.Load(page); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	html := app.HTMLString(page)
	for _, want := range []string{"Donald &lt;b&gt;Trump&lt;/b&gt;", "Also: DJT", "Organisation", "0 claims",
		`href="/search?speaker=Donald+%3Cb%3ETrump%3C%2Fb%3E"`, "Merge into…", "Rename / add names"} {
		if !strings.Contains(html, want) {
			t.Errorf("the speakers page does not show %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<b>Trump</b></a>") || strings.Contains(html, "<b>Trump</b><") {
		t.Errorf("a speaker's name was rendered as HTML:\n%s", html)
	}

	none := &speakersPage{s: &session{api: newFakeAPI()}}
	e = app.NewTestEngine()
	if err := e.Load(none); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	if html := app.HTMLString(none); !strings.Contains(html, "Speaker identities are not available here.") {
		t.Errorf("without speaker identities the page shows:\n%s", html)
	}
}

// TestSpeakersPageOffline renders the Speakers page with the server out of
// reach: it lists the speakers kept on the device, with a merge queued
// there applied, and says that they come from the device.
func TestSpeakersPageOffline(t *testing.T) {
	ctx := context.Background()
	f := newSpeakerFixture(t)
	if err := f.box.EnqueueMergeSpeaker(f.sp["s1"], f.sp["s2"]); err != nil {
		t.Fatal(err)
	}
	f.st.Fail = func(string) error { return client.ErrUnreachable }
	sa := &syncAPI{API: speakerFakeAPI{API: newFakeAPI(), sp: f.st}, dev: f.dev, box: f.box}
	page := &speakersPage{s: &session{api: sa, box: f.box, dev: f.dev}}
	e := app.NewTestEngine()
	if err := e.Load(page); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	html := app.HTMLString(page)
	for _, want := range []string{`id="speakers-offline"`, `data-name="Donald Trump"`, "Also: DJT, Trump", "3 claims", `data-name="Donald J. Trump"`} {
		if !strings.Contains(html, want) {
			t.Errorf("offline, the speakers page lacks %s:\n%s", want, html)
		}
	}
	if strings.Contains(html, `data-name="Trump"`) {
		t.Errorf("offline, the page lists Trump, merged on this device:\n%s", html)
	}
	if _, err := f.st.Speaker(ctx, "s1"); err == nil {
		t.Error("the merge reached the server while it was out of reach")
	}
}
