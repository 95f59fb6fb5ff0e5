package server_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
	"claimmark/internal/server/servertest"
)

// hiddenLinks is a Store without the Linker method, so the server must
// find incoming links by walking.
type hiddenLinks struct{ annotation.Store }

// relationsEnv returns environments over the in-memory store with and
// without its reverse index.
func relationsEnvs(t *testing.T) map[string]*env {
	return map[string]*env{
		"reverse index": newEnv(t),
		"walk":          newEnvWith(t, hiddenLinks{servertest.NewStore()}, nil),
	}
}

// conversation stores a claim in the sample article, a denial rejecting
// it in a second article (published earlier) and a reply in the sample
// article responding to the denial.
func conversation(t *testing.T, e *env) (claim, denial, reply *annotation.Annotation, other *annotation.Article) {
	t.Helper()
	other = &annotation.Article{Title: "Moscow answers", Text: "Moscow said there is no such signal.",
		Published: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := e.st.CreateArticle(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	claim = e.put(t, e.newAnnotation(t, annotation.Claim, "Putin signaled he was open to a ceasefire"))
	d := &annotation.Annotation{ID: annotation.NewID(), ArticleID: other.ID, Kind: annotation.Denial, Speaker: "Maria Zakharova",
		Target:    annotation.Target{Quote: annotation.Quote{Exact: "there is no such signal"}, Position: annotation.Position{Start: 12, End: 35}},
		Relations: []annotation.Relation{{Type: annotation.Rejects, Target: claim.ID}}}
	denial = e.put(t, d)
	r := e.newAnnotation(t, annotation.Claim, "“categorically rejects”")
	r.Relations = []annotation.Relation{{Type: annotation.RespondsTo, Target: denial.ID}}
	reply = e.put(t, r)
	return claim, denial, reply, other
}

func TestRelations(t *testing.T) {
	for name, e := range relationsEnvs(t) {
		t.Run(name, func(t *testing.T) {
			claim, denial, reply, other := conversation(t, e)
			var got annotation.Relations
			wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + denial.ID + "/relations"}), http.StatusOK, &got)
			if len(got.Outgoing) != 1 || got.Outgoing[0].Type != annotation.Rejects || got.Outgoing[0].Annotation == nil ||
				got.Outgoing[0].Annotation.ID != claim.ID || got.Outgoing[0].ArticleTitle != e.art.Title || got.Outgoing[0].Deleted {
				t.Errorf("outgoing of the denial = %+v; want rejects the claim in %q", got.Outgoing, e.art.Title)
			}
			if len(got.Incoming) != 1 || got.Incoming[0].ID != reply.ID || got.Incoming[0].Type != annotation.RespondsTo {
				t.Errorf("incoming of the denial = %+v; want the reply's responds_to", got.Incoming)
			}
			wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + claim.ID + "/relations"}), http.StatusOK, &got)
			if len(got.Outgoing) != 0 || len(got.Incoming) != 1 || got.Incoming[0].ID != denial.ID || got.Incoming[0].ArticleTitle != other.Title {
				t.Errorf("relations of the claim = %+v; want only the denial from %q coming in", got, other.Title)
			}

			if rec := e.do(t, req{method: "DELETE", path: "/api/annotations/" + claim.ID}); rec.Code != http.StatusNoContent {
				t.Fatalf("DELETE claim: %d %s", rec.Code, rec.Body)
			}
			wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + denial.ID + "/relations"}), http.StatusOK, &got)
			if len(got.Outgoing) != 1 || !got.Outgoing[0].Deleted || got.Outgoing[0].ID != claim.ID || got.Outgoing[0].Annotation != nil {
				t.Errorf("after deleting the claim, outgoing = %+v; want it reported deleted", got.Outgoing)
			}
			wantError(t, e.do(t, req{method: "GET", path: "/api/annotations/" + claim.ID + "/relations"}), http.StatusNotFound, annotation.NotFound)
		})
	}
}

