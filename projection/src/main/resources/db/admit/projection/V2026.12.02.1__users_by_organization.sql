-- Lists of an organization's users, page by page in user id order (ListUsers of the Java entry point).
CREATE INDEX users_org_id_user_id_idx ON users (org_id, user_id);
