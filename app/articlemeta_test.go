package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"claimmark/internal/annotation"
)

// TestDatedText checks that an article shows its publication date as
// such, and otherwise the day it was added, labelled.
func TestDatedText(t *testing.T) {
	pub := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)
	created := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name               string
		published, created time.Time
		want, wantDT       string
	}{
		{"published", pub, created, "published 14 Mar 2025", "2025-03-14"},
		{"no date: the day it was added", time.Time{}, created, "added " + created.Local().Format("2 Jan 2006"), created.Local().Format("2006-01-02")},
		{"neither", time.Time{}, time.Time{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, dt := datedText(tt.published, tt.created)
			if got != tt.want || dt != tt.wantDT {
				t.Errorf("datedText = %q, %q; want %q, %q", got, dt, tt.want, tt.wantDT)
			}
		})
	}
}

// TestParsePublished checks the form's date: empty is no date, a day is
// midnight UTC, anything else is refused in words.
func TestParsePublished(t *testing.T) {
	if d, err := parsePublished(" "); err != nil || !d.IsZero() {
		t.Errorf("parsePublished(\" \") = %v, %v; want no date", d, err)
	}
	if d, err := parsePublished("2024-11-05"); err != nil || !d.Equal(time.Date(2024, 11, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("parsePublished(2024-11-05) = %v, %v", d, err)
	}
	if _, err := parsePublished("5/11/2024"); annotation.ErrorCode(err) != annotation.Invalid || !strings.Contains(errorText(err), "2025-03-14") {
		t.Errorf("parsePublished(5/11/2024) = %v; want an Invalid error naming the form", err)
	}
}

// detailsAPI is a server for UpdateDetails: it counts the writes.
type detailsAPI struct {
	*fakeAPI
	puts []*annotation.Article
}

func (d *detailsAPI) UpdateArticle(ctx context.Context, a *annotation.Article) error {
	cp := *a
	d.puts = append(d.puts, &cp)
	d.arts[a.ID] = &cp
	return nil
}

// TestUpdateDetails checks that details are written onto the server's copy
// (its text unchanged) and that the answer is kept on the device.
func TestUpdateDetails(t *testing.T) {
	api := &detailsAPI{fakeAPI: newFakeAPI()}
	api.arts["a1"] = &annotation.Article{ID: "a1", Title: "Old", Text: "The server's text.", TextHash: "h1"}
	dev := newMemDevice()
	s := &syncAPI{API: api, dev: dev, box: newOutbox(api, outboxConfig{Device: dev})}
	pub := time.Date(2024, 11, 5, 0, 0, 0, 0, time.UTC)
	a, err := s.UpdateDetails(context.Background(), "a1", articleDetails{Title: "New", Source: "Courier", URL: "https://c.example/x", Published: pub})
	if err != nil {
		t.Fatal(err)
	}
	if len(api.puts) != 1 {
		t.Fatalf("%d writes, want 1", len(api.puts))
	}
	p := api.puts[0]
	if p.Title != "New" || p.Source != "Courier" || p.URL != "https://c.example/x" || !p.Published.Equal(pub) || p.Text != "The server's text." {
		t.Errorf("sent %+v", p)
	}
	if a.Title != "New" {
		t.Errorf("answered %+v", a)
	}
	for deadline := time.Now().Add(5 * time.Second); ; {
		if k, _ := dev.Article("a1"); k != nil && k.Title == "New" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the device does not keep the new details")
		}
		time.Sleep(time.Millisecond)
	}

	if _, err := (&syncAPI{API: newFakeAPI(), dev: dev}).UpdateDetails(context.Background(), "a1", articleDetails{Title: "x"}); err == nil {
		t.Error("a client that cannot change articles reports no error")
	}
}

// TestArticleMetaOffline checks that the details form says, offline, that
// article details are saved online only, with Save off.
func TestArticleMetaOffline(t *testing.T) {
	m := &articleMeta{ID: "a1", Title: "T", Offline: true, editing: true}
	html := app.HTMLString(m)
	if !strings.Contains(html, "saved on the server only") || !hasTag(html, `id="details-save"`, `disabled`) {
		t.Errorf("offline the form shows:\n%s", html)
	}
}