func TestThread(t *testing.T) {
	for name, e := range relationsEnvs(t) {
		t.Run(name, func(t *testing.T) {
			claim, denial, reply, other := conversation(t, e)
			lone := e.put(t, e.newAnnotation(t, annotation.Proposal, "Ukraine even proposed"))
			for _, start := range []string{claim.ID, denial.ID, reply.ID} {
				var th annotation.Thread
				wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + start + "/thread"}), http.StatusOK, &th)
				var ids []string
				for _, n := range th.Items {
					ids = append(ids, n.Annotation.ID)
				}
				// the denial's article was published first; the others have no date and go by Created
				if want := []string{claim.ID, reply.ID}; th.Total != 3 || ids[0] != denial.ID || !slices.Equal(ids[1:], want) {
					t.Errorf("thread from %s = %v (total %d); want the denial, then claim and reply", start, ids, th.Total)
				}
				if th.Items[0].ArticleTitle != other.Title || th.Items[0].Speaker != "Maria Zakharova" || th.Items[0].Kind != annotation.Denial {
					t.Errorf("thread node of the denial = %+v", th.Items[0])
				}
				if th.Truncated || th.Note != "" || slices.Contains(ids, lone.ID) {
					t.Errorf("thread from %s is cut (%v, %q) or holds the unlinked proposal", start, th.Truncated, th.Note)
				}
			}
			var th annotation.Thread
			wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + reply.ID + "/thread"}), http.StatusOK, &th)
			for _, n := range th.Items {
				if n.Annotation.ID == claim.ID {
					want := []annotation.Step{{From: reply.ID, Type: annotation.RespondsTo, To: denial.ID}, {From: denial.ID, Type: annotation.Rejects, To: claim.ID}}
					if !slices.Equal(n.Path, want) {
						t.Errorf("path from the reply to the claim = %+v, want %+v", n.Path, want)
					}
				}
			}
			e.do(t, req{method: "DELETE", path: "/api/annotations/" + claim.ID})
			wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + reply.ID + "/thread"}), http.StatusOK, &th)
			if th.Total != 2 || !slices.Equal(th.Deleted, []string{claim.ID}) {
				t.Errorf("after deleting the claim, thread total %d deleted %v; want 2 and the claim", th.Total, th.Deleted)
			}
		})
	}
}

func TestThreadIsBounded(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	root := e.put(t, e.newAnnotation(t, annotation.Claim, "Putin signaled he was open to a ceasefire"))
	for range annotation.MaxThread + 5 {
		a := e.newAnnotation(t, annotation.Denial, "dismissed the idea outright")
		a.Relations = []annotation.Relation{{Type: annotation.Rejects, Target: root.ID}}
		if _, err := e.st.PutAnnotation(ctx, a, ""); err != nil {
			t.Fatal(err)
		}
	}
	var th annotation.Thread
	wantStatus(t, e.do(t, req{method: "GET", path: "/api/annotations/" + root.ID + "/thread"}), http.StatusOK, &th)
	if th.Total != annotation.MaxThread || len(th.Items) != annotation.MaxThread || !th.Truncated || th.Note == "" {
		t.Errorf("thread of %d linked annotations: total %d, truncated %v, note %q; want %d, true and a note",
			annotation.MaxThread+6, th.Total, th.Truncated, th.Note, annotation.MaxThread)
	}
}

func TestRatingScale(t *testing.T) {
	e := newEnv(t)
	a := e.newAnnotation(t, annotation.Claim, "Putin signaled he was open to a ceasefire")
	a.Rating = &annotation.Rating{Label: "mostly false"}
	got := e.put(t, a)
	if got.Rating == nil || got.Rating.Label != "Mostly false" || got.Rating.Value != 2 {
		t.Errorf("stored rating %+v; want the scale's spelling and value 2", got.Rating)
	}
	a.Rating = &annotation.Rating{Label: "Pants on fire"}
	wantError(t, e.do(t, req{method: "PUT", path: "/api/annotations/" + a.ID, body: a}), http.StatusBadRequest, annotation.Invalid, "Pants on fire", "Mostly true")

	cfg := e.cfg
	cfg.Ratings = annotation.RatingScale{Labels: []annotation.RatingLabel{{Label: "Pants on fire", Value: 1}}}
	e.h = server.New(cfg)
	if got := e.put(t, a); got.Rating == nil || got.Rating.Value != 1 {
		t.Errorf("with a configured scale, stored rating %+v; want Pants on fire = 1", got.Rating)
	}
	b := e.newAnnotation(t, annotation.Claim, "dismissed the idea outright")
	b.Rating = &annotation.Rating{Label: "False"}
	wantError(t, e.do(t, req{method: "POST", path: "/api/annotations", body: b}), http.StatusBadRequest, annotation.Invalid, "Pants on fire")
}
