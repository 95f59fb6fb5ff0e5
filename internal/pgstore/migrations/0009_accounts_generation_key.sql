-- The accounts generation gets a primary key that also keeps it to one
-- row. Without a key, a publication FOR ALL TABLES (logical replication)
-- refuses the trigger's UPDATE, and with it every write to users, groups
-- and members; and a second row would make the generation read with a
-- token or session ambiguous.
ALTER TABLE accounts_generation
	ADD COLUMN one boolean NOT NULL DEFAULT true PRIMARY KEY CHECK (one);
