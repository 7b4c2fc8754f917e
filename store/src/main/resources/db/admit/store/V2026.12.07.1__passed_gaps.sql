-- Stretches of the global index that a tracking reader moved past without an event: a gap dropped after the gap
-- timeout or beyond the gap offset. A transaction still open then may commit an event there later; the users
-- projection looks for such late events in these stretches and brings their users' rows up to date.
CREATE TABLE passed_gaps (
    from_index BIGINT      NOT NULL,
    to_index   BIGINT      NOT NULL,
    passed_at  TIMESTAMPTZ NOT NULL,
    CONSTRAINT passed_gaps_pkey PRIMARY KEY (from_index),
    CONSTRAINT passed_gaps_ordered CHECK (from_index <= to_index)
);

CREATE INDEX passed_gaps_passed_at_idx ON passed_gaps (passed_at);
