package app

import (
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// load renders c with go-app's test engine and returns its HTML.
func load(t *testing.T, c app.Composer) string {
	t.Helper()
	e := app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	return app.HTMLString(c)
}

// TestSidePanelComponent renders the panel from its props alone: the
// filters with their counts, the editor of the selected annotation with
// its values, the entries, and the state when there are none.
func TestSidePanelComponent(t *testing.T) {
	for _, tc := range []struct {
		name        string
		panel       *sidePanel
		want, avoid []string
	}{
		{
			name: "editing",
			panel: &sidePanel{
				Counts: annotation.Counts{Claim: 2, Denial: 1},
				Filter: annotation.Denial,
				Edit:   &editItem{ID: "a1", Kind: "claim", Quote: "jobs", Speaker: "Zoë", Note: "Checked", State: stateSaved},
				Groups: [][]panelItem{{{ID: "a1", Kind: "claim", Quote: "jobs", Selected: true}}, nil},
			},
			want: []string{
				`class="panel open"`, // the editor expands the sheet
				"Claims 2", "Denials 1", "All 3",
				`id="editor"`, `class="editor editor-claim"`, `value="Zoë"`, "Checked",
				`class="ann-item ann-claim is-selected"`,
			},
			avoid: []string{"Loading the annotations", "No annotations yet"},
		},
		{
			name:  "loading",
			panel: &sidePanel{Loading: true},
			want:  []string{"Loading the annotations…", `aria-expanded="false"`},
			avoid: []string{`id="editor"`, `class="panel open"`},
		},
		{
			name:  "refused",
			panel: &sidePanel{Err: "Could not load the annotations: The server is unreachable."},
			want:  []string{`role="alert"`, "The server is unreachable."},
		},
		{
			name:  "none",
			panel: &sidePanel{Open: true},
			want:  []string{"No annotations yet.", `class="panel open"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			html := load(t, tc.panel)
			h := func(app.Context, app.Event) {}
			for i, k := range []annotation.Kind{"", annotation.Claim, annotation.Denial, annotation.Proposal} {
				btn := app.Button().Type("button").Class("filter").DataSet("kind", string(k)).
					Aria("pressed", strconv.FormatBool(k == tc.panel.Filter)).OnClick(h)
				if k != "" {
					btn = btn.Class("filter-" + string(k))
				}
				if err := app.Match(btn, tc.panel, 0, 0, 2, i); err != nil { // aside > .panel-head > .filters > button
					t.Errorf("filter %q: %v", k, err)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(html, w) {
					t.Errorf("the panel does not show %s:\n%s", w, html)
				}
			}
			for _, a := range tc.avoid {
				if strings.Contains(html, a) {
					t.Errorf("the panel shows %s", a)
				}
			}
		})
	}
}

// TestSelToolbarComponent checks where the toolbar goes and its buttons,
// one per kind, which the browser code finds by data-kind.
func TestSelToolbarComponent(t *testing.T) {
	bar := &selToolbar{Top: 120.4, Left: 300, Below: true}
	load(t, bar)
	h := func(app.Context, app.Event) {} // Match compares which events are handled
	want := app.Div().Class("seltool", "below").ID("seltool").Role("toolbar").
		Aria("label", "Mark the selection as").Style("top", "120px").Style("left", "300px").OnMouseDown(h)
	if err := app.Match(want, bar, 0); err != nil {
		t.Error(err)
	}
	for i, k := range annotation.Kinds {
		btn := app.Button().Type("button").Class("kind-btn", "kind-btn-"+string(k)).DataSet("kind", string(k)).
			Aria("keyshortcuts", strings.ToLower(kindLetter(k))).OnClick(h)
		if err := app.Match(btn, bar, 0, i); err != nil {
			t.Errorf("button %d: %v", i, err)
		}
	}
}

// TestNoticeComponents renders the alert and the toast: Undo only when
// something can be undone.
func TestNoticeComponents(t *testing.T) {
	if html := load(t, &alertBox{Text: "Could not save the claim."}); !strings.Contains(html, `role="alert"`) || !strings.Contains(html, "Could not save the claim.") {
		t.Errorf("the alert shows:\n%s", html)
	}
	if html := load(t, &toastView{Text: "Claim deleted.", Undo: true, Seq: 1}); !strings.Contains(html, "toast-undo") || !strings.Contains(html, "Claim deleted.") {
		t.Errorf("the toast with Undo shows:\n%s", html)
	}
	if html := load(t, &toastView{Text: "Saved.", Seq: 2}); strings.Contains(html, "toast-undo") {
		t.Errorf("a toast with nothing to undo offers Undo:\n%s", html)
	}
}
