package dev.admit.spring.boot;

import dev.admit.core.CommandBusAdmit;
import dev.admit.core.ReadModelOperations;
import dev.admit.core.RefusalObserver;
import dev.admit.core.api.Admit;
import dev.admit.core.password.PasswordSettings;
import dev.admit.core.password.Passwords;
import dev.admit.domain.crypto.CodeCipher;
import dev.admit.domain.crypto.KeyRing;
import dev.admit.domain.invite.InviteCodeGenerator;
import dev.admit.domain.invite.InviteCodePolicy;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.password.PasswordComplexityPolicy;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.mail.InviteMailRequests;
import dev.admit.projection.UserQueries;
import dev.admit.projection.UsersProjectionReplay;
import dev.admit.store.AdmitSchema;
import dev.admit.store.AdmitTables;
import dev.admit.store.AdmitTransactionManager;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Admit in a Spring Boot application: its schema, its own Axon configuration ({@link AdmitEngine}), the invite-code
 * machinery and the users projection's queries. It runs on the application's {@link DataSource} (with none, add
 * {@code admit-embedded-postgres}) and within its transaction manager; every bean of a type a host may own itself
 * backs off when the host has one.
 */
@AutoConfiguration(
        after = {DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class},
        afterName = "dev.admit.embedded.EmbeddedPostgresAutoConfiguration")
@EnableConfigurationProperties(AdmitProperties.class)
public class AdmitAutoConfiguration {

    /** The embedded database's bean (admit-embedded-postgres), the one database no other instance shares. */
    static final String EMBEDDED_DATABASE_BEAN = "embeddedPostgres";

