package anchor

import (
	"testing"

	"claimmark/internal/annotation"
)

func TestSettle(t *testing.T) {
	text := NewText("The minister said the talks would resume on Monday in Geneva.")
	old := annotation.Target{Quote: annotation.Quote{Exact: "talks would resume"}, Position: annotation.Position{Start: 3, End: 21}}
	orphaned := &annotation.Anchoring{Status: annotation.Orphaned}
	tests := []struct {
		name         string
		r            Result
		anchoring    *annotation.Anchoring
		keepRejected bool
		want         string
		wantTarget   annotation.Target // zero: unchanged
	}{
		{"anchored moves the target", Result{Status: Anchored, Start: 22, End: 40, Score: 0.97}, nil, false,
			annotation.Anchored, annotation.Target{Quote: annotation.Quote{Exact: "talks would resume"}, Position: annotation.Position{Start: 22, End: 40}}},
		{"needs review keeps the target", Result{Status: NeedsReview, Start: 22, End: 40, Score: 0.7123}, nil, false, annotation.NeedsReview, annotation.Target{}},
		{"a rejected candidate stays rejected", Result{Status: NeedsReview, Start: 22, End: 40, Score: 0.7}, orphaned, true, annotation.Orphaned, annotation.Target{}},
		{"without keepRejected review is offered again", Result{Status: NeedsReview, Start: 22, End: 40, Score: 0.7123}, orphaned, false, annotation.NeedsReview, annotation.Target{}},
		{"orphan keeps the target", Result{Status: Orphan, Score: 0.2}, nil, false, annotation.Orphaned, annotation.Target{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &annotation.Annotation{Target: old, Anchoring: tt.anchoring}
			if got := text.Settle(a, tt.r, tt.keepRejected); got != tt.want {
				t.Fatalf("Settle = %q, want %q", got, tt.want)
			}
			switch tt.want {
			case annotation.Anchored:
				if a.Anchoring != nil || a.Target.Position != tt.wantTarget.Position || a.Target.Quote.Exact != tt.wantTarget.Quote.Exact || a.Target.TextHash != text.Hash() {
					t.Errorf("anchored: target %+v, anchoring %+v", a.Target, a.Anchoring)
				}
			default:
				if a.Target != old {
					t.Errorf("target changed to %+v, want it kept", a.Target)
				}
				if a.Anchoring == nil || a.Anchoring.Status != tt.want || a.Anchoring.TextHash != text.Hash() {
					t.Errorf("anchoring = %+v, want status %q on the current text", a.Anchoring, tt.want)
				}
				if tt.want == annotation.NeedsReview && (a.Anchoring.Candidate == nil || *a.Anchoring.Candidate != (annotation.Position{Start: 22, End: 40}) || a.Anchoring.Score != 0.712) {
					t.Errorf("needs review: candidate %+v score %v, want 22–40 and 0.712", a.Anchoring.Candidate, a.Anchoring.Score)
				}
			}
		})
	}
}
