package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"

	"claimmark/internal/annotation"
)

var _ annotation.BulkReader = (*Store)(nil)

// AnnotationsByID returns the stored annotations among ids, by id, in one
// query; ids with none are left out. See annotation.BulkReader.
func (s *Store) AnnotationsByID(ctx context.Context, ids []string) (_ map[string]*annotation.Annotation, err error) {
	defer wrap(&err, "%d annotations", len(ids))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]*annotation.Annotation, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var id string
	var doc []byte
	cond, arg := idsCond("id", ids)
	rows, _ := s.db().Query(ctx, "SELECT id, doc FROM annotations WHERE "+cond, arg)
	_, err = pgx.ForEachRow(rows, []any{&id, &doc}, func() error {
		a, err := decodeAnnotation(doc)
		if err != nil {
			return err
		}
		out[id] = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LinksToEach returns what LinksTo returns for each of ids that some
// annotation links to, in one query. See annotation.BulkReader.
func (s *Store) LinksToEach(ctx context.Context, ids []string) (_ map[string][]*annotation.Annotation, err error) {
	defer wrap(&err, "links to %d annotations", len(ids))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := map[string][]*annotation.Annotation{}
	if len(ids) == 0 {
		return out, nil
	}
	var target string
	var doc []byte
	cond, arg := idsCond("r.target_id", ids)
	rows, _ := s.db().Query(ctx, `SELECT r.target_id, a.doc FROM relations r JOIN annotations a ON a.id = r.source_id
		WHERE `+cond+` ORDER BY r.target_id, a.id`, arg)
	_, err = pgx.ForEachRow(rows, []any{&target, &doc}, func() error {
		a, err := decodeAnnotation(doc)
		if err != nil {
			return err
		}
		out[target] = append(out[target], a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SpeakersByID returns the stored speakers among ids, by id, in one
// query. See annotation.BulkReader.
func (s *Store) SpeakersByID(ctx context.Context, ids []string) (_ map[string]*annotation.Speaker, err error) {
	defer wrap(&err, "%d speakers", len(ids))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]*annotation.Speaker, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var id string
	var doc []byte
	cond, arg := idsCond("id", ids)
	rows, _ := s.db().Query(ctx, "SELECT id, doc FROM speakers WHERE "+cond, arg)
	_, err = pgx.ForEachRow(rows, []any{&id, &doc}, func() error {
		sp, _, err := decodeSpeaker(doc)
		if err != nil {
			return err
		}
		out[id] = sp
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// idsCond returns the condition that column col is one of ids, and its
// argument: "col = $1" when ids holds one id (repeated or not), which
// PostgreSQL runs as cheaply as the one-id reads (BenchmarkFollowReads,
// page=1), and "col = ANY($1)" otherwise.
func idsCond(col string, ids []string) (string, any) {
	for _, id := range ids[1:] {
		if id != ids[0] {
			return col + " = ANY($1)", ids
		}
	}
	return col + " = $1", ids[0]
}
