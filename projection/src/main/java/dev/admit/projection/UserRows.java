package dev.admit.projection;

import dev.admit.domain.message.EmailVerified;
import dev.admit.domain.message.HumanUserAdded;
import dev.admit.domain.message.IdpLinkAdded;
import dev.admit.domain.message.IdpLinkRemoved;
import dev.admit.domain.message.PasskeyAdded;
import dev.admit.domain.message.PasskeyRemoved;
import dev.admit.domain.message.PasswordChanged;
import dev.admit.domain.message.UserEvent;
import dev.admit.domain.user.OrgId;
import dev.admit.domain.user.UserId;
import dev.admit.store.AdmitTables;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of the {@code users} table. Each row takes its user's events strictly in order: a change carries its
 * events' 1-based sequences and only moves a row that stands right before the first of them, so applying an event
 * again, or an older one, changes nothing, and a row never skips one.
 */
public class UserRows {

    /**
     * New users' rows, with each user's later events of the same batch already folded in, as one statement over
     * column arrays. Should a row exist (a read brought it up to date first), the insert moves it on like an update,
     * if it carries later events.
     */
    private static final String INSERT = """
            INSERT INTO {users} AS users (user_id, org_id, username, given_name, family_name, display_name, preferred_language,
                               email, email_verified, state, creation_date, sequence, change_date,
                               password_changed, password_change_required, passkeys, idp_links)
            SELECT n.user_id, n.org_id, n.username, n.given_name, n.family_name, n.display_name, n.preferred_language,
                   n.email, n.email_verified, 'ACTIVE', timestamptz 'epoch' + n.created_us * interval '1 microsecond',
                   n.sequence, timestamptz 'epoch' + n.changed_us * interval '1 microsecond',
                   timestamptz 'epoch' + n.password_us * interval '1 microsecond', n.change_required,
                   CASE WHEN n.passkeys IS NULL THEN '{}'::text[]
                        ELSE ARRAY(SELECT k FROM unnest(n.passkeys::text[]) k ORDER BY k COLLATE "C") END,
                   CASE WHEN n.idp_links IS NULL THEN '{}'::text[]
                        ELSE ARRAY(SELECT k FROM unnest(n.idp_links::text[]) k ORDER BY k COLLATE "C") END
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::boolean[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[], ?::text[],
                        ?::text[])
                AS n(user_id, org_id, username, given_name, family_name, display_name, preferred_language, email,
                     email_verified, created_us, sequence, changed_us, password_us, change_required, passkeys,
                     idp_links)
            ON CONFLICT (user_id) DO UPDATE
                SET email_verified = users.email_verified OR excluded.email_verified,
                    sequence = excluded.sequence, change_date = excluded.change_date,
                    password_changed = excluded.password_changed,
                    password_change_required = excluded.password_change_required,
                    passkeys = excluded.passkeys, idp_links = excluded.idp_links
                WHERE users.sequence < excluded.sequence
            """;

    private static final String SELECT = """
            SELECT user_id, org_id, username, given_name, family_name, display_name, preferred_language, email,
                   email_verified, state, creation_date, sequence, change_date, password_changed,
                   password_change_required, cardinality(passkeys) > 0 AS has_passkey,
                   cardinality(idp_links) > 0 AS has_idp_link
            FROM {users} WHERE user_id = ?
            """;

    /** The live table. */
    public static final String USERS = "users";

    /** New users' rows through COPY, in the column order {@link #copyNew} writes. */
    private static final String COPY = """
            COPY {users} (user_id, org_id, username, given_name, family_name, display_name, preferred_language, email,
                          email_verified, state, creation_date, sequence, change_date, password_changed,
                          password_change_required, passkeys, idp_links) FROM STDIN WITH (FORMAT binary)
            """;

    private static final int COPIED_COLUMNS = 17;

