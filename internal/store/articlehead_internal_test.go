package store

import (
	"encoding/json"
	"testing"
	"time"

	"claimmark/internal/annotation"
)

// TestArticleHeadAsUnmarshal checks that the scan of an article record's
// text hash and group gives what json.Unmarshal gives, whatever the
// other fields hold.
func TestArticleHeadAsUnmarshal(t *testing.T) {
	tests := []struct {
		name string
		a    annotation.Article
	}{
		{"plain", annotation.Article{ID: "a1", Title: "Talks", TextHash: "abc123", GroupID: "g-1"}},
		{"no group", annotation.Article{ID: "a1", Title: "Talks", TextHash: "abc123"}},
		{"title naming the keys", annotation.Article{ID: "a1", Title: `x","groupId":"evil","textHash":"bad`, TextHash: "abc123", GroupID: "g-1"}},
		{"title naming the keys, no group", annotation.Article{ID: "a1", Title: `"groupId":"evil"`, TextHash: "abc123"}},
		{"source and URL naming the keys", annotation.Article{ID: "a1", Source: `\"textHash\":\"`, URL: `https://x.example/?"groupId":"`, TextHash: "abc123", GroupID: "g-2"}},
		{"text kept in the record", annotation.Article{ID: "a1", Text: `"textHash":"forged"`, TextHash: "abc123", GroupID: "g-3"}},
		{"group with an escape", annotation.Article{ID: "a1", TextHash: "abc123", GroupID: `g"<&>`}},
		{"unicode", annotation.Article{ID: "a1", Title: "Café ☕ 🎉", TextHash: "abc123", GroupID: "grüppe"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := articleRecord{Article: tt.a, Chars: 5, TextVersion: 2, TextSince: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
			rec.Created = rec.TextSince
			data, err := json.Marshal(rec)
			if err != nil {
				t.Fatal(err)
			}
			var want articleHead
			if err := json.Unmarshal(data, &want); err != nil {
				t.Fatal(err)
			}
			got, err := decodeArticleHead(data)
			if err != nil || got != want {
				t.Errorf("decodeArticleHead = %+v, %v; want %+v as json.Unmarshal reads %s", got, err, want, data)
			}
		})
	}
}
