package server

import (
	"context"
	"net/http"

	"claimmark/internal/annotation"
)

// Authorization: what a principal may not read is NotFound with the
// message of a missing id (the readable view, readable.go); a change the
// principal's role does not allow, on something they can read, is
// Forbidden with a sentence naming the role and the group. A nil
// principal (no accounts) may do everything.

// groupName returns the name of group id as the caller's memberships
// know it, or id.
func groupName(r *http.Request, id string) string {
	if c := callerOf(r); c != nil {
		for _, m := range c.Memberships {
			if m.Group.ID == id {
				return m.Group.Name
			}
		}
	}
	return id
}

// needRole returns nil when p has at least role min in group groupID,
// NotFound when p is not a member (the group's things are unreadable),
// and otherwise Forbidden saying what to ask for to do what.
func needRole(r *http.Request, p *annotation.Principal, groupID string, min annotation.Role, what string) error {
	if p == nil {
		return nil
	}
	role := p.Role(groupID)
	switch {
	case role.AtLeast(min):
		return nil
	case role == "":
		return groupNotFound(groupID)
	}
	return annotation.Errorf(annotation.Forbidden, "You are %s in '%s'; ask an owner to make you %s to %s.",
		roleWords(role), groupName(r, groupID), roleWords(min), what)
}

// putChecked stores a (If-Match ifMatch unless empty) when p may write
// it, deciding on the stored annotation and the stored article's group
// inside the store's write (annotation.PutChecked, checkAnnotationWrite),
// so that a concurrent change of either (the annotation moved to another
// group, made private) cannot come between the decision and the write.
// first, unless nil, is checked before p's rights.
func (s *Server) putChecked(r *http.Request, p *annotation.Principal, a *annotation.Annotation, ifMatch string, first annotation.WriteCheck) (created bool, err error) {
	if p == nil && first == nil {
		return s.store.PutAnnotation(r.Context(), a, ifMatch)
	}
	return annotation.PutChecked(r.Context(), s.store, a, ifMatch,
		func(a, old *annotation.Annotation, group string, articleFound bool) error {
			if first != nil {
				if err := first(a, old, group, articleFound); err != nil {
					return err
				}
			}
			return checkAnnotationWrite(r, p, a, old, group, articleFound)
		})
}

// checkAnnotationWrite checks that p may store a over old (the stored
// annotation of a.ID, nil for a new one) on the article a.ArticleID of
// group group (articleFound false when it does not exist), and sets the
// fields the server owns: Creator (p for a new annotation, kept
// otherwise), CreatorName (cleared; filled on output) and, for a
// replacement sent without one, Visibility (kept). Only the creator may
// change the visibility. old must be readable and the article too
// (NotFound otherwise), and p an editor of both groups. Without accounts
// it changes nothing. It is an annotation.WriteCheck's body: the store
// calls it in the write's transaction.
func checkAnnotationWrite(r *http.Request, p *annotation.Principal, a, old *annotation.Annotation, group string, articleFound bool) error {
	if p == nil {
		return nil
	}
	a.CreatorName = ""
	if old != nil {
		if !p.CanRead(old) {
			return annotation.AnnotationNotFound(old.ID)
		}
		if err := needRole(r, p, old.GroupID, annotation.Editor, "change annotations"); err != nil {
			return err
		}
		a.Creator = old.Creator
		if a.Visibility == "" {
			a.Visibility = old.Visibility
		}
		if a.Visibility.Private() != old.Visibility.Private() && old.Creator != p.User.ID {
			return annotation.Errorf(annotation.Forbidden, "Only the person who made this annotation may change who sees it.")
		}
	} else {
		a.Creator = p.User.ID
	}
	if a.ArticleID == "" {
		return nil // the store says what is missing
	}
	if !articleFound || p.Roles[group] == "" {
		return annotation.ArticleNotFound(a.ArticleID)
	}
	a.GroupID = group
	return needRole(r, p, group, annotation.Editor, "change annotations")
}