    private final JdbcTemplate jdbc;
    private final String copy;
    private final String insert;
    private final String select;
    private final String foldedUpdate;
    private final String presentUsers;
    private final String sequenceOf;
    private final String truncate;
    private final String skip;
    private final String pageOfOrganization;
    private final String countOfOrganization;

    public UserRows(JdbcTemplate jdbc, AdmitTables tables) {
        this(jdbc, tables, USERS);
    }

    /** The rows of another table shaped like {@code users}: a rebuild's shadow table. */
    public UserRows(JdbcTemplate jdbc, AdmitTables tables, String table) {
        java.util.function.UnaryOperator<String> sql =
                statement -> tables.sql(statement.replace("{users}", "{" + table + "}"));
        this.jdbc = jdbc;
        this.insert = sql.apply(INSERT);
        this.copy = sql.apply(COPY);
        this.select = sql.apply(SELECT);
        this.foldedUpdate = sql.apply(FOLDED_UPDATE);
        this.presentUsers = sql.apply("SELECT user_id, sequence FROM {users} WHERE user_id = ANY (?)");
        this.sequenceOf = sql.apply("SELECT sequence FROM {users} WHERE user_id = ?");
        this.truncate = sql.apply("TRUNCATE TABLE {users}");
        this.skip = sql.apply("UPDATE {users} SET sequence = ? WHERE user_id = ? AND sequence = ?");
        this.pageOfOrganization = sql.apply(
                SELECT.replace("WHERE user_id = ?", "WHERE org_id = ?").strip() + " ORDER BY user_id LIMIT ? OFFSET ?");
        this.countOfOrganization = sql.apply("SELECT count(*) FROM {users} WHERE org_id = ?");
    }

    /**
     * Applies one event of {@code userId}'s stream, if the row stands right before it.
     *
     * @param sequence the event's 1-based position in the stream
     * @return the user, if the row lacks earlier events (or does not exist) and must be caught up from the stream
     */
    public Set<String> apply(String userId, long sequence, Instant timestamp, UserEvent event) {
        Changes one = new Changes();
        one.add(userId, sequence, timestamp, event);
        return applyAll(one);
    }

    /**
     * The changes of one batch of events, folded per user in stream order: a user added in the batch becomes one
     * insert carrying the user's later events of the batch, any other user one update. A user whose events in the
     * batch do not follow each other without a gap is left out and named by {@link #broken()}: their row is to be
     * brought up to date from the stream instead.
     */
    public static final class Changes {
        private static final int VERIFIED = 8;
        private static final int CREATION_DATE = 9;
        private static final int SEQUENCE = 10;
        private static final int CHANGE_DATE = 11;
        private static final int PASSWORD_CHANGED = 12;
        private static final int CHANGE_REQUIRED = 13;
        private static final int PASSKEYS = 14;
        private static final int IDP_LINKS = 15;
        /** Not a column: the batch the row's user was added in (see {@link #oldestHeldBatch}). */
        private static final int ADDED_IN = 16;

        private static final int COLUMNS = 17;

        private final Map<String, Object[]> inserts = new LinkedHashMap<>();
        private final Map<String, Change> updates = new LinkedHashMap<>();
        private final Set<String> broken = new LinkedHashSet<>();
        private long batch;

        /** Tags the new users added from here on with {@code batch}, which {@link #oldestHeldBatch} reports. */
        public void startBatch(long batch) {
            this.batch = batch;
        }

        /**
         * Takes out what is to be written now: every update and broken-off user, and the new users' rows but the
         * newest {@code keep}. Those stay here, with the events folded into them so far, and go on taking their users'
         * later events, so that such a user is written once, not inserted and then updated.
         */
        public Changes takeAllButNewestRows(int keep) {
            Changes taken = new Changes();
            taken.updates.putAll(updates);
            taken.broken.addAll(broken);
            updates.clear();
            broken.clear();
            var rows = inserts.entrySet().iterator();
            for (int take = inserts.size() - keep; take > 0; take--) {
                Map.Entry<String, Object[]> row = rows.next();
                taken.inserts.put(row.getKey(), row.getValue());
                rows.remove();
            }
            return taken;
        }

