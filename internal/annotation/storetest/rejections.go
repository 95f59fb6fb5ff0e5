package storetest

import (
	"context"
	"slices"
	"testing"

	"claimmark/internal/annotation"
)

// rejectionCases hold a store that is also an annotation.RejectionStore
// to its contract: sets per person and article, changes that are safe to
// send twice, limits refused without a change, and the rejections of a
// deleted article gone with it. Stores without rejections skip them.
var rejectionCases = []testCase{
	{"rejections are a set per person and article", func(t *testing.T, st annotation.Store) {
		rs := rejectionStore(t, st)
		art := mustCreate(t, st, newArticle("reject"))
		other := mustCreate(t, st, newArticle("reject-other"))
		if got := mustRejections(t, rs, "alice", art.ID); got.Keys == nil || len(got.Keys) != 0 || !got.Updated.IsZero() || got.ArticleID != art.ID {
			t.Errorf("Rejections before any = %+v; want the article id, empty keys (not nil) and no Updated", got)
		}
		got := mustUpdateRejections(t, rs, "alice", art.ID, []string{"s-9-20-claim", "s-1-5-denial", "s-9-20-claim"}, nil)
		if want := []string{"s-1-5-denial", "s-9-20-claim"}; !slices.Equal(got.Keys, want) || got.Updated.IsZero() {
			t.Errorf("UpdateRejections = %+v; want keys %q, sorted and unique, and Updated", got, want)
		}
		if stored := mustRejections(t, rs, "alice", art.ID); jsonOf(t, stored) != jsonOf(t, got) {
			t.Errorf("Rejections = %+v; want what UpdateRejections returned, %+v", stored, got)
		}
		mustUpdateRejections(t, rs, "bob", art.ID, []string{"s-30-40-proposal"}, nil)
		mustUpdateRejections(t, rs, "", art.ID, []string{"s-50-60-claim"}, nil)
		for _, c := range []struct {
			user, article string
			want          []string
		}{
			{"alice", art.ID, []string{"s-1-5-denial", "s-9-20-claim"}},
			{"bob", art.ID, []string{"s-30-40-proposal"}},
			{"", art.ID, []string{"s-50-60-claim"}},
			{"alice", other.ID, []string{}},
		} {
			if got := mustRejections(t, rs, c.user, c.article); !slices.Equal(got.Keys, c.want) {
				t.Errorf("Rejections(%q, %s) = %q, want %q", c.user, c.article, got.Keys, c.want)
			}
		}
	}},
	{"a change sent twice changes nothing more", func(t *testing.T, st annotation.Store) {
		rs := rejectionStore(t, st)
		art := mustCreate(t, st, newArticle("twice"))
		mustUpdateRejections(t, rs, "alice", art.ID, []string{"a", "b"}, nil)
		first := mustUpdateRejections(t, rs, "alice", art.ID, []string{"c"}, []string{"a"})
		again := mustUpdateRejections(t, rs, "alice", art.ID, []string{"c"}, []string{"a"})
		if !slices.Equal(again.Keys, []string{"b", "c"}) || !again.Updated.Equal(first.Updated) {
			t.Errorf("the change again = %+v; want keys [b c] and Updated kept at %v", again, first.Updated)
		}
		none := mustUpdateRejections(t, rs, "alice", art.ID, nil, []string{"b", "c", "never-rejected"})
		if len(none.Keys) != 0 || none.Keys == nil {
			t.Errorf("after restoring every key: %+v, want empty keys (not nil)", none)
		}
		if got := mustRejections(t, rs, "alice", art.ID); len(got.Keys) != 0 {
			t.Errorf("Rejections after restoring every key = %q", got.Keys)
		}
	}},
	{"bad changes are refused and change nothing", func(t *testing.T, st annotation.Store) {
		ctx, rs := context.Background(), rejectionStore(t, st)
		art := mustCreate(t, st, newArticle("bad"))
		mustUpdateRejections(t, rs, "alice", art.ID, []string{"kept"}, nil)
		many := make([]string, annotation.MaxRejections)
		for i := range many {
			many[i] = "k" + string(rune('a'+i%26)) + "-" + string(rune('a'+i/26%26)) + "-" + string(rune('a'+i/676))
		}
		for _, c := range []struct {
			name        string
			add, remove []string
			code        string
		}{
			{"a key with a space", []string{"s 1"}, nil, annotation.Invalid},
			{"an empty key to remove", nil, []string{""}, annotation.Invalid},
			{"a key both added and removed", []string{"x"}, []string{"x"}, annotation.Invalid},
			{"more than MaxRejections in all", many, nil, annotation.TooLarge},
		} {
			_, err := rs.UpdateRejections(ctx, "alice", art.ID, c.add, c.remove)
			wantCode(t, c.name, err, c.code)
		}
		if got := mustRejections(t, rs, "alice", art.ID); !slices.Equal(got.Keys, []string{"kept"}) {
			t.Errorf("after refused changes: %q, want [kept]", got.Keys)
		}
		_, err := rs.Rejections(ctx, "alice", "no-such-article")
		wantCode(t, "Rejections(missing article)", err, annotation.NotFound)
		_, err = rs.UpdateRejections(ctx, "alice", "no-such-article", []string{"a"}, nil)
		wantCode(t, "UpdateRejections(missing article)", err, annotation.NotFound)
	}},
	{"deleting an article deletes its rejections", func(t *testing.T, st annotation.Store) {
		ctx, rs := context.Background(), rejectionStore(t, st)
		art := mustCreate(t, st, newArticle("gone"))
		kept := mustCreate(t, st, newArticle("kept"))
		mustUpdateRejections(t, rs, "alice", art.ID, []string{"a"}, nil)
		mustUpdateRejections(t, rs, "bob", art.ID, []string{"b"}, nil)
		mustUpdateRejections(t, rs, "alice", kept.ID, []string{"c"}, nil)
		if err := st.DeleteArticle(ctx, art.ID); err != nil {
			t.Fatal(err)
		}
		_, err := rs.Rejections(ctx, "alice", art.ID)
		wantCode(t, "Rejections(deleted article)", err, annotation.NotFound)
		again := newArticle("gone")
		again.ID = art.ID // a store may take the client's id: the old keys must not come back
		if _, err := st.CreateArticle(ctx, again); err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"alice", "bob"} {
			if got := mustRejections(t, rs, u, again.ID); len(got.Keys) != 0 {
				t.Errorf("Rejections(%s) of article %s made again after a delete = %q, want none", u, again.ID, got.Keys)
			}
		}
		if got := mustRejections(t, rs, "alice", kept.ID); !slices.Equal(got.Keys, []string{"c"}) {
			t.Errorf("Rejections of another article = %q, want [c]", got.Keys)
		}
	}},
}

// rejectionStore returns st as an annotation.RejectionStore, or skips
// the test.
func rejectionStore(t *testing.T, st annotation.Store) annotation.RejectionStore {
	t.Helper()
	rs, ok := st.(annotation.RejectionStore)
	if !ok {
		t.Skipf("%T keeps no rejected suggestions (annotation.RejectionStore)", st)
	}
	return rs
}

func mustRejections(t *testing.T, rs annotation.RejectionStore, user, article string) *annotation.Rejections {
	t.Helper()
	r, err := rs.Rejections(context.Background(), user, article)
	if err != nil {
		t.Fatalf("Rejections(%q, %s) = %v", user, article, err)
	}
	return r
}

func mustUpdateRejections(t *testing.T, rs annotation.RejectionStore, user, article string, add, remove []string) *annotation.Rejections {
	t.Helper()
	r, err := rs.UpdateRejections(context.Background(), user, article, add, remove)
	if err != nil {
		t.Fatalf("UpdateRejections(%q, %s, +%q, -%q) = %v", user, article, add, remove, err)
	}
	return r
}