    private static final Logger log = LoggerFactory.getLogger(AdmitAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    public AdmitTables admitTables(AdmitProperties properties) {
        return new AdmitTables(properties.schema());
    }

    @Bean(initMethod = "migrate")
    @ConditionalOnMissingBean
    public AdmitSchema admitSchema(DataSource dataSource, AdmitTables tables) {
        return new AdmitSchema(dataSource, tables);
    }

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The keys that seal invite codes. Without configured keys, a generated one is kept under the data directory:
     * right for the embedded database, which no other instance shares; with any other database only when allowed
     * explicitly, since every instance on it must open every code.
     */
    @Bean
    @ConditionalOnMissingBean
    public KeyRing inviteCodeKeyRing(AdmitProperties properties, ListableBeanFactory beans) throws IOException {
        AdmitProperties.Crypto crypto = properties.crypto();
        if (crypto.keys() == null || crypto.keys().isEmpty()) {
            Path keyFile = properties.dataDir().resolve(KeyRingFiles.FILE_NAME).toAbsolutePath();
            if (!beans.containsBean(EMBEDDED_DATABASE_BEAN)) {
                if (!crypto.allowGeneratedKeys()) {
                    throw new IllegalStateException("No invite-code keys are configured (admit.crypto.keys) for a "
                            + "shared database: every instance on it must hold the same keys. Configure them, or set "
                            + "admit.crypto.allow-generated-keys=true to use a key generated in " + keyFile);
                }
                log.warn(
                        "Invite codes are sealed with a key generated in {}: other instances on this database cannot "
                                + "open them (admit.crypto.allow-generated-keys=true)",
                        keyFile);
            } else {
                log.info("Invite codes are sealed with a key generated in {}", keyFile);
            }
        }
        return KeyRingFiles.load(crypto, properties.dataDir(), new SecureRandom());
    }

    @Bean
    @ConditionalOnMissingBean
    public InviteCodes inviteCodes(AdmitProperties properties, KeyRing keyRing) {
        SecureRandom random = new SecureRandom();
        InviteCodePolicy invites = properties.invite().policy();
        AdmitProperties.Password password = properties.password();
        InviteCodePolicy resets = new InviteCodePolicy(
                invites.length(), invites.alphabet(), password.resetCodeExpiry(), password.resetCodeMaxAttempts());
        return new InviteCodes(invites, resets, new InviteCodeGenerator(random), new CodeCipher(keyRing, random));
    }

    /** Password hashing on a bounded pool of its own, with {@code admit.password.*}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Passwords passwords(AdmitProperties properties) {
        return Passwords.start(passwordSettings(properties.password()));
    }

    static PasswordSettings passwordSettings(AdmitProperties.Password password) {
        PasswordSettings.Algorithm algorithm = switch (password.algorithm().toLowerCase(java.util.Locale.ROOT)) {
            case "argon2id", "argon2" -> PasswordSettings.Algorithm.ARGON2ID;
            case "bcrypt" -> PasswordSettings.Algorithm.BCRYPT;
            default ->
                throw new IllegalArgumentException(
                        "admit.password.algorithm is argon2id or bcrypt, not '" + password.algorithm() + "'");
        };
        PasswordSettings defaults = PasswordSettings.defaults();
        int threads = password.poolThreads() > 0 ? password.poolThreads() : defaults.poolThreads();
        int queue = password.queueCapacity() > 0
                ? password.queueCapacity()
                : threads * PasswordSettings.DEFAULT_QUEUE_PER_THREAD;
        return defaults.withAlgorithm(algorithm)
                .withArgon2(password.argon2MemoryKib(), password.argon2Iterations(), password.argon2Parallelism())
                .withBcryptCost(password.bcryptCost())
                .withPool(threads, queue)
                .withCpuShare(password.cpuShare())
                .withComplexity(new PasswordComplexityPolicy(
                        password.minLength(),
                        password.requireLowercase(),
                        password.requireUppercase(),
                        password.requireNumber(),
                        password.requireSymbol()));
    }

    @Bean
    @ConditionalOnMissingBean
    public UserIdGenerator userIdGenerator(AdmitProperties properties, Clock clock) {
        int node = properties.nodeId() >= 0
                ? properties.nodeId()
                : new SecureRandom().nextInt(UserIdGenerator.MAX_NODE + 1);
        return new UserIdGenerator(clock, node);
    }

    /**
     * Admit's Axon configuration, after its schema is migrated. It writes within the application's transaction
     * manager when there is exactly one, and within one of its own on the data source otherwise.
     */
    @Bean
    public AdmitEngine admitEngine(
            DataSource dataSource,
            ObjectProvider<PlatformTransactionManager> transactionManagers,
            AdmitSchema schema,
            AdmitTables tables,
            AdmitProperties properties,
            InviteCodes inviteCodes,
            Clock clock,
            ObjectProvider<InviteMailRequests> inviteMailRequests,
            ObjectProvider<AdmitEventObserver> observers,
            ObjectProvider<AdmitEngineCustomizer> customizers) {
        PlatformTransactionManager transactions =
                transactionManagers.getIfUnique(() -> new AdmitTransactionManager(dataSource));
        return new AdmitEngine(new AdmitEngine.Parts(
                dataSource,
                new SpringTransactionManager(transactions),
                tables,
                properties,
                inviteCodes,
                clock,
                // looked up when the processors are built, at start: the requests need the engine's event store
                properties.mail().enabled() ? Optional.of(inviteMailRequests::getObject) : Optional.empty(),
                observers.orderedStream().toList(),
                customizers.orderedStream().toList()));
    }

    /** The entry point for Java callers; the API server goes through it too. */
    @Bean
    @ConditionalOnMissingBean
    public Admit admit(
            AdmitEngine engine,
            UserIdGenerator userIdGenerator,
            ObjectProvider<RefusalObserver> refusals,
            Passwords passwords) {
        return new CommandBusAdmit(
                engine.commandGateway(),
                engine.userQueries(),
                userIdGenerator,
                new ReadModelOperations(
                        engine.parkedEvents(), engine.projectionStatus(), engine.usersProjectionReplay()),
                refusals.getIfUnique(() -> RefusalObserver.NONE),
                passwords);
    }

    @Bean
    public UserQueries userQueries(AdmitEngine engine) {
        return engine.userQueries();
    }

    @Bean
    public UsersProjectionReplay usersProjectionReplay(AdmitEngine engine) {
        return engine.usersProjectionReplay();
    }
}