        /** The batch the oldest new user whose row is still here was added in; {@link Long#MAX_VALUE} if none. */
        public long oldestHeldBatch() {
            return inserts.isEmpty()
                    ? Long.MAX_VALUE
                    : (Long) inserts.values().iterator().next()[ADDED_IN];
        }

        public void add(String userId, long sequence, Instant timestamp, UserEvent event) {
            if (event instanceof HumanUserAdded added) {
                if (broken.contains(userId)) {
                    return;
                }
                if (sequence != 1 || inserts.containsKey(userId) || updates.containsKey(userId)) {
                    breakOff(userId);
                    return;
                }
                long at = micros(timestamp);
                Object[] row = new Object[COLUMNS];
                row[0] = userId;
                row[1] = added.orgId().value();
                row[2] = added.username();
                row[3] = added.givenName();
                row[4] = added.familyName();
                row[5] = added.displayName();
                row[6] = added.preferredLanguage();
                row[7] = added.email();
                row[VERIFIED] = Boolean.FALSE;
                row[CREATION_DATE] = at;
                row[SEQUENCE] = sequence;
                row[CHANGE_DATE] = at;
                row[CHANGE_REQUIRED] = Boolean.FALSE;
                row[ADDED_IN] = batch;
                inserts.put(userId, row);
                return;
            }
            step(userId, sequence, timestamp, event instanceof EmailVerified, event);
        }

        /**
         * Applies an event of an existing user that only moves the row's sequence and change date, and sets the
         * verified flag if it is an {@code email.verified}: every event but {@code human.added} and those of
         * authentication methods ({@link #touchesMethods}). A rebuild uses this to skip reading payloads it would
         * not look into.
         */
        public void touch(String userId, long sequence, Instant timestamp, boolean emailVerified) {
            step(userId, sequence, timestamp, emailVerified, null);
        }

        /**
         * Whether events of this type change more of the row than its position and verified flag: the user's
         * creation, and its authentication methods (password, passkeys, identity-provider links).
         */
        public static boolean readsPayloadOf(Class<?> eventType) {
            return eventType == HumanUserAdded.class || touchesMethods(eventType);
        }

        private static boolean touchesMethods(Class<?> eventType) {
            return eventType == PasswordChanged.class
                    || eventType == PasskeyAdded.class
                    || eventType == PasskeyRemoved.class
                    || eventType == IdpLinkAdded.class
                    || eventType == IdpLinkRemoved.class;
        }

        private void step(String userId, long sequence, Instant timestamp, boolean emailVerified, UserEvent event) {
            if (broken.contains(userId)) {
                return;
            }
            long at = micros(timestamp);
            boolean methods = event != null && touchesMethods(event.getClass());
            Object[] inserted = inserts.get(userId);
            if (inserted != null) {
                long last = (Long) inserted[SEQUENCE];
                if (sequence <= last) {
                    return;
                }
                if (sequence != last + 1) {
                    breakOff(userId);
                    return;
                }
                inserted[SEQUENCE] = sequence;
                inserted[CHANGE_DATE] = at;
                if (emailVerified) {
                    inserted[VERIFIED] = Boolean.TRUE;
                }
                if (methods) {
                    foldIntoInsert(inserted, at, event);
                }
                return;
            }
            Change change = updates.get(userId);
            if (change == null) {
                change = new Change(sequence);
                updates.put(userId, change);
            } else if (sequence != change.sequence + 1) {
                if (sequence > change.sequence) {
                    breakOff(userId);
                }
                return;
            }
            change.sequence = sequence;
            change.changeDate = at;
            change.emailVerified |= emailVerified;
            if (methods) {
                change.fold(at, event);
            }
        }

