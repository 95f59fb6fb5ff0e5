-- The accounts generation: a number that every statement writing users,
-- groups or members raises, in its own transaction, so that it becomes
-- visible with the write's commit and not before. A server reads it in the
-- same query as the token or session a request carries (TokenByHashGen,
-- SessionGen) and keeps each user's record and memberships while it stays
-- the same: a removal made through any server applies to the next request
-- on every server.
CREATE TABLE accounts_generation (
	gen bigint NOT NULL
);
INSERT INTO accounts_generation (gen) VALUES (1);

CREATE FUNCTION claimmark_accounts_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE accounts_generation SET gen = gen + 1;
	RETURN NULL;
END
$$;

CREATE TRIGGER users_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
	FOR EACH STATEMENT EXECUTE FUNCTION claimmark_accounts_written();
CREATE TRIGGER groups_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON groups
	FOR EACH STATEMENT EXECUTE FUNCTION claimmark_accounts_written();
CREATE TRIGGER members_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON members
	FOR EACH STATEMENT EXECUTE FUNCTION claimmark_accounts_written();
