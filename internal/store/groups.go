package store

import (
	"cmp"
	"context"
	"slices"

	bolt "go.etcd.io/bbolt"

	"claimmark/internal/annotation"
)

// memberRecord is what the members bucket holds: a member and its place
// in the order members were added (from the bucket's sequence).
type memberRecord struct {
	annotation.Member
	Seq uint64 `json:"seq"`
}

// group returns group id; ok is false when there is none.
func (t *accTxn) group(id string) (g *annotation.Group, ok bool, err error) {
	g = new(annotation.Group)
	ok, err = getJSON(t.groups, id, g)
	return g, ok, err
}

// mustGroup returns group id or the NotFound error.
func (t *accTxn) mustGroup(id string) (*annotation.Group, error) {
	g, ok, err := t.group(id)
	if err == nil && !ok {
		err = annotation.GroupNotFound(id)
	}
	return g, err
}

// memberRecords returns the members of group id in the order they were
// added.
func (t *accTxn) memberRecords(groupID string) ([]memberRecord, error) {
	var list []memberRecord
	err := eachPair(t.members, groupID, func(_ string, v []byte) error {
		var m memberRecord
		if err := decodeJSON(v, &m, "member of group "+groupID); err != nil {
			return err
		}
		list = append(list, m)
		return nil
	})
	slices.SortFunc(list, func(a, b memberRecord) int { return cmp.Compare(a.Seq, b.Seq) })
	return list, err
}

// membersOf returns the members of group id in the order they were added.
func (t *accTxn) membersOf(groupID string) ([]annotation.Member, error) {
	recs, err := t.memberRecords(groupID)
	list := make([]annotation.Member, len(recs))
	for i, r := range recs {
		list[i] = r.Member
	}
	return list, err
}

// putMember stores m over old, the stored record of the same member or
// nil for a new one, in both directions.
func (t *accTxn) putMember(m *annotation.Member, old *memberRecord) error {
	rec := memberRecord{Member: *m}
	if old != nil {
		rec.Seq = old.Seq
	} else {
		seq, err := t.members.NextSequence()
		if err != nil {
			return err
		}
		rec.Seq = seq
	}
	if err := putJSON(t.members, pairKey(m.GroupID, m.UserID), rec); err != nil {
		return err
	}
	return t.memberOf.Put(pairKey(m.UserID, m.GroupID), []byte(m.Role))
}

// PutGroup implements annotation.AccountStore.
func (db *DB) PutGroup(ctx context.Context, g *annotation.Group, owner string) (err error) {
	if g == nil {
		return annotation.Errorf(annotation.Invalid, "No group was given.")
	}
	defer wrap(&err, "put group %s", g.ID)
	if err := ctx.Err(); err != nil {
		return err
	}
	in := *g
	if err := in.Validate(); err != nil {
		return err
	}
	now := db.stamp()
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		if g.ID != "" {
			old, err := t.mustGroup(g.ID)
			if err != nil {
				return err
			}
			in.Personal, in.Created = old.Personal, old.Created
			return putJSON(t.groups, []byte(in.ID), in)
		}
		if in.Personal {
			return annotation.Errorf(annotation.Invalid, "A personal group is made with its user; create a shared group instead.")
		}
		if _, ok, err := t.user(owner); err != nil || !ok {
			if err == nil {
				err = annotation.UserNotFound(owner)
			}
			return err
		}
		in.ID, in.Created = annotation.NewID(), now
		if err := putJSON(t.groups, []byte(in.ID), in); err != nil {
			return err
		}
		return t.putMember(&annotation.Member{GroupID: in.ID, UserID: owner, Role: annotation.Owner, Added: now}, nil)
	})
	if err != nil {
		return err
	}
	*g = in
	return nil
}

// Group implements annotation.AccountStore.
func (db *DB) Group(ctx context.Context, id string) (_ *annotation.Group, err error) {
	defer wrap(&err, "group %s", id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var g *annotation.Group
	err = db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		g, err = db.newAccTxn(tx).mustGroup(id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// Memberships implements annotation.AccountStore.
func (db *DB) Memberships(ctx context.Context, userID string) (_ []annotation.Membership, err error) {
	defer wrap(&err, "memberships of %s", userID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	list := []annotation.Membership{}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		return eachPair(t.memberOf, userID, func(groupID string, role []byte) error {
			g, ok, err := t.group(groupID)
			if err != nil || !ok {
				return err
			}
			list = append(list, annotation.Membership{Group: *g, Role: annotation.Role(role)})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	annotation.SortMemberships(list)
	return list, nil
}

// Members implements annotation.AccountStore.
func (db *DB) Members(ctx context.Context, groupID string) (_ []annotation.Member, err error) {
	defer wrap(&err, "members of group %s", groupID)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	list := []annotation.Member{}
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		if _, err := t.mustGroup(groupID); err != nil {
			return err
		}
		var err error
		list, err = t.membersOf(groupID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []annotation.Member{}
	}
	return list, nil
}

// PutMember implements annotation.AccountStore. A new member's Added is
// now; a changed role keeps it and the member's place. The stored member
// is written back into m.
func (db *DB) PutMember(ctx context.Context, m *annotation.Member) (err error) {
	if m == nil {
		return annotation.Errorf(annotation.Invalid, "No member was given.")
	}
	defer wrap(&err, "put member %s of group %s", m.UserID, m.GroupID)
	if err := ctx.Err(); err != nil {
		return err
	}
	in := *m
	now := db.stamp()
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		g, err := t.mustGroup(in.GroupID)
		if err != nil {
			return err
		}
		if _, ok, err := t.user(in.UserID); err != nil || !ok {
			if err == nil {
				err = annotation.UserNotFound(in.UserID)
			}
			return err
		}
		recs, err := t.memberRecords(in.GroupID)
		if err != nil {
			return err
		}
		members := make([]annotation.Member, len(recs))
		var old *memberRecord
		for i := range recs {
			members[i] = recs[i].Member
			if recs[i].UserID == in.UserID {
				old = &recs[i]
			}
		}
		if err := annotation.CheckMemberChange(g, members, &in); err != nil {
			return err
		}
		in.Added = now
		if old != nil {
			in.Added = old.Added
		}
		return t.putMember(&in, old)
	})
	if err != nil {
		return err
	}
	*m = in
	return nil
}

// DeleteMember implements annotation.AccountStore.
func (db *DB) DeleteMember(ctx context.Context, groupID, userID string) (err error) {
	defer wrap(&err, "delete member %s of group %s", userID, groupID)
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.bolt.Update(func(tx *bolt.Tx) error {
		t := db.newAccTxn(tx)
		g, err := t.mustGroup(groupID)
		if err != nil {
			return err
		}
		members, err := t.membersOf(groupID)
		if err != nil {
			return err
		}
		if err := annotation.CheckMemberRemoval(g, members, userID); err != nil {
			return err
		}
		if err := t.members.Delete(pairKey(groupID, userID)); err != nil {
			return err
		}
		return t.memberOf.Delete(pairKey(userID, groupID))
	})
}