        /** A new user's row starts without methods, so its sets are the batch's additions that were not removed. */
        private static void foldIntoInsert(Object[] row, long at, UserEvent event) {
            if (event instanceof PasswordChanged changed) {
                row[PASSWORD_CHANGED] = at;
                row[CHANGE_REQUIRED] = changed.changeRequired();
            } else if (event instanceof PasskeyAdded passkey) {
                set(row, PASSKEYS).add(passkeyKey(passkey.webAuthNTokenId()));
            } else if (event instanceof PasskeyRemoved passkey) {
                set(row, PASSKEYS).remove(passkeyKey(passkey.webAuthNTokenId()));
            } else if (event instanceof IdpLinkAdded link) {
                set(row, IDP_LINKS).add(idpLinkKey(link.idpConfigId(), link.externalUserId()));
            } else if (event instanceof IdpLinkRemoved link) {
                set(row, IDP_LINKS).remove(idpLinkKey(link.idpConfigId(), link.externalUserId()));
            }
        }

        @SuppressWarnings("unchecked")
        private static Set<String> set(Object[] row, int column) {
            if (row[column] == null) {
                row[column] = new TreeSet<String>();
            }
            return (Set<String>) row[column];
        }

        /** Leaves the user out of this batch's statements, to be caught up from the stream. */
        public void breakOff(String userId) {
            inserts.remove(userId);
            updates.remove(userId);
            broken.add(userId);
        }

        /** The users whose events in the batch skip a position; their rows are caught up from their streams. */
        public Set<String> broken() {
            return Collections.unmodifiableSet(broken);
        }

        /** Every user the batch has events of. */
        public Set<String> users() {
            Set<String> users = new LinkedHashSet<>(inserts.keySet());
            users.addAll(updates.keySet());
            users.addAll(broken);
            return users;
        }

        /** This batch's changes of one user only. */
        public Changes of(String userId) {
            Changes one = new Changes();
            Object[] inserted = inserts.get(userId);
            if (inserted != null) {
                one.inserts.put(userId, inserted);
            }
            Change change = updates.get(userId);
            if (change != null) {
                one.updates.put(userId, change);
            }
            if (broken.contains(userId)) {
                one.broken.add(userId);
            }
            return one;
        }

        boolean isEmpty() {
            return inserts.isEmpty() && updates.isEmpty() && broken.isEmpty();
        }
    }

    /**
     * A user's events in one batch, folded: the first and last sequence, the last timestamp, whether any verified the
     * email, and what they did to the authentication methods: the last password change (its time and flag), and for
     * each passkey and identity-provider link the batch touched, whether its last event added or removed it. Folding
     * is exact: the verified flag only ever turns true, a password change replaces the earlier one, and a set's
     * member is decided by its last event alone; so applying part of a fold again changes nothing either.
     */
    private static final class Change {
        final long first;
        long sequence;
        long changeDate;
        boolean emailVerified;
        /** Microseconds of the batch's last password change, or null if it has none. */
        Long passwordChanged;

        boolean passwordChangeRequired;
        /** Passkeys (and links) by key: true if the batch's last event of it added it, false if it removed it. */
        Map<String, Boolean> passkeys;

        Map<String, Boolean> idpLinks;

        Change(long first) {
            this.first = first;
            this.sequence = first;
        }

        void fold(long at, UserEvent event) {
            if (event instanceof PasswordChanged changed) {
                passwordChanged = at;
                passwordChangeRequired = changed.changeRequired();
            } else if (event instanceof PasskeyAdded passkey) {
                passkeys = mark(passkeys, passkeyKey(passkey.webAuthNTokenId()), true);
            } else if (event instanceof PasskeyRemoved passkey) {
                passkeys = mark(passkeys, passkeyKey(passkey.webAuthNTokenId()), false);
            } else if (event instanceof IdpLinkAdded link) {
                idpLinks = mark(idpLinks, idpLinkKey(link.idpConfigId(), link.externalUserId()), true);
            } else if (event instanceof IdpLinkRemoved link) {
                idpLinks = mark(idpLinks, idpLinkKey(link.idpConfigId(), link.externalUserId()), false);
            }
        }

