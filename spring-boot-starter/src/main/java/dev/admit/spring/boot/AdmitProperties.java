package dev.admit.spring.boot;

import dev.admit.domain.invite.InviteCodePolicy;
import dev.admit.store.AdmitTables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Admit's settings, under {@code admit.*} (or {@code ADMIT_*} environment variables).
 *
 * @param dataDir Directory for the embedded database, generated keys, the generated admin token and the mail outbox.
 * @param nodeId This instance's number (0-1023) in generated user ids; instances sharing a database need distinct
 *     ones. -1 picks one at random.
 * @param schema PostgreSQL schema that holds Admit's tables (event store, tokens, projection, outbox), created if
 *     missing.
 * @param invite How invite codes look and live.
 * @param crypto The keys that seal invite codes.
 * @param eventStore The event store.
 * @param projection The users read model.
 * @param server The API server (with admit-api on the class path).
 * @param security How API callers are authenticated.
 * @param mail Invite mails.
 * @param management The management port: metrics and health.
 * @param password Passwords: hashing, the complexity policy, reset codes.
 */
@ConfigurationProperties("admit")
public record AdmitProperties(
        @DefaultValue("data") Path dataDir,
        @DefaultValue("-1") int nodeId,
        @DefaultValue(AdmitTables.DEFAULT_SCHEMA) String schema,
        @DefaultValue Invite invite,
        @DefaultValue Crypto crypto,
        @DefaultValue EventStore eventStore,
        @DefaultValue Projection projection,
        @DefaultValue Server server,
        @DefaultValue Security security,
        @DefaultValue Mail mail,
        @DefaultValue Management management,
        @DefaultValue Password password) {

    /**
     * Passwords.
     *
     * @param algorithm Algorithm of new hashes, argon2id or bcrypt; hashes of both are always verified, and a hash
     *     weaker than these settings is re-encoded on its next successful check.
     * @param argon2MemoryKib argon2id's memory cost in KiB (OWASP: 19456).
     * @param argon2Iterations argon2id's iterations.
     * @param argon2Parallelism argon2id's lanes.
     * @param bcryptCost bcrypt's cost (log2 of its rounds).
     * @param poolThreads Threads that hash and verify passwords, off the request threads; 0: one per processor.
     * @param queueCapacity Hashing requests that may wait for a thread; beyond them callers are refused at once
     *     (RESOURCE_EXHAUSTED), so a flood of password changes cannot starve other calls; 0: 16 per thread.
     * @param cpuShare Share of the machine's processors that hashing may take on average, above 0 and at most 1; up
     *     to ten seconds of it are saved up for a burst, a flood waits (then is refused) beyond it.
     * @param minLength Fewest characters (code points) of a new password.
     * @param requireLowercase Whether a new password needs a lower-case letter (a-z).
     * @param requireUppercase Whether a new password needs an upper-case letter (A-Z).
     * @param requireNumber Whether a new password needs a digit.
     * @param requireSymbol Whether a new password needs a character other than A-Z, a-z and 0-9.
     * @param resetCodeExpiry How long a password reset code stays valid.
     * @param resetCodeMaxAttempts Wrong attempts after which a password reset code is dead.
     * @param resetUrlTemplate Link template in password reset mails whose request names none, with {{.UserID}},
     *     {{.Code}} and {{.OrgID}}; none: mails carry no link.
     */
    public record Password(
            @DefaultValue("argon2id") String algorithm,
            @DefaultValue("19456") int argon2MemoryKib,
            @DefaultValue("2") int argon2Iterations,
            @DefaultValue("1") int argon2Parallelism,
            @DefaultValue("12") int bcryptCost,
            @DefaultValue("0") int poolThreads,
            @DefaultValue("0") int queueCapacity,
            @DefaultValue("0.03") double cpuShare,
            @DefaultValue("8") int minLength,
            @DefaultValue("true") boolean requireLowercase,
            @DefaultValue("true") boolean requireUppercase,
            @DefaultValue("true") boolean requireNumber,
            @DefaultValue("true") boolean requireSymbol,
            @DefaultValue("1h") Duration resetCodeExpiry,
            @DefaultValue("3") int resetCodeMaxAttempts,
            String resetUrlTemplate) {}

    /**
     * The management port: /metrics (Prometheus), /health/live and /health/ready, without a token.
     *
     * @param enabled Whether the management port is served (needs admit-api and micrometer-registry-prometheus on
     *     the class path); the standalone service turns it on.
     * @param port Port of the management server; 0 picks a free one.
     * @param readyMaxLag Longest the users projection may trail the event store while the service counts as ready.
     */
    public record Management(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("9090") int port,
            @DefaultValue("30s") Duration readyMaxLag) {}

    /**
     * How invite codes look and live.
     *
     * @param codeLength Characters in a new invite code.
     * @param alphabet Characters an invite code is drawn from.
     * @param expiry How long an invite code stays valid.
     * @param maxAttempts Wrong attempts after which an invite code is dead.
     * @param defaultApplicationName Application name in invite mails whose code names none.
     * @param defaultUrlTemplate Link template in invite mails whose code names none, with {{.UserID}}, {{.Code}}
     *     and {{.OrgID}}; none: mails carry no link.
     */
    public record Invite(
            @DefaultValue("6") int codeLength,

            @DefaultValue(InviteCodePolicy.UPPERCASE_ALPHANUMERIC)
            String alphabet,

            @DefaultValue("72h") Duration expiry,
            @DefaultValue("3") int maxAttempts,
            @DefaultValue("Admit") String defaultApplicationName,
            String defaultUrlTemplate) {

        public InviteCodePolicy policy() {
            return new InviteCodePolicy(codeLength, alphabet, expiry, maxAttempts);
        }
    }

    /**
     * The keys that seal invite codes. With none configured, one is generated and kept under the data directory;
     * instances sharing a database must share their keys.
     *
     * @param keys Invite-code keys by id, each the base64 of 32 random bytes; none: a key generated under the data
     *     directory.
     * @param activeKey Id of the key that seals new codes; none: the first configured key.
     * @param allowGeneratedKeys Whether a database other than the embedded one may be used without configured keys,
     *     with a key generated under the data directory, which other instances sharing the database do not have.
     */
    public record Crypto(
            Map<String, String> keys,
            String activeKey,
            @DefaultValue("false") boolean allowGeneratedKeys) {}

    /**
     * The event store.
     *
     * @param snapshotThreshold Events after which a user's state is snapshotted, so loading it stays cheap.
     * @param gapTimeout How long a gap in the global event index is waited for; must exceed the longest write
     *     transaction.
     * @param commandRetries How often a command that lost a race for a user's stream is retried.
     */
    public record EventStore(
            @DefaultValue("50") int snapshotThreshold,
            @DefaultValue("60s") Duration gapTimeout,
            @DefaultValue("32") int commandRetries) {}

    /**
     * The users read model.
     *
     * @param batchSize Events the users projection applies in one transaction.
     * @param segments Parallel segments of the users projection; one is enough, since a batch is one transaction
     *     whatever its size.
     * @param lateEventCheckInterval How often the users projection looks for events committed after the processor
     *     passed their position (a transaction that outlasted the gap timeout), to bring their rows up to date.
     * @param lateEventHorizon How long a passed position is watched for such a late commit at most; it is let go
     *     sooner once no transaction that could commit there is left.
     * @param enabled Whether this node runs the users projection (its processor and the late-event sweep); reads and
     *     rebuilds work either way. The command line's runs turn it off, so they never take segments from a service.
     * @param rebuildHeldRows New users' rows a rebuild keeps in memory (about 700 bytes each) before it writes them, so
     *     that a user's events within that many newer users are written as one row, not a row and an update; unset,
     *     as many as a tenth of the heap holds, at most 100,000.
     */
    public record Projection(
            @DefaultValue("500") int batchSize,
            @DefaultValue("1") int segments,
            @DefaultValue("5s") Duration lateEventCheckInterval,
            @DefaultValue("1h") Duration lateEventHorizon,
            @DefaultValue("true") boolean enabled,
            Integer rebuildHeldRows) {}

    /**
     * The one port serving gRPC, gRPC-web and JSON.
     *
     * @param enabled Whether the API server runs where admit-api is on the class path.
     * @param port Port of the API server, never the application's own web port; 0 picks a free one.
     * @param maxRequestBytes Largest request accepted; larger ones are refused (JSON 400, gRPC RESOURCE_EXHAUSTED).
     * @param shutdownTimeout How long calls in flight may finish when the server stops.
     * @param rpcThreads Threads that run calls; they block on the database.
     * @param corsAllowedOrigins Origins browsers may call the server from (gRPC-web and JSON); * allows any; none: no
     *     cross-origin calls.
     * @param reflection Whether gRPC server reflection is served, to callers with a valid token.
     */
    public record Server(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("9080") int port,
            @DefaultValue("65536") int maxRequestBytes,
            @DefaultValue("10s") Duration shutdownTimeout,
            @DefaultValue("64") int rpcThreads,
            @DefaultValue java.util.List<String> corsAllowedOrigins,
            @DefaultValue("false") boolean reflection) {}

    /**
     * How callers are authenticated.
     *
     * @param jwt Bearer tokens.
     */
    public record Security(@DefaultValue Jwt jwt) {}

    /**
     * Bearer JWTs: HS256 with {@code hmacSecret} (at least 32 bytes), or RS256/ES256 with keys from
     * {@code jwkSetUri}. With neither, a secret is generated under the data directory and an admin token written
     * beside it. {@code issuer} and {@code audience}, when set, must match; with a JWK set both are required.
     *
     * @param hmacSecret Secret of HS256 tokens, at least 32 bytes.
     * @param jwkSetUri Where the public keys of RS256 and ES256 tokens are published: https, or http on a loopback
     *     address only.
     * @param issuer Required issuer (iss) of tokens.
     * @param audience Required audience (aud) of tokens.
     * @param requireIssuerAndAudience Whether a JWK set needs issuer and audience configured; false accepts every
     *     token the provider signs, ID tokens and other clients' tokens included, and is logged as a warning.
     * @param acceptedTypes Token types (the typ header) accepted from a JWK set; a token without typ is accepted.
     */
    public record Jwt(
            String hmacSecret,
            String jwkSetUri,
            String issuer,
            String audience,
            @DefaultValue("true") boolean requireIssuerAndAudience,
            @DefaultValue({"at+jwt", "application/at+jwt"}) java.util.Set<String> acceptedTypes) {}

    /**
     * Invite mails, sent over SMTP to {@code smtp.host}, or, without one, written as {@code .eml} files to
     * {@code ${admit.data-dir}/outbox}. Admit never uses a host's own mail sender.
     *
     * @param enabled Whether invite and password reset mails are recorded and delivered; off: no mail processor and
     *     no polling.
     * @param from Sender address, optionally with a display name before it (RFC 5322 mailbox form).
     * @param templatesDir Directory whose invite-subject.txt, invite.txt, invite.html, password-reset-subject.txt,
     *     password-reset.txt and password-reset.html replace the built-in templates (each file on its own).
     * @param pollInterval How often the outbox is looked at for due mails (new mails are sent at once).
     * @param lease How long an instance holds a mail it is sending before another may take it.
     * @param initialBackoff Wait before the first retry of a failed delivery; doubles with each attempt.
     * @param maxBackoff Longest wait between two delivery attempts.
     * @param maxAttempts Deliveries tried before a mail is left FAILED for an operator.
     * @param retention How long SENT and SKIPPED outbox rows, and the outbox directory's mail files, are kept;
     *     FAILED rows stay until an operator removes them.
     * @param smtp The SMTP server.
     */
    public record Mail(
            @DefaultValue("true") boolean enabled,

            @DefaultValue("Admit <no-reply@admit.localhost>")
            String from,

            Path templatesDir,
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("2m") Duration lease,
            @DefaultValue("2s") Duration initialBackoff,
            @DefaultValue("10m") Duration maxBackoff,
            @DefaultValue("12") int maxAttempts,
            @DefaultValue("7d") Duration retention,
            @DefaultValue Smtp smtp) {}

    /**
     * An SMTP server for invite mails.
     *
     * @param host SMTP server host; none: mails are written to the outbox directory.
     * @param port SMTP server port.
     * @param username SMTP login user.
     * @param password SMTP login password.
     * @param protocol smtp, or smtps for implicit TLS.
     * @param properties Further JavaMail settings (mail.smtp.starttls.enable=true, …); connection, read and write
     *     time-outs default to 10 s.
     */
    public record Smtp(
            String host,
            @DefaultValue("25") int port,
            String username,
            String password,
            @DefaultValue("smtp") String protocol,
            Map<String, String> properties) {}
}
