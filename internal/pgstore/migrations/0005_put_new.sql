-- claimmark_put_new writes new annotations, saves that arrived together,
-- in one statement, so that they cost one round trip and one commit: the
-- store has validated and completed each annotation against what it
-- remembers of its article (the text whose hash is p_text_hash[i], in
-- group p_group_id[i]) and of its speaker. For each, the function checks
-- under the same locks as the store's general path that this still
-- holds: the article row is locked for share, the speaker p_speaker_id[i]
-- must exist (p_speaker_key[i] NULL) or own the key p_speaker_key[i], and
-- no annotation p_id[i] may exist. When a check fails it writes nothing
-- for that annotation and answers NULL in its place; the store then
-- saves it on its general path. Otherwise it writes the annotation
-- (revision 1), its relations (the targets p_rel_target[j] whose
-- p_rel_of[j] is i) and its change-log entry, and answers the entry's
-- number. The last number is announced on claimmark_changes at commit.
CREATE FUNCTION claimmark_put_new(
	p_id text[], p_article_id text[], p_text_hash text[], p_group_id text[], p_creator text[], p_visibility text[],
	p_speaker_id text[], p_speaker_key text[], p_kind text[], p_created timestamptz[], p_modified timestamptz[],
	p_doc json[], p_rel_of integer[], p_rel_target text[]) RETURNS bigint[] LANGUAGE plpgsql AS $$
DECLARE
	seqs bigint[] := array_fill(NULL::bigint, ARRAY[cardinality(p_id)]);
	n bigint;
BEGIN
	FOR i IN 1 .. cardinality(p_id) LOOP
		PERFORM 1 FROM articles WHERE id = p_article_id[i] AND text_hash = p_text_hash[i] AND group_id = p_group_id[i] FOR SHARE;
		CONTINUE WHEN NOT FOUND;
		IF p_speaker_id[i] IS NOT NULL THEN
			IF p_speaker_key[i] IS NULL THEN
				PERFORM 1 FROM speakers WHERE id = p_speaker_id[i];
			ELSE
				PERFORM 1 FROM speaker_keys WHERE key = p_speaker_key[i] AND speaker_id = p_speaker_id[i];
			END IF;
			CONTINUE WHEN NOT FOUND;
		END IF;
		INSERT INTO annotations (id, article_id, group_id, creator, visibility, speaker_id, kind, created, modified, revision, doc)
			VALUES (p_id[i], p_article_id[i], p_group_id[i], p_creator[i], p_visibility[i], p_speaker_id[i], p_kind[i],
				p_created[i], p_modified[i], 1, p_doc[i])
			ON CONFLICT (id) DO NOTHING;
		CONTINUE WHEN NOT FOUND;
		IF i = ANY (p_rel_of) THEN
			INSERT INTO relations (target_id, source_id)
				SELECT DISTINCT r.t, p_id[i] FROM unnest(p_rel_of, p_rel_target) AS r(o, t) WHERE r.o = i
				ON CONFLICT DO NOTHING;
		END IF;
		-- Numbered after the annotation's write, as the store's flush
		-- does, so that claimmark_settle sees this transaction's id while
		-- the number is uncommitted.
		n := nextval('change_numbers');
		INSERT INTO changes (seq, annotation_id) VALUES (n, p_id[i]);
		seqs[i] := n;
	END LOOP;
	IF n IS NOT NULL THEN
		PERFORM pg_notify('claimmark_changes', n::text);
	END IF;
	RETURN seqs;
END
$$;
