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
 * @param dataDir where the embedded database, generated keys and tokens live
 * @param nodeId this instance's number (0-1023) for time-ordered user ids; -1 picks one at random
 * @param schema the PostgreSQL schema that holds Admit's tables (event store, tokens, projection, outbox)
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
        @DefaultValue Mail mail) {

    /** How invite codes look and live. */
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
     * @param keys key id to base64 of 32 random bytes
     * @param activeKey the id new codes are sealed with
     */
    public record Crypto(Map<String, String> keys, String activeKey) {}

    /**
     * @param snapshotThreshold events after which a user's state is snapshotted, so loading stays cheap
     * @param gapTimeout how long a gap in the global index is waited for (must exceed any write transaction)
     * @param commandRetries how often a command that lost a race on a stream is retried
     */
    public record EventStore(
            @DefaultValue("50") int snapshotThreshold,
            @DefaultValue("60s") Duration gapTimeout,
            @DefaultValue("32") int commandRetries) {}

    /**
     * @param batchSize events handled in one transaction by the users projection
     * @param segments parallel segments of the users projection (one is enough: a batch is one transaction whatever
     *     its size, and a rebuild does not go through the processor)
     */
    public record Projection(
            @DefaultValue("500") int batchSize,
            @DefaultValue("1") int segments) {}

    /**
     * The one port serving gRPC, gRPC-web and JSON.
     *
     * @param enabled {@code false} keeps the server off even where {@code admit-api} is on the classpath
     * @param port 0 picks a free port; it never defaults to a host's web port (the standalone service uses 8080)
     * @param maxRequestBytes larger requests are refused (JSON: 400, gRPC: RESOURCE_EXHAUSTED)
     * @param shutdownTimeout how long in-flight calls may finish when the service stops
     * @param rpcThreads threads that run calls (they block on the database)
     * @param corsAllowedOrigins origins browsers may call from ({@code *}: any)
     */
    public record Server(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("9080") int port,
            @DefaultValue("65536") int maxRequestBytes,
            @DefaultValue("10s") Duration shutdownTimeout,
            @DefaultValue("64") int rpcThreads,
            @DefaultValue("*") java.util.List<String> corsAllowedOrigins) {}

    /** How callers are authenticated. */
    public record Security(@DefaultValue Jwt jwt) {}

    /**
     * Bearer JWTs: HS256 with {@code hmacSecret} (at least 32 bytes), or RS256/ES256 with keys from
     * {@code jwkSetUri}. With neither, a secret is generated under the data directory and an admin token written
     * beside it. {@code issuer} and {@code audience}, when set, must match.
     */
    public record Jwt(String hmacSecret, String jwkSetUri, String issuer, String audience) {}

    /**
     * Invite mails, sent over SMTP to {@code smtp.host}, or, without one, written as {@code .eml} files to
     * {@code ${admit.data-dir}/outbox}. Admit never uses a host's own mail sender.
     *
     * @param from the sender address, optionally with a name: {@code Acme <no-reply@acme.example>}
     * @param templatesDir a directory whose {@code invite-subject.txt}, {@code invite.txt}, {@code invite.html}
     *     replace the built-in templates
     * @param maxAttempts deliveries tried before a mail is left FAILED for an operator
     * @param smtp the SMTP server
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
            @DefaultValue Smtp smtp) {}

    /**
     * An SMTP server for invite mails.
     *
     * @param host none: mails go to the outbox directory
     * @param properties further JavaMail settings ({@code mail.smtp.starttls.enable=true}, …); connection, read and
     *     write time-outs default to 10 s
     */
    public record Smtp(
            String host,
            @DefaultValue("25") int port,
            String username,
            String password,
            @DefaultValue("smtp") String protocol,
            Map<String, String> properties) {}
}
