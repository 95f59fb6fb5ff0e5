package server

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"claimmark/internal/annotation"
)

// linksTo returns the annotations p may read that link to id: from the
// Linker when there is one (package store and servertest keep a reverse
// index), otherwise by walking every annotation.
func (s *Server) linksTo(ctx context.Context, p *annotation.Principal, id string) ([]*annotation.Annotation, error) {
	if s.links != nil {
		all, err := s.links.LinksTo(ctx, id)
		if err != nil || p == nil {
			return all, err
		}
		return (&readable{p: p}).filter(all), nil
	}
	out := []*annotation.Annotation{}
	_, err := s.view(p).Walk(ctx, func(a *annotation.Annotation) error {
		if slices.ContainsFunc(a.Relations, func(r annotation.Relation) bool { return r.Target == id }) {
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// articles caches the articles one request looks up, by id; a missing
// article is cached as nil.
type articles struct {
	store annotation.Store
	byID  map[string]*annotation.Article
}

// get returns article id, or nil when it does not exist.
func (c *articles) get(ctx context.Context, id string) (*annotation.Article, error) {
	if a, ok := c.byID[id]; ok {
		return a, nil
	}
	if c.byID == nil {
		c.byID = map[string]*annotation.Article{}
	}
	a, err := c.store.Article(ctx, id)
	if annotation.ErrorCode(err) == annotation.NotFound {
		a, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	a.Text = "" // titles and dates are all a thread needs
	c.byID[id] = a
	return a, nil
}

// title returns the title of article id, "" when it is missing.
func (c *articles) title(ctx context.Context, id string) (string, error) {
	a, err := c.get(ctx, id)
	if a == nil {
		return "", err
	}
	return a.Title, nil
}

// getRelations answers GET /api/annotations/{id}/relations with an
// annotation.Relations: the links the annotation makes (each with the
// target and its article's title, or "deleted": true when the target no
// longer exists) and the links other annotations make to it.
func (s *Server) getRelations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.pathAnnotation(r)
	if err != nil {
		return err
	}
	id := a.ID
	p := s.principal(r)
	st := s.view(p)
	arts := &articles{store: st}
	names := s.newNamer(p)
	out := annotation.Relations{ID: id, Outgoing: []annotation.RelatedAnnotation{}, Incoming: []annotation.RelatedAnnotation{}}
	for _, rel := range a.Relations {
		item := annotation.RelatedAnnotation{Type: rel.Type, ID: rel.Target}
		t, err := st.Annotation(ctx, rel.Target)
		switch {
		case annotation.ErrorCode(err) == annotation.NotFound:
			item.Deleted = true
		case err != nil:
			return err
		default:
			item.Annotation = t
			names.fill(ctx, t)
			if item.ArticleTitle, err = arts.title(ctx, t.ArticleID); err != nil {
				return err
			}
		}
		out.Outgoing = append(out.Outgoing, item)
	}
	from, err := s.linksTo(ctx, p, id)
	if err != nil {
		return err
	}
	names.fill(ctx, from...)
	for _, f := range from {
		title, err := arts.title(ctx, f.ArticleID)
		if err != nil {
			return err
		}
		for _, rel := range f.Relations {
			if rel.Target == id {
				out.Incoming = append(out.Incoming, annotation.RelatedAnnotation{Type: rel.Type, ID: f.ID, Annotation: f, ArticleTitle: title})
			}
		}
	}
	return writeJSON(w, http.StatusOK, &out)
}

// getThread answers GET /api/annotations/{id}/thread with an
// annotation.Thread: a breadth-first walk over links in both directions
// from the annotation, so each node's path is a shortest one, stopped at
// annotation.MaxThread annotations.
func (s *Server) getThread(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "annotation")
	if err != nil {
		return err
	}
	th, err := s.thread(r.Context(), s.principal(r), id, annotation.MaxThread)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, th)
}

// thread gathers the thread of annotation root, at most limit annotations,
// of those p may read: an unreadable link reads as a deleted one.
func (s *Server) thread(ctx context.Context, p *annotation.Principal, root string, limit int) (*annotation.Thread, error) {
	st := s.view(p)
	first, err := st.Annotation(ctx, root)
	if err != nil {
		return nil, err
	}
	th := &annotation.Thread{Root: root, Items: []annotation.ThreadNode{}, Deleted: []string{}}
	arts := &articles{store: st}
	names := s.newNamer(p)
	paths := map[string][]annotation.Step{root: {}}
	deleted := map[string]bool{}
	queue := []*annotation.Annotation{first}
	add := func(a *annotation.Annotation) error {
		art, err := arts.get(ctx, a.ArticleID)
		if err != nil {
			return err
		}
		names.fill(ctx, a)
		n := annotation.ThreadNode{Annotation: a, ArticleID: a.ArticleID, Speaker: a.Speaker, Kind: a.Kind,
			Date: a.Created, Path: paths[a.ID]}
		if art != nil {
			n.ArticleTitle, n.ArticleURL = art.Title, art.URL
			if !art.Published.IsZero() {
				n.Date = art.Published
			}
		}
		th.Items = append(th.Items, n)
		return nil
	}
	// visit queues the annotation at the far end of step, reached from
	// the path of from, unless it was seen; a is nil when it has to be
	// looked up (an outgoing link).
	visit := func(from string, step annotation.Step, next string, a *annotation.Annotation) error {
		if _, seen := paths[next]; seen || deleted[next] {
			return nil
		}
		if len(paths) >= limit {
			th.Truncated = true
			return nil
		}
		if a == nil {
			var err error
			a, err = st.Annotation(ctx, next)
			if annotation.ErrorCode(err) == annotation.NotFound {
				deleted[next] = true
				th.Deleted = append(th.Deleted, next)
				return nil
			}
			if err != nil {
				return err
			}
		}
		paths[next] = append(slices.Clone(paths[from]), step)
		queue = append(queue, a)
		return nil
	}
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		if err := add(a); err != nil {
			return nil, err
		}
		for _, rel := range a.Relations {
			if err := visit(a.ID, annotation.Step{From: a.ID, Type: rel.Type, To: rel.Target}, rel.Target, nil); err != nil {
				return nil, err
			}
		}
		from, err := s.linksTo(ctx, p, a.ID)
		if err != nil {
			return nil, err
		}
		for _, f := range from {
			for _, rel := range f.Relations {
				if rel.Target == a.ID {
					if err := visit(a.ID, annotation.Step{From: f.ID, Type: rel.Type, To: a.ID}, f.ID, f); err != nil {
						return nil, err
					}
					break
				}
			}
		}
	}
	slices.SortFunc(th.Items, func(x, y annotation.ThreadNode) int {
		return cmp.Or(x.Date.Compare(y.Date), x.Annotation.Created.Compare(y.Annotation.Created), strings.Compare(x.Annotation.ID, y.Annotation.ID))
	})
	slices.Sort(th.Deleted)
	th.Total = len(th.Items)
	if th.Truncated {
		th.Note = fmt.Sprintf("The thread has more than %d annotations; only the %d nearest to this one are shown.", limit, limit)
	}
	return th, nil
}
