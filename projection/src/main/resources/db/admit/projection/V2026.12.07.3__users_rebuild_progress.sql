-- Where a rebuild of the users projection stands. It writes a shadow table (users_rebuild) while reads keep
-- using users, and swaps it in at the end; this row lets a rebuild that was killed carry on from its last chunk.
-- At most one row: one rebuild at a time (a session-level advisory lock refuses a second one while it runs).
CREATE TABLE users_rebuild_progress (
    rebuild        BOOLEAN     NOT NULL DEFAULT TRUE,
    position       BIGINT,
    gaps           BIGINT[]    NOT NULL DEFAULT '{}',
    events_applied BIGINT      NOT NULL DEFAULT 0,
    started_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    CONSTRAINT users_rebuild_progress_pkey PRIMARY KEY (rebuild),
    CONSTRAINT users_rebuild_progress_single CHECK (rebuild)
);
