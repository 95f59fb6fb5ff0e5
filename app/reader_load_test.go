package app

import (
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// TestReaderLoadFromDevice loads the reader natively with a device that
// holds the article and some copy of its annotations, then the server's
// list. Each time the annotations are installed the document's revision
// grows, so the revision tells how many times they were: a device copy
// equal to the server's is installed once (the server's answer leaves the
// page as it is), an older copy twice (the server's replaces it), and an
// empty one not at all (it may just not be there yet: the page waits for
// the server's list, as with no device copy).
func TestReaderLoadFromDevice(t *testing.T) {
	load := func(t *testing.T, device func(api *fakeAPI, art *annotation.Article) []*annotation.Annotation) *readerPage {
		api := newFakeAPI()
		art := testArticle(api)
		dev := newMemDevice()
		if device != nil {
			cp := *art
			if err := dev.PutArticle(&cp); err != nil {
				t.Fatal(err)
			}
			if err := dev.SetAnnotations(art.ID, device(api, art)); err != nil {
				t.Fatal(err)
			}
		}
		r := &readerPage{s: &session{api: api, dev: dev}, urlPath: "/articles/" + art.ID}
		e := app.NewTestEngine()
		if err := e.Load(r); err != nil {
			t.Fatal(err)
		}
		e.ConsumeAll()
		if r.d == nil || !r.annsLoaded || !r.complete {
			t.Fatalf("the reader did not load: %q", r.loadErr)
		}
		return r
	}
	serverOnly := load(t, nil).d.rev
	tests := []struct {
		name     string
		device   func(api *fakeAPI, art *annotation.Article) []*annotation.Annotation
		installs int
		note     string // c1's note shown at the end
	}{
		{"the same as the server's", func(api *fakeAPI, art *annotation.Article) []*annotation.Annotation {
			list, _ := api.Annotations(nil, art.ID)
			return list
		}, 1, ""},
		{"older than the server's", func(api *fakeAPI, art *annotation.Article) []*annotation.Annotation {
			list, _ := api.Annotations(nil, art.ID)
			for _, a := range list {
				if a.ID == "c1" {
					a.Note = "kept on the device"
				}
			}
			return list
		}, 2, ""},
		{"none yet", func(*fakeAPI, *annotation.Article) []*annotation.Annotation { return nil }, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(t, tt.device)
			if got := r.d.rev - serverOnly + 1; got != tt.installs {
				t.Errorf("the annotations were installed %d times, want %d", got, tt.installs)
			}
			if e := r.d.get("c1"); e == nil || e.A.Note != tt.note {
				t.Errorf("c1 shows %+v, want the note %q", e, tt.note)
			}
			if len(r.d.order) != 3 || len(r.d.lost) != 1 {
				t.Errorf("%d drawn and %d lost, want 3 and 1", len(r.d.order), len(r.d.lost))
			}
		})
	}
}
