-- The readers of the change log (each server's search index) and how far
-- each has applied it. TrimChanges deletes only the entries that every
-- reader has applied, so that one server cannot trim away what another
-- has yet to read. change_trim.trimmed is how far the log has been trimmed.
-- A server that is gone for good keeps its row, and so holds back
-- trimming, until its row is deleted.
CREATE TABLE change_readers (
	name    text PRIMARY KEY,
	applied bigint NOT NULL,
	seen    timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE change_trim (
	only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
	trimmed  bigint NOT NULL
);
INSERT INTO change_trim (trimmed) VALUES (0);
