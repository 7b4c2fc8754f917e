package dev.admit.api.config;

import dev.admit.api.persistence.AdmitEventStorageEngine;
import dev.admit.api.persistence.AdmitEventStore;
import dev.admit.api.persistence.AdmitSchema;
import dev.admit.api.persistence.AdmitTables;
import dev.admit.api.persistence.ConflictRetry;
import dev.admit.api.persistence.UsernameClaims;
import dev.admit.domain.crypto.CodeCipher;
import dev.admit.domain.crypto.KeyRing;
import dev.admit.domain.invite.InviteCodeGenerator;
import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.serialization.EventSerialization;
import dev.admit.domain.user.User;
import dev.admit.domain.user.UserIdGenerator;
import dev.admit.projection.UserQueries;
import dev.admit.projection.UserRows;
import dev.admit.projection.UsersProjectionReplay;
import dev.admit.projection.UsersProjector;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Admit on Axon and PostgreSQL: the schema, the event store with stable event names and a serializer of its own,
 * the {@link User} aggregate with snapshots, retried commands, the users projection and the username claims.
 */
@AutoConfiguration(
        after = {
            EmbeddedPostgresAutoConfiguration.class,
            DataSourceAutoConfiguration.class,
            DataSourceTransactionManagerAutoConfiguration.class,
            JdbcTemplateAutoConfiguration.class
        },
        before = {AxonAutoConfiguration.class, JdbcAutoConfiguration.class})
@EnableConfigurationProperties(AdmitProperties.class)
public class AdmitAutoConfiguration {

    // --- schema and event store

    @Bean(initMethod = "migrate")
    public AdmitSchema admitSchema(DataSource dataSource) {
        return new AdmitSchema(dataSource);
    }

    /** Axon's general serializer: Jackson with its own mapper, never the web layer's. */
    @Bean
    @Primary
    public Serializer serializer() {
        return EventSerialization.newEventSerializer();
    }

