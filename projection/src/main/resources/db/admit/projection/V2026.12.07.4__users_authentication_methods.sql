-- What GetUserByID and ListAuthenticationMethodTypes read of a user's authentication methods, folded from the
-- user's events like every other column: the time of the last user.human.password.changed (null: no password)
-- and its changeRequired flag; the token ids of the user's passkeys; and the user's identity-provider links, each
-- kept as "<characters in the provider id>:<provider id><external user id>". Both arrays are sorted by code point
-- (COLLATE "C"), so a rebuilt row equals the row the live projection wrote.
ALTER TABLE users
    ADD COLUMN password_changed         TIMESTAMPTZ,
    ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN passkeys                 TEXT[]  NOT NULL DEFAULT '{}',
    ADD COLUMN idp_links                TEXT[]  NOT NULL DEFAULT '{}';

-- Rows written before hold none of it: fold it from the events each row has already applied (sequence_number is
-- 0-based, a row's sequence 1-based), exactly as the projection would have. Later events reach the rows as usual.
CREATE TEMPORARY TABLE users_method_events ON COMMIT DROP AS
SELECT e.aggregate_identifier AS user_id, e.sequence_number, e.payload_type, e.time_stamp,
       convert_from(e.payload, 'UTF8')::jsonb AS body
FROM domain_event_entry e
JOIN users u ON u.user_id = e.aggregate_identifier AND e.sequence_number < u.sequence
WHERE e.payload_type IN ('user.human.password.changed',
                         'user.human.passwordless.token.verified', 'user.human.passwordless.token.removed',
                         'user.human.externalidp.added', 'user.human.externalidp.removed');

UPDATE users u
SET password_changed = p.time_stamp::timestamptz,
    password_change_required = coalesce((p.body ->> 'changeRequired')::boolean, FALSE)
FROM (SELECT DISTINCT ON (user_id) user_id, time_stamp, body
      FROM users_method_events WHERE payload_type = 'user.human.password.changed'
      ORDER BY user_id, sequence_number DESC) p
WHERE u.user_id = p.user_id;

UPDATE users u
SET passkeys = k.keys
FROM (SELECT user_id, array_agg(key ORDER BY key COLLATE "C") AS keys
      FROM (SELECT DISTINCT ON (user_id, key) user_id, key, payload_type
            FROM (SELECT user_id, sequence_number, payload_type,
                         coalesce(body ->> 'webAuthNTokenId', '') AS key
                  FROM users_method_events WHERE payload_type LIKE 'user.human.passwordless.token.%') m
            ORDER BY user_id, key, sequence_number DESC) last
      WHERE payload_type = 'user.human.passwordless.token.verified'
      GROUP BY user_id) k
WHERE u.user_id = k.user_id;

UPDATE users u
SET idp_links = k.keys
FROM (SELECT user_id, array_agg(key ORDER BY key COLLATE "C") AS keys
      FROM (SELECT DISTINCT ON (user_id, key) user_id, key, payload_type
            FROM (SELECT user_id, sequence_number, payload_type,
                         char_length(coalesce(body ->> 'idpConfigId', '')) || ':'
                             || coalesce(body ->> 'idpConfigId', '') || coalesce(body ->> 'externalUserId', '') AS key
                  FROM users_method_events WHERE payload_type LIKE 'user.human.externalidp.%') m
            ORDER BY user_id, key, sequence_number DESC) last
      WHERE payload_type = 'user.human.externalidp.added'
      GROUP BY user_id) k
WHERE u.user_id = k.user_id;
