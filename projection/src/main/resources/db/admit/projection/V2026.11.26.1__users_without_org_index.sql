-- No query reads users by organization (a read is always by user id, and the organization is checked on the
-- row); the index only cost every insert. A query that needs it brings it back with its own migration.
DROP INDEX IF EXISTS users_org_id_idx;
