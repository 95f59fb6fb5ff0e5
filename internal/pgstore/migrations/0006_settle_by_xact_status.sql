-- claimmark_settle as in version 1, waiting the same way for the writes
-- of this database that were running when it read the last number, but
-- reading pg_stat_activity (which copies every backend's entry) once per
-- call instead of on every turn of its loop: it then asks only whether
-- each of those transactions is still in progress (pg_xact_status).
CREATE OR REPLACE FUNCTION claimmark_settle() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	last bigint;
	waits xid8[];
BEGIN
	SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO last FROM change_numbers;
	PERFORM pg_stat_clear_snapshot(); -- read pg_stat_activity afresh
	-- A writer holds a transaction id before it takes a number, so every
	-- writer that took one up to last and is still running shows it now.
	-- pg_xact_status takes the 64-bit id: the 32-bit one placed within
	-- 2^31 of the oldest id running (the snapshot's xmin).
	SELECT array_agg((s.xm + CASE WHEN d.d >= 2147483648 THEN d.d - 4294967296 ELSE d.d END)::text::xid8) INTO waits
	FROM pg_stat_activity a,
		LATERAL (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xm) s,
		LATERAL (SELECT (a.backend_xid::text::bigint - s.xm % 4294967296 + 4294967296) % 4294967296 AS d) d
	WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid();
	WHILE waits IS NOT NULL LOOP
		PERFORM pg_sleep(0.0002);
		SELECT array_agg(x) INTO waits FROM unnest(waits) AS x WHERE pg_xact_status(x) = 'in progress';
	END LOOP;
	RETURN last;
END
$$;
