-- Events of a user stream that the users projection could not apply: a payload that cannot be read, or a row that
-- cannot be written. The user's row waits at the event before the first of them; every other user moves on. An
-- operator retries (the row is caught up from the stream) or drops (the row skips the first parked event).
CREATE TABLE users_parked_events (
    user_id      TEXT         NOT NULL,
    sequence     BIGINT       NOT NULL,
    global_index BIGINT,
    event_type   VARCHAR(255) NOT NULL,
    reason       TEXT         NOT NULL,
    parked_at    TIMESTAMPTZ  NOT NULL,
    CONSTRAINT users_parked_events_pkey PRIMARY KEY (user_id, sequence)
);
