-- claimmark_settle as in version 1, waiting the same way for the writes
-- of this database that were running when it read the last number, but
-- reading pg_stat_activity (which copies every backend's entry) once per
-- call instead of on every turn of its loop: it then asks only whether
-- each of those transactions is still in progress (pg_xact_status), as
-- the snapshot taken after reading the number lists them.
CREATE OR REPLACE FUNCTION claimmark_settle() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	last bigint;
	waits xid8[];
BEGIN
	SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO last FROM change_numbers;
	PERFORM pg_stat_clear_snapshot(); -- read pg_stat_activity afresh
	-- A writer holds a transaction id before it takes a number, so every
	-- writer that took one up to last is in this snapshot's list of
	-- running transactions, or has ended. Keep those of this database.
	SELECT array_agg(x) INTO waits FROM pg_snapshot_xip(pg_current_snapshot()) AS x
	WHERE (x::text::bigint % 4294967296) IN (
		SELECT backend_xid::text::bigint FROM pg_stat_activity
		WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid());
	WHILE waits IS NOT NULL LOOP
		PERFORM pg_sleep(0.0002);
		SELECT array_agg(x) INTO waits FROM unnest(waits) AS x WHERE pg_xact_status(x) = 'in progress';
	END LOOP;
	RETURN last;
END
$$;