        private static Map<String, Boolean> mark(Map<String, Boolean> marks, String key, boolean present) {
            Map<String, Boolean> result = marks == null ? new TreeMap<>() : marks;
            result.put(key, present);
            return result;
        }

        /** The keys whose last event has {@code present}, as an array literal; null if the batch touched none. */
        static String literal(Map<String, Boolean> marks, boolean present) {
            if (marks == null) {
                return null;
            }
            List<String> keys = new ArrayList<>();
            marks.forEach((key, mark) -> {
                if (mark == present) {
                    keys.add(key);
                }
            });
            return arrayLiteral(keys);
        }
    }

    /** A passkey as the row keeps it: its token id. */
    static String passkeyKey(String tokenId) {
        return Objects.toString(tokenId, "");
    }

    /**
     * An identity-provider link as the row keeps it: the provider id's length in characters, a colon, the provider id
     * and the external user id, so that no two links share a key (the migration writes the same form).
     */
    static String idpLinkKey(String idpConfigId, String externalUserId) {
        String idp = Objects.toString(idpConfigId, "");
        return idp.codePointCount(0, idp.length()) + ":" + idp + Objects.toString(externalUserId, "");
    }

    /** PostgreSQL's text form of a one-dimensional text array, every element quoted. */
    static String arrayLiteral(java.util.Collection<String> elements) {
        StringBuilder literal = new StringBuilder("{");
        for (String element : elements) {
            if (literal.length() > 1) {
                literal.append(',');
            }
            literal.append('"');
            for (int i = 0; i < element.length(); i++) {
                char c = element.charAt(i);
                if (c == '"' || c == '\\') {
                    literal.append('\\');
                }
                literal.append(c);
            }
            literal.append('"');
        }
        return literal.append('}').toString();
    }

    private static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    /**
     * The folded changes of users that exist already, as one statement; answers the users it moved. A row moves
     * only if it holds every event before the change's first one, so a row never skips an event of its stream; a
     * row that already holds some of the change's events takes the rest (the fold only sets the newest position and
     * date, turns the flag on, replaces the password's time and flag, and sets each touched passkey's and link's
     * membership, so applying part of it again changes nothing). The method columns are only rewritten for users
     * whose batch touched them: most batches touch none.
     */
    private static final String FOLDED_UPDATE = """
            UPDATE {users} AS users
            SET email_verified = users.email_verified OR c.email_verified, sequence = c.sequence,
                change_date = timestamptz 'epoch' + c.changed_us * interval '1 microsecond',
                password_changed = CASE WHEN c.password_us IS NULL THEN users.password_changed
                    ELSE timestamptz 'epoch' + c.password_us * interval '1 microsecond' END,
                password_change_required = CASE WHEN c.password_us IS NULL THEN users.password_change_required
                    ELSE c.change_required END,
                passkeys = CASE WHEN c.passkeys_in IS NULL THEN users.passkeys
                    ELSE ARRAY(SELECT k FROM (
                            SELECT k FROM unnest(users.passkeys) k WHERE k <> ALL (c.passkeys_out::text[])
                            UNION SELECT unnest(c.passkeys_in::text[])) s(k)
                        ORDER BY k COLLATE "C") END,
                idp_links = CASE WHEN c.idp_links_in IS NULL THEN users.idp_links
                    ELSE ARRAY(SELECT k FROM (
                            SELECT k FROM unnest(users.idp_links) k WHERE k <> ALL (c.idp_links_out::text[])
                            UNION SELECT unnest(c.idp_links_in::text[])) s(k)
                        ORDER BY k COLLATE "C") END
            FROM unnest(?::text[], ?::boolean[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[],
                        ?::text[], ?::text[], ?::text[], ?::text[])
                AS c(user_id, email_verified, first_sequence, sequence, changed_us, password_us, change_required,
                     passkeys_in, passkeys_out, idp_links_in, idp_links_out)
            WHERE users.user_id = c.user_id AND users.sequence BETWEEN c.first_sequence - 1 AND c.sequence - 1
            RETURNING users.user_id
            """;

