package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestLibraryOffline checks that the library, when the server cannot be
// reached, lists the articles kept on this device and, marked absent, the
// others the server listed on the last online visit.
func TestLibraryOffline(t *testing.T) {
	api := newFakeAPI()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, id := range []string{"opened", "never"} {
		api.arts[id] = &annotation.Article{ID: id, Title: "Article " + id, Text: "Text.", Created: now.Add(time.Duration(i) * time.Hour)}
	}
	dev := newMemDevice()
	s := &syncAPI{API: api, dev: dev, box: newOutbox(api, outboxConfig{Device: dev})}
	ctx := context.Background()

	list, absent, err := s.Library(ctx, "")
	if err != nil || len(list) != 2 || absent != nil {
		t.Fatalf("online: Library = %v, %v, %v; want both articles, none absent", list, absent, err)
	}
	if _, err := s.Article(ctx, "opened"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; { // both are kept in the background
		l, _ := dev.Library()
		a, _ := dev.Article("opened")
		if len(l) == 2 && a != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the list and the opened article were not kept on the device")
		}
		time.Sleep(time.Millisecond)
	}

	api.fail = []error{errors.New("unreachable")}
	list, absent, err = s.Library(ctx, "")
	if err != nil {
		t.Fatalf("offline: %v", err)
	}
	var ids []string
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	if len(ids) != 2 || ids[0] != "never" || ids[1] != "opened" {
		t.Errorf("offline the library lists %v, want [never opened] (newest first)", ids)
	}
	if !absent["never"] || absent["opened"] || len(absent) != 1 {
		t.Errorf("offline absent = %v, want only the article never opened", absent)
	}
}
