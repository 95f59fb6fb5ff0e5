package pgstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The schema is a list of migrations, migrations/NNNN_name.sql, applied
// in order. A migration, once released, never changes: a change to the
// schema is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order. Versions
// start at 1 and have no gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var list []migration
	for i, name := range names { // fs.Glob returns names sorted
		base := strings.TrimSuffix(path.Base(name), ".sql")
		num, label, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want version %d first in its name", name, i+1)
		}
		data, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		list = append(list, migration{version: v, name: label, sql: string(data)})
	}
	return list, nil
}

// SchemaVersion returns the schema version this claimmark writes: the
// number of its migrations.
func SchemaVersion() int {
	list, err := migrations()
	if err != nil {
		panic(err) // the embedded files are checked by the tests
	}
	return len(list)
}

// migrationLock is the key of the advisory lock that serialises
// migrations, so that servers starting together apply each once.
const migrationLock = 0x636c6d6b // "clmk"

// migrate brings the schema of the database up to version upTo (every
// migration when upTo <= 0) in one transaction: all pending steps or none.
// A database whose schema is newer than this claimmark knows is refused.
func migrate(ctx context.Context, pool *pgxpool.Pool, upTo int) error {
	list, err := migrations()
	if err != nil {
		return err
	}
	if upTo <= 0 || upTo > len(list) {
		upTo = len(list)
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version integer PRIMARY KEY,
			name    text NOT NULL,
			applied timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&have); err != nil {
			return err
		}
		if have > len(list) {
			return fmt.Errorf("the database has schema version %d, and this claimmark knows only versions up to %d; upgrade claimmark", have, len(list))
		}
		for _, m := range list[have:upTo] {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
				return err
			}
		}
		return nil
	})
}