// storedAnnotation returns the stored annotation id, nil when there is
// none.
func (s *Server) storedAnnotation(ctx context.Context, id string) (*annotation.Annotation, error) {
	old, err := s.store.Annotation(ctx, id)
	if annotation.ErrorCode(err) == annotation.NotFound {
		return nil, nil
	}
	return old, err
}

// deleteChecked deletes annotation id (If-Match ifMatch unless empty)
// when p may: the annotation must be readable (NotFound otherwise) and p
// an editor of its group (Forbidden otherwise). It decides on the
// annotation as stored in the deletion's transaction
// (annotation.DeleteChecked), so that a concurrent move out of p's reach
// cannot come between the decision and the deletion.
func (s *Server) deleteChecked(r *http.Request, p *annotation.Principal, id, ifMatch string) error {
	if p == nil {
		return s.store.DeleteAnnotation(r.Context(), id, ifMatch)
	}
	return annotation.DeleteChecked(r.Context(), s.store, id, ifMatch, func(old *annotation.Annotation) error {
		if !p.CanRead(old) {
			return annotation.AnnotationNotFound(id)
		}
		return needRole(r, p, old.GroupID, annotation.Editor, "change annotations")
	})
}

// namer fills in the creators' display names of annotations on their way
// out, looking each user up once.
type namer struct {
	s     *Server
	names map[string]string
}

// newNamer returns a namer for one request by p; it names nothing without
// accounts. It knows p's own name already (read with p's roles), so that
// naming what p just saved reads no user.
func (s *Server) newNamer(p *annotation.Principal) *namer {
	n := &namer{s: s, names: map[string]string{}}
	if p != nil && p.User.ID != "" {
		n.names[p.User.ID] = p.User.Name()
	}
	return n
}

// name returns the display name of user id, "" when unknown.
func (n *namer) name(ctx context.Context, id string) string {
	if n.s.users == nil || id == "" {
		return ""
	}
	if v, ok := n.names[id]; ok {
		return v
	}
	v := ""
	if u, err := n.s.users.User(ctx, id); err == nil {
		v = u.Name()
	}
	n.names[id] = v
	return v
}

// fill sets CreatorName on each annotation.
func (n *namer) fill(ctx context.Context, anns ...*annotation.Annotation) {
	if n.s.users == nil {
		return
	}
	for _, a := range anns {
		if a != nil {
			a.CreatorName = n.name(ctx, a.Creator)
		}
	}
}

// anyEditor returns nil when p is an editor or owner of some group (or
// nil), else Forbidden: speaker identities are shared by the whole
// server, so any editor may change them.
func anyEditor(p *annotation.Principal) error {
	if p == nil {
		return nil
	}
	for _, role := range p.Roles {
		if role.AtLeast(annotation.Editor) {
			return nil
		}
	}
	return annotation.Errorf(annotation.Forbidden, "You are a viewer in every group you belong to; ask an owner to make you an editor to change speakers.")
}

// editsSpeakers checks that p may change speaker identities ids (rename,
// aliases, merge): identities are server-wide, and changing one changes
// how the annotations that name it are found and counted, so p must be
// an editor (or owner) of every group with annotations naming them, and
// an editor somewhere. Without accounts it allows everything.
func (s *Server) editsSpeakers(ctx context.Context, r *http.Request, p *annotation.Principal, ids ...string) error {
	if p == nil {
		return nil
	}
	if err := anyEditor(p); err != nil {
		return err
	}
	cs, err := s.census(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		for rd := range cs.speakers[id] {
			switch role := p.Role(rd.group); {
			case role.AtLeast(annotation.Editor):
			case role == "":
				return annotation.Errorf(annotation.Forbidden,
					"This speaker is also named in statements of groups you do not belong to; only someone who edits all of them can rename or merge it.")
			default:
				return annotation.Errorf(annotation.Forbidden,
					"This speaker is named in statements of '%s', where you are %s; ask an owner to make you an editor to rename or merge it.",
					groupName(r, rd.group), roleWords(role))
			}
		}
	}
	return nil
}
