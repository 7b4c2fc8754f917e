-- The users read model. Every event of a user stream moves `sequence` (1-based) and
-- `change_date`; an event at or below the row's sequence changes nothing.
CREATE TABLE users (
    user_id            TEXT NOT NULL,
    org_id             TEXT NOT NULL,
    username           TEXT NOT NULL,
    given_name         TEXT NOT NULL,
    family_name        TEXT NOT NULL,
    display_name       TEXT,
    preferred_language VARCHAR(40),
    email              TEXT NOT NULL,
    email_verified     BOOLEAN      NOT NULL DEFAULT FALSE,
    state              VARCHAR(32)  NOT NULL,
    creation_date      TIMESTAMPTZ  NOT NULL,
    sequence           BIGINT       NOT NULL,
    change_date        TIMESTAMPTZ  NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (user_id)
);

CREATE INDEX users_org_id_idx ON users (org_id);