    /**
     * Applies a batch: one statement for the new users, then one for every other user the batch touches. Each row
     * takes its user's events strictly in order.
     *
     * @return the users whose rows could not take the batch's events because they lack earlier ones (an event the
     *     processor never saw, or no row at all), and the batch's {@link Changes#broken() broken} users: their rows
     *     are to be caught up from their streams. A row already at or past the batch's events is left as it is.
     */
    public Set<String> applyAll(Changes changes) {
        return apply(changes, false);
    }

    /**
     * {@link #applyAll} for a table that holds none of the batch's new users yet (a rebuild's shadow table, filled
     * from the start of the store): their rows go in with PostgreSQL's {@code COPY}, the fastest way in; a row that
     * exists after all fails the batch.
     */
    public Set<String> applyAllCopyingNewRows(Changes changes) {
        return apply(changes, true);
    }

    private Set<String> apply(Changes changes, boolean copyNewRows) {
        if (changes.isEmpty()) {
            return Set.of();
        }
        if (!changes.inserts.isEmpty() && copyNewRows) {
            copyNew(new ArrayList<>(changes.inserts.values()));
        } else if (!changes.inserts.isEmpty()) {
            List<Object[]> rows = new ArrayList<>(changes.inserts.values());
            String[] passkeys = new String[rows.size()];
            String[] idpLinks = new String[rows.size()];
            for (int row = 0; row < passkeys.length; row++) {
                passkeys[row] = literalOf(rows.get(row)[Changes.PASSKEYS]);
                idpLinks[row] = literalOf(rows.get(row)[Changes.IDP_LINKS]);
            }
            jdbc.update(connection -> {
                PreparedStatement statement = connection.prepareStatement(insert);
                for (int column = 0; column < Changes.VERIFIED; column++) { // the text columns
                    statement.setArray(
                            column + 1, connection.createArrayOf("text", column(rows, column, String[]::new)));
                }
                statement.setArray(
                        9, connection.createArrayOf("boolean", column(rows, Changes.VERIFIED, Boolean[]::new)));
                statement.setArray(
                        10, connection.createArrayOf("bigint", column(rows, Changes.CREATION_DATE, Long[]::new)));
                statement.setArray(11, connection.createArrayOf("bigint", column(rows, Changes.SEQUENCE, Long[]::new)));
                statement.setArray(
                        12, connection.createArrayOf("bigint", column(rows, Changes.CHANGE_DATE, Long[]::new)));
                statement.setArray(
                        13, connection.createArrayOf("bigint", column(rows, Changes.PASSWORD_CHANGED, Long[]::new)));
                statement.setArray(
                        14, connection.createArrayOf("boolean", column(rows, Changes.CHANGE_REQUIRED, Boolean[]::new)));
                statement.setArray(15, connection.createArrayOf("text", passkeys));
                statement.setArray(16, connection.createArrayOf("text", idpLinks));
                return statement;
            });
        }
        if (changes.updates.isEmpty()) {
            return changes.broken();
        }
        int count = changes.updates.size();
        String[] users = new String[count];
        Boolean[] verified = new Boolean[count];
        Long[] firsts = new Long[count];
        Long[] sequences = new Long[count];
        Long[] changeDates = new Long[count];
        Long[] passwordChanges = new Long[count];
        Boolean[] changeRequired = new Boolean[count];
        String[] passkeysIn = new String[count];
        String[] passkeysOut = new String[count];
        String[] idpLinksIn = new String[count];
        String[] idpLinksOut = new String[count];
        int i = 0;
        for (Map.Entry<String, Change> entry : changes.updates.entrySet()) {
            Change change = entry.getValue();
            users[i] = entry.getKey();
            verified[i] = change.emailVerified;
            firsts[i] = change.first;
            sequences[i] = change.sequence;
            changeDates[i] = change.changeDate;
            passwordChanges[i] = change.passwordChanged;
            changeRequired[i] = change.passwordChangeRequired;
            passkeysIn[i] = Change.literal(change.passkeys, true);
            passkeysOut[i] = Change.literal(change.passkeys, false);
            idpLinksIn[i] = Change.literal(change.idpLinks, true);
            idpLinksOut[i] = Change.literal(change.idpLinks, false);
            i++;
        }
        List<String> moved = jdbc.query(
                connection -> {
                    PreparedStatement update = connection.prepareStatement(foldedUpdate);
                    update.setArray(1, connection.createArrayOf("text", users));
                    update.setArray(2, connection.createArrayOf("boolean", verified));
                    update.setArray(3, connection.createArrayOf("bigint", firsts));
                    update.setArray(4, connection.createArrayOf("bigint", sequences));
                    update.setArray(5, connection.createArrayOf("bigint", changeDates));
                    update.setArray(6, connection.createArrayOf("bigint", passwordChanges));
                    update.setArray(7, connection.createArrayOf("boolean", changeRequired));
                    update.setArray(8, connection.createArrayOf("text", passkeysIn));
                    update.setArray(9, connection.createArrayOf("text", passkeysOut));
                    update.setArray(10, connection.createArrayOf("text", idpLinksIn));
                    update.setArray(11, connection.createArrayOf("text", idpLinksOut));
                    return update;
                },
                (rs, row) -> rs.getString(1));
        if (moved.size() == count) {
            return changes.broken();
        }
        Set<String> unmoved = new HashSet<>(changes.updates.keySet());
        moved.forEach(unmoved::remove);
        // not moved: the row is already at or past these events (applied twice), or it lacks earlier ones
        Map<String, Long> reached = new HashMap<>();
        jdbc.query(
                connection -> {
                    PreparedStatement select = connection.prepareStatement(presentUsers);
                    select.setArray(1, connection.createArrayOf("text", unmoved.toArray(new String[0])));
                    return select;
                },
                rs -> {
                    reached.put(rs.getString(1), rs.getLong(2));
                });
        Set<String> behind = new LinkedHashSet<>(changes.broken());
        for (String user : unmoved) {
            Long sequence = reached.get(user);
            if (sequence == null || sequence < changes.updates.get(user).sequence) {
                behind.add(user);
            }
        }
        return behind;
    }

