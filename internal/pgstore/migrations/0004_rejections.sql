-- Each person's rejected suggestions of an article (annotation.RejectionStore):
-- the keys as a JSON array, and when they last changed. user_id is '' on a
-- server without accounts. Deleting an article deletes its rejections.
CREATE TABLE rejections (
	article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	user_id    text NOT NULL,
	keys       jsonb NOT NULL,
	updated    timestamptz NOT NULL,
	PRIMARY KEY (article_id, user_id)
);