    /** Events and snapshots: Jackson under the stable event type names. */
    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return EventSerialization.newEventSerializer();
    }

    @Bean
    public EventStorageEngine eventStorageEngine(
            EventTimestamps eventTimestamps,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            DataSource dataSource,
            TransactionManager transactionManager,
            AdmitProperties properties,
            AdmitSchema schema,
            ObjectProvider<EventUpcaster> upcasters) {
        Duration gapTimeout = properties.eventStore().gapTimeout();
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .upcasterChain(upcasterChain(upcasters))
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                        new SpringDataSourceConnectionProvider(dataSource)))
                .transactionManager(transactionManager)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(eventSerializer)
                .dataType(byte[].class)
                .schema(AdmitTables.eventSchema())
                // a duplicate (stream, position) is a lost race, not a failure: Axon turns it into a
                // ConcurrencyException, which the command gateway retries
                .persistenceExceptionResolver(new SQLStateResolver("23505"))
                .gapTimeout(Math.toIntExact(gapTimeout.toMillis()))
                .batchSize(1000);
        return new AdmitEventStorageEngine(builder, AdmitTables.eventSchema(), gapTimeout);
    }

    /**
     * The event store ({@link AdmitEventStore}: short streams are loaded without a snapshot lookup); each streaming
     * reader reads through a stream of its own. Axon's shared read-ahead cache is off: its reader thread fetches
     * without bound while a consumer that lags still pins every cached event after its own, so a backlog of 200,000
     * events filled a 256 MB heap; with one streaming processor it shared nothing.
     */
    @Bean(name = "eventBus")
    @Qualifier("eventStore")
    @ConditionalOnMissingBean(EventBus.class)
    public EmbeddedEventStore eventStore(
            EventStorageEngine storageEngine, Configuration configuration, AdmitProperties properties) {
        EmbeddedEventStore.Builder builder = EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .optimizeEventConsumption(false);
        if (storageEngine instanceof AdmitEventStorageEngine admitEngine) {
            return new AdmitEventStore(
                    builder, admitEngine, properties.eventStore().snapshotThreshold());
        }
        return builder.build();
    }

    /** The application's {@link EventUpcaster} beans, in their order, for every reader of stored events. */
    private static EventUpcaster upcasterChain(ObjectProvider<EventUpcaster> upcasters) {
        List<EventUpcaster> given = upcasters.orderedStream().toList();
        return given.isEmpty() ? NoOpEventUpcaster.INSTANCE : new EventUpcasterChain(given);
    }

    @Bean
    public TokenStore tokenStore(DataSource dataSource, Serializer serializer, AdmitSchema schema) {
        return JdbcTokenStore.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(
                        new SpringDataSourceConnectionProvider(dataSource)))
                .serializer(serializer)
                .schema(AdmitTables.tokenSchema())
                .contentType(byte[].class)
                .build();
    }

    // --- the write model

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Event timestamps come from the same clock, at the millisecond precision the event store keeps, so that the
     * details a write answers with are exactly what later reads of the stored event show.
     */
    @Bean
    public EventTimestamps eventTimestamps(Clock clock) {
        return new EventTimestamps(clock);
    }

    @Bean
    @ConditionalOnMissingBean
    public KeyRing inviteCodeKeyRing(AdmitProperties properties) throws IOException {
        return KeyRingFiles.load(properties.crypto(), properties.dataDir(), new SecureRandom());
    }

    @Bean
    @ConditionalOnMissingBean
    public InviteCodes inviteCodes(AdmitProperties properties, KeyRing keyRing) {
        SecureRandom random = new SecureRandom();
        return new InviteCodes(
                properties.invite().policy(), new InviteCodeGenerator(random), new CodeCipher(keyRing, random));
    }

    @Bean
    @ConditionalOnMissingBean
    public UserIdGenerator userIdGenerator(AdmitProperties properties, Clock clock) {
        int node = properties.nodeId() >= 0
                ? properties.nodeId()
                : new SecureRandom().nextInt(UserIdGenerator.MAX_NODE + 1);
        return new UserIdGenerator(clock, node);
    }

    @Bean
    public ConfigurerModule admitUserAggregate(AdmitProperties properties) {
        int threshold = properties.eventStore().snapshotThreshold();
        return configurer -> configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(User.class)
                .configureCommandTargetResolver(config -> new CachingCommandTargetResolver())
                .configureSnapshotTrigger(
                        config -> new EventCountSnapshotTriggerDefinition(config.snapshotter(), threshold)));
    }

    /**
     * How the snapshotter builds an empty {@link User} to apply a stream to; it must resolve the same handler
     * parameters (the invite codes, the clock) as the repository does.
     */
    @Bean
    public AggregateFactory<User> userAggregateFactory(
            ParameterResolverFactory parameterResolverFactory, HandlerDefinition handlerDefinition) {
        return new GenericAggregateFactory<>(AnnotatedAggregateMetaModelFactory.inspectAggregate(
                User.class, parameterResolverFactory, handlerDefinition));
    }

    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService admitCommandRetryExecutor() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "admit-command-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Commands that lost a race on a stream are retried against the stream's new state. */
    @Bean
    public CommandGateway commandGateway(
            CommandBus commandBus, AdmitProperties properties, ScheduledExecutorService admitCommandRetryExecutor) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(ConflictRetry.create(
                        admitCommandRetryExecutor, 5, properties.eventStore().commandRetries()))
                .build();
    }

    @Bean
    public UsernameClaims usernameClaims(JdbcTemplate jdbcTemplate) {
        return new UsernameClaims(jdbcTemplate);
    }

    // --- the read model

    @Bean
    public UserRows userRows(JdbcTemplate jdbcTemplate) {
        return new UserRows(jdbcTemplate);
    }

    @Bean
    public UsersProjector usersProjector(UserRows userRows) {
        return new UsersProjector(userRows);
    }

    @Bean
    public UserQueries userQueries(UserRows userRows, EventStore eventStore, TransactionManager transactionManager) {
        return new UserQueries(userRows, eventStore, transactionManager);
    }

    @Bean
    public UsersProjectionReplay usersProjectionReplay(
            EventProcessingConfiguration processing,
            EventStore eventStore,
            @Qualifier("eventSerializer") Serializer eventSerializer,
            ObjectProvider<EventUpcaster> upcasters,
            TokenStore tokenStore,
            TransactionManager transactionManager,
            UserRows userRows,
            JdbcTemplate jdbcTemplate,
            AdmitProperties properties) {
        return new UsersProjectionReplay(
                processing,
                eventStore,
                AdmitTables.eventSchema(),
                eventSerializer,
                upcasterChain(upcasters),
                properties.eventStore().gapTimeout(),
                tokenStore,
                transactionManager,
                userRows,
                jdbcTemplate,
                properties.projection().segments());
    }

    /**
     * The users projection streams in batches on a pooled processor and never skips an event: a failure
     * propagates, the batch rolls back and is retried. Username claims run inside the appending transaction.
     */
    @Bean
    public ConfigurerModule admitEventProcessing(
            AdmitProperties properties, UsersProjector usersProjector, UsernameClaims usernameClaims) {
        AdmitProperties.Projection projection = properties.projection();
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerEventHandler(config -> usersProjector)
                .registerEventHandler(config -> usernameClaims)
                .registerHandlerInterceptor(UsersProjector.PROCESSING_GROUP, config -> new SharedEventResult())
                .registerPooledStreamingEventProcessor(
                        UsersProjector.PROCESSING_GROUP,
                        Configuration::eventStore,
                        (config, builder) ->
                                builder.batchSize(projection.batchSize()).initialSegmentCount(projection.segments()))
                .registerListenerInvocationErrorHandler(
                        UsersProjector.PROCESSING_GROUP, config -> PropagatingErrorHandler.instance())
                .registerSubscribingEventProcessor(UsernameClaims.PROCESSING_GROUP)
                .registerListenerInvocationErrorHandler(
                        UsernameClaims.PROCESSING_GROUP, config -> PropagatingErrorHandler.instance()));
    }
}