    /** New users' rows in COPY's binary format, in the column order of {@link #COPY}. */
    private void copyNew(List<Object[]> rows) {
        BinaryCopyRows data = new BinaryCopyRows(rows.size() * 256);
        for (Object[] row : rows) {
            data.row(COPIED_COLUMNS);
            for (int column = 0; column < Changes.VERIFIED; column++) {
                data.text((String) row[column]);
            }
            data.bool(Boolean.TRUE.equals(row[Changes.VERIFIED]))
                    .text("ACTIVE")
                    .timestamp((Long) row[Changes.CREATION_DATE])
                    .int8((Long) row[Changes.SEQUENCE])
                    .timestamp((Long) row[Changes.CHANGE_DATE])
                    .timestamp((Long) row[Changes.PASSWORD_CHANGED]);
            Object required = row[Changes.CHANGE_REQUIRED];
            if (required == null) {
                data.nul();
            } else {
                data.bool(Boolean.TRUE.equals(required));
            }
            data.textArray(sorted(row[Changes.PASSKEYS])).textArray(sorted(row[Changes.IDP_LINKS]));
        }
        byte[] bytes = data.end();
        jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Long>) connection -> {
            org.postgresql.copy.CopyIn in = connection
                    .unwrap(org.postgresql.PGConnection.class)
                    .getCopyAPI()
                    .copyIn(copy);
            try {
                in.writeToCopy(bytes, 0, bytes.length);
                return in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        });
    }

    /**
     * A new user's passkeys or links sorted as the insert sorts them ({@code COLLATE "C"}: by code point), empty for
     * none.
     */
    @SuppressWarnings("unchecked")
    private static List<String> sorted(Object set) {
        if (set == null) {
            return List.of();
        }
        List<String> sorted = new ArrayList<>((Set<String>) set);
        sorted.sort(UserRows::byCodePoint);
        return sorted;
    }

    private static int byCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** A new user's set of passkeys or links as an array literal, null for none. */
    @SuppressWarnings("unchecked")
    private static String literalOf(Object set) {
        return set == null ? null : arrayLiteral((Set<String>) set);
    }

    private static <T> T[] column(List<Object[]> rows, int column, IntFunction<T[]> array) {
        T[] values = array.apply(rows.size());
        for (int row = 0; row < values.length; row++) {
            @SuppressWarnings("unchecked")
            T value = (T) rows.get(row)[column];
            values[row] = value;
        }
        return values;
    }

    public Optional<UserView> find(UserId userId) {
        List<UserView> rows = jdbc.query(select, UserRows::view, userId.value());
        return rows.stream().findFirst();
    }

    /** The 1-based sequence the row has reached, if there is a row. */
    public Optional<Long> sequenceOf(String userId) {
        List<Long> sequences = jdbc.queryForList(sequenceOf, Long.class, userId);
        return sequences.stream().findFirst();
    }

    /**
     * Moves the row past the event at {@code sequence} without applying it, if the row stands right before it: an
     * operator dropping an event that can never be applied.
     */
    public boolean skip(String userId, long sequence) {
        return jdbc.update(skip, sequence, userId, sequence - 1) == 1;
    }

    /** Empties the table, before a replay rebuilds it. */
    public void deleteAll() {
        jdbc.execute(truncate);
    }

    /** One page of an organization's users, in the order of their ids (which follows their creation). */
    public List<UserView> page(OrgId orgId, long offset, int limit) {
        return jdbc.query(pageOfOrganization, UserRows::view, orgId.value(), limit, offset);
    }

    /** How many users the organization has. */
    public long count(OrgId orgId) {
        Long count = jdbc.queryForObject(countOfOrganization, Long.class, orgId.value());
        return count == null ? 0 : count;
    }

    private static UserView view(ResultSet rs, int row) throws SQLException {
        OrgId orgId = new OrgId(rs.getString("org_id"));
        java.sql.Timestamp passwordChanged = rs.getTimestamp("password_changed");
        java.util.EnumSet<UserView.AuthenticationMethod> methods =
                java.util.EnumSet.noneOf(UserView.AuthenticationMethod.class);
        if (passwordChanged != null) {
            methods.add(UserView.AuthenticationMethod.PASSWORD);
        }
        if (rs.getBoolean("has_passkey")) {
            methods.add(UserView.AuthenticationMethod.PASSKEY);
        }
        if (rs.getBoolean("has_idp_link")) {
            methods.add(UserView.AuthenticationMethod.IDP);
        }
        return new UserView(
                new UserId(rs.getString("user_id")),
                orgId,
                rs.getString("username"),
                rs.getString("given_name"),
                rs.getString("family_name"),
                rs.getString("display_name"),
                rs.getString("preferred_language"),
                rs.getString("email"),
                rs.getBoolean("email_verified"),
                UserView.UserState.valueOf(rs.getString("state")),
                rs.getTimestamp("creation_date").toInstant(),
                new ReadDetails(
                        rs.getLong("sequence"), rs.getTimestamp("change_date").toInstant(), orgId),
                passwordChanged == null ? null : passwordChanged.toInstant(),
                rs.getBoolean("password_change_required"),
                methods);
    }
}
