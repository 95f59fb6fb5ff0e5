-- Articles, their earlier texts, annotations, speakers, relations and the
-- change log. Each row's doc column holds the Go value as JSON, exactly
-- (nanosecond times, every field); the other columns are what lookups,
-- constraints and permissions need, kept in step by the store on every
-- write. doc is json, not jsonb: it is stored as written (and may hold
-- \u0000), and never queried inside.

CREATE TABLE articles (
	id        text PRIMARY KEY,
	url       text UNIQUE,            -- canonical; NULL when the article has none
	text_hash text NOT NULL UNIQUE,
	created   timestamptz NOT NULL,
	group_id  text NOT NULL DEFAULT '',
	creator   text NOT NULL DEFAULT '',
	doc       json NOT NULL,          -- the article without its text, with chars, textVersion, textSince
	text      text NOT NULL
);
CREATE INDEX articles_group ON articles (group_id);

-- The earlier texts of an article, numbered from 1.
CREATE TABLE article_versions (
	article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	version    integer NOT NULL,
	hash       text NOT NULL,
	doc        json NOT NULL,         -- version, hash, created, chars
	text       text NOT NULL,
	PRIMARY KEY (article_id, version)
);

CREATE TABLE speakers (
	id  text PRIMARY KEY,
	doc json NOT NULL
);

-- The SpeakerKey of every name and alias: a key belongs to one speaker.
CREATE TABLE speaker_keys (
	key        text PRIMARY KEY,
	speaker_id text NOT NULL REFERENCES speakers (id) ON DELETE CASCADE
);
CREATE INDEX speaker_keys_speaker ON speaker_keys (speaker_id);

CREATE TABLE annotations (
	id         text PRIMARY KEY,
	article_id text NOT NULL REFERENCES articles (id),
	group_id   text NOT NULL DEFAULT '',
	creator    text NOT NULL DEFAULT '',
	visibility text NOT NULL DEFAULT '',
	speaker_id text REFERENCES speakers (id),
	kind       text NOT NULL,
	created    timestamptz NOT NULL,
	modified   timestamptz NOT NULL,
	revision   integer NOT NULL,
	doc        json NOT NULL          -- the annotation as on the wire
);
CREATE INDEX annotations_article ON annotations (article_id, kind);
CREATE INDEX annotations_speaker ON annotations (speaker_id, kind) WHERE speaker_id IS NOT NULL;
CREATE INDEX annotations_group ON annotations (group_id);
CREATE INDEX annotations_creator ON annotations (creator);

-- Annotation.Relations reversed: who links to target_id. Links to a
-- deleted target are kept; those of a deleted source go with it.
CREATE TABLE relations (
	target_id text NOT NULL,
	source_id text NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,
	PRIMARY KEY (target_id, source_id)
);
CREATE INDEX relations_source ON relations (source_id);

-- The change log (annotation.ChangeLog). A write numbers its entries
-- from the sequence change_numbers when it is about to commit, without a
-- lock, so that writes commit (and fsync) together. Writes can then commit
-- out of order, and a number can be lost to a write that rolls back; a
-- reader therefore first calls claimmark_settle, which returns the last
-- number assigned and returns only once every write of this database that
-- was running then has ended: every entry up to that number that will
-- ever exist is then visible, and readers read only up to it.
CREATE SEQUENCE change_numbers AS bigint;
CREATE TABLE changes (
	seq           bigint PRIMARY KEY,
	annotation_id text NOT NULL
);

CREATE FUNCTION claimmark_settle() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	last bigint;
	pids integer[];
	xids xid[];
BEGIN
	SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO last FROM change_numbers;
	-- Writers hold a transaction id; wait until each that held one when
	-- last was read holds it no more (committed or rolled back).
	LOOP
		PERFORM pg_stat_clear_snapshot();
		IF pids IS NULL THEN
			SELECT array_agg(pid), array_agg(backend_xid) INTO pids, xids FROM pg_stat_activity
			WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid();
		ELSE
			SELECT array_agg(a.pid), array_agg(a.backend_xid) INTO pids, xids
			FROM pg_stat_activity a JOIN unnest(pids, xids) AS w(pid, xid) ON a.pid = w.pid AND a.backend_xid = w.xid;
		END IF;
		EXIT WHEN pids IS NULL;
		PERFORM pg_sleep(0.0002);
	END LOOP;
	RETURN last;
END
$$;
