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

-- The change log (annotation.ChangeLog). Sequence numbers come from the
-- one row of change_seq, not from a sequence: a write takes that row's
-- lock to number its changes and holds it until it commits, so changes
-- become visible in sequence order, and a reader that has seen seq N will
-- never later find a smaller one. change_seq.seq is the last number
-- assigned; trimming the log does not lower it.
CREATE TABLE changes (
	seq           bigint PRIMARY KEY,
	annotation_id text NOT NULL
);
CREATE TABLE change_seq (
	only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
	seq      bigint NOT NULL
);
INSERT INTO change_seq (seq) VALUES (0);
