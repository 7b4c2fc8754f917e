-- Invite mails waiting to be delivered. A row is written by the mail processor in the same
-- transaction that moves its token past the invite.code.added event, so a code gets exactly one row,
-- whatever restarts happen. The row holds no code: the sender reads the sealed code from the event.
CREATE TABLE invite_mail_outbox (
    user_id          TEXT        NOT NULL,
    code_sequence    BIGINT      NOT NULL,
    state            VARCHAR(16) NOT NULL,
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    CONSTRAINT invite_mail_outbox_pkey PRIMARY KEY (user_id, code_sequence),
    CONSTRAINT invite_mail_outbox_state_check CHECK (state IN ('PENDING', 'SENT', 'SKIPPED', 'FAILED'))
);

CREATE INDEX invite_mail_outbox_due_idx ON invite_mail_outbox (next_attempt_at) WHERE state = 'PENDING';
