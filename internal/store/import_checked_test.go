package store_test

import (
	"context"
	"testing"

	"claimmark/internal/annotation"
)

// TestImportChecked checks that ImportChecked calls its check on each
// annotation with the annotation stored under its id and the group of its
// article as the import leaves it, keeps what the check sets, and stores
// nothing when the check refuses one.
func TestImportChecked(t *testing.T) {
	tests := []struct {
		name    string
		refuse  string // id whose check fails; "" for none
		wantErr string
	}{
		{"all allowed", "", ""},
		{"one refused", "imp-new", annotation.Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := MustOpen(t)
			stored := newArticle("stored")
			stored.GroupID = "g-stored"
			stored = mustCreate(t, db, stored)
			old := newAnnotation(t, stored, annotation.Claim, "“productive”")
			old.ID = "imp-old"
			mustPut(t, db, old)
			oldStored, err := db.Annotation(ctx, old.ID)
			if err != nil {
				t.Fatal(err)
			}
			art := importable("new")
			art.GroupID = "g-new"
			over := importableAnnotation(t, stored, annotation.Denial, "denied any deal")
			over.ID = "imp-old"
			fresh := importableAnnotation(t, art, annotation.Proposal, "proposed a ceasefire")
			fresh.ID = "imp-new"
			before := snapshot(t, db)

			type call struct {
				old   *annotation.Annotation
				group string
				found bool
			}
			calls := map[string]call{}
			err = db.ImportChecked(ctx, []*annotation.Article{art}, []*annotation.Annotation{over, fresh},
				func(a, old *annotation.Annotation, group string, found bool) error {
					calls[a.ID] = call{old, group, found}
					if a.ID == tt.refuse {
						return annotation.Errorf(annotation.Forbidden, "Refused by the check.")
					}
					a.Note = "set by the check"
					return nil
				}, nil)
			if c := calls["imp-old"]; c.old == nil || c.old.Revision != oldStored.Revision || c.old.Kind != annotation.Claim || c.group != "g-stored" || !c.found {
				t.Errorf("check of imp-old got old %+v, group %q, found %v; want the stored claim, g-stored, true", c.old, c.group, c.found)
			}
			if c, ok := calls["imp-new"]; !ok || c.old != nil || c.group != "g-new" || !c.found {
				t.Errorf("check of imp-new got old %+v, group %q, found %v (called %v); want nil, g-new, true", c.old, c.group, c.found, ok)
			}
			wantCode(t, "ImportChecked", err, tt.wantErr)
			if tt.wantErr != "" {
				if after := snapshot(t, db); after != before {
					t.Errorf("a refused import changed the store:\n%s\nwant\n%s", after, before)
				}
				return
			}
			for _, id := range []string{"imp-old", "imp-new"} {
				a, err := db.Annotation(ctx, id)
				if err != nil || a.Note != "set by the check" {
					t.Errorf("%s after the import: %+v, %v; want the check's note", id, a, err)
				}
			}
		})
	}
}
