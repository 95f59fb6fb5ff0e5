-- Users, groups, members, sessions, API tokens and one-time tickets
-- (annotation.AccountStore). Secrets are never stored, only their hashes.

CREATE TABLE users (
	id            text PRIMARY KEY,
	username      text NOT NULL,
	username_key  text NOT NULL UNIQUE,   -- annotation.UsernameKey
	display_name  text NOT NULL DEFAULT '',
	created       timestamptz NOT NULL,
	password_hash text NOT NULL
);

CREATE TABLE groups (
	id       text PRIMARY KEY,
	name     text NOT NULL,
	personal boolean NOT NULL DEFAULT false,
	created  timestamptz NOT NULL
);

CREATE TABLE members (
	group_id text NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
	user_id  text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role     text NOT NULL,
	added    timestamptz NOT NULL,
	pos      bigserial NOT NULL,          -- the order members were added
	PRIMARY KEY (group_id, user_id)
);
CREATE INDEX members_user ON members (user_id);

CREATE TABLE sessions (
	id        text PRIMARY KEY,           -- the hash of the cookie's secret
	user_id   text NOT NULL,
	created   timestamptz NOT NULL,
	last_seen timestamptz NOT NULL,
	expires   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires);

CREATE TABLE tokens (
	id        text PRIMARY KEY,
	user_id   text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name      text NOT NULL,
	hash      text NOT NULL UNIQUE,
	created   timestamptz NOT NULL,
	last_used timestamptz
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE tickets (
	hash       text PRIMARY KEY,
	kind       text NOT NULL,
	user_id    text NOT NULL DEFAULT '',
	group_id   text NOT NULL DEFAULT '',
	role       text NOT NULL DEFAULT '',
	created_by text NOT NULL DEFAULT '',
	created    timestamptz NOT NULL,
	expires    timestamptz NOT NULL
);
CREATE INDEX tickets_expires ON tickets (expires);
