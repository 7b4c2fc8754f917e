package dev.admit.spring.boot;

import dev.admit.domain.invite.InviteCodes;
import dev.admit.domain.serialization.EventSerialization;
import dev.admit.domain.user.User;
import dev.admit.mail.InviteMailRequests;
import dev.admit.projection.LateEventSweep;
import dev.admit.projection.ParkedEventsOperator;
import dev.admit.projection.ParkedUserEvents;
import dev.admit.projection.ProjectionStatusReader;
import dev.admit.projection.UserQueries;
import dev.admit.projection.UserRows;
import dev.admit.projection.UserStreamCatchUp;
import dev.admit.projection.UsersProjectionReplay;
import dev.admit.projection.UsersProjector;
import dev.admit.store.AdmitTables;
import dev.admit.store.ConflictRetry;
import dev.admit.store.PassedGaps;
import dev.admit.store.UsernameClaims;
import dev.admit.store.axon.AdmitEventStorageEngine;
import dev.admit.store.axon.AdmitEventStore;
import dev.admit.store.axon.CachingCommandTargetResolver;
import dev.admit.store.axon.SharedEventResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Admit's own Axon configuration: its command bus and gateway, the {@link User} aggregate, its event store on
 * Admit's schema, its token store and processors. It shares nothing with an Axon configuration of the host's: no
 * bean of Axon's types is exposed, no host bean of Axon's types is used, and none of Axon's process-wide settings
 * is changed, so a host's own aggregates, serializers, token store and processors stay entirely the host's.
 *
 * <p>It starts with the application context and stops before the data source closes; the API server and the mail
 * dispatcher start after it and stop before it.
 */
public final class AdmitEngine implements SmartLifecycle {

    /** Before the mail dispatcher ({@link SmartLifecycle#DEFAULT_PHASE}) and the API server. */
    static final int PHASE = Integer.MAX_VALUE - 200;

    private static final Logger log = LoggerFactory.getLogger(AdmitEngine.class);

    /**
     * What the engine is made of; the starter fills it from the application's beans and properties.
     *
     * @param inviteMailRequests with mail on, where the mail processor's handler comes from once the engine starts
     */
    record Parts(
            DataSource dataSource,
            TransactionManager transactionManager,
            AdmitTables tables,
            AdmitProperties properties,
            InviteCodes inviteCodes,
            Clock clock,
            Optional<Supplier<InviteMailRequests>> inviteMailRequests,
            List<AdmitEventObserver> observers,
            List<AdmitEngineCustomizer> customizers) {}

    private final Configuration configuration;
    private final AdmitEventStorageEngine storageEngine;
    private final CommandGateway commandGateway;
    private final ScheduledExecutorService retries;
    private final Serializer eventSerializer;
    private final TokenStore tokenStore;
    private final TransactionManager transactionManager;
    private final UserQueries userQueries;
    private final UsersProjectionReplay usersProjectionReplay;
    private final ParkedEventsOperator parkedEventsOperator;
    private final LateEventSweep lateEventSweep;
    private final ProjectionStatusReader projectionStatus;
    private final Duration lateEventCheckInterval;
    private final boolean projectionEnabled;
    private ScheduledExecutorService sweeps;
    private volatile boolean running;

    AdmitEngine(Parts parts) {
        AdmitProperties.EventStore storeSettings = parts.properties().eventStore();
        AdmitProperties.Projection projection = parts.properties().projection();
        AdmitTables tables = parts.tables();
        JdbcTemplate jdbc = new JdbcTemplate(parts.dataSource());
        ConnectionProvider connections = new UnitOfWorkAwareConnectionProviderWrapper(
                new SpringDataSourceConnectionProvider(parts.dataSource()));
        this.transactionManager = parts.transactionManager();
        this.eventSerializer = EventSerialization.newEventSerializer();
        this.tokenStore = JdbcTokenStore.builder()
                .connectionProvider(connections)
                .serializer(eventSerializer)
                .schema(tables.tokenSchema())
                .contentType(byte[].class)
                .build();
        Duration gapTimeout = storeSettings.gapTimeout();
        PassedGaps passedGaps = new PassedGaps(jdbc, tables, parts.clock());
        this.storageEngine = new AdmitEventStorageEngine(
                JdbcEventStorageEngine.builder()
                        .upcasterChain(NoOpEventUpcaster.INSTANCE)
                        .connectionProvider(connections)
                        .transactionManager(transactionManager)
                        .eventSerializer(eventSerializer)
                        .snapshotSerializer(eventSerializer)
                        .dataType(byte[].class)
                        .schema(tables.eventSchema())
                        // a duplicate (stream, position) is a lost race, not a failure: Axon turns it into a
                        // ConcurrencyException, which the command gateway retries
                        .persistenceExceptionResolver(new SQLStateResolver("23505"))
                        .gapTimeout(Math.toIntExact(gapTimeout.toMillis()))
                        .batchSize(1000),
                tables.eventSchema(),
                gapTimeout,
                passedGaps);

        UserRows rows = new UserRows(jdbc, tables);
        ParkedUserEvents parkedEvents = new ParkedUserEvents(jdbc, tables);
        UserStreamCatchUp catchUp = new UserStreamCatchUp(rows, storageEngine::readEvents);
        UsersProjector usersProjector = new UsersProjector(rows, catchUp, parkedEvents, jdbc, parts.clock());
        this.parkedEventsOperator =
                new ParkedEventsOperator(parkedEvents, rows, catchUp, jdbc, transactionManager, parts.clock());
        this.lateEventSweep = new LateEventSweep(
                jdbc, tables, catchUp, passedGaps, transactionManager, parts.clock(), projection.lateEventHorizon());
        this.lateEventCheckInterval = projection.lateEventCheckInterval();
        this.projectionEnabled = projection.enabled();
        this.projectionStatus = new ProjectionStatusReader(
                jdbc, tables, eventSerializer, parkedEvents, transactionManager, parts.clock());
        UsernameClaims usernameClaims = new UsernameClaims(jdbc, tables);

        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(config -> eventSerializer)
                .configureMessageSerializer(config -> eventSerializer)
                .configureEventSerializer(config -> eventSerializer)
                .configureTransactionManager(config -> transactionManager)
                .registerComponent(TokenStore.class, config -> tokenStore)
                // what the aggregate's command handlers take besides their command
                .registerComponent(InviteCodes.class, config -> parts.inviteCodes())
                .registerComponent(Clock.class, config -> parts.clock())
                // Axon's shared read-ahead cache is off: a lagging consumer pins every cached event after its own
                // (a 200,000-event backlog filled a 256 MB heap), and with one streaming processor it shares nothing
                .configureEventStore(config -> new AdmitEventStore(
                        EmbeddedEventStore.builder()
                                .messageMonitor(config.messageMonitor(EventStore.class, "eventStore"))
                                .spanFactory(config.getComponent(EventBusSpanFactory.class))
                                .optimizeEventConsumption(false),
                        storageEngine,
                        storeSettings.snapshotThreshold()))
                .configureAggregate(AggregateConfigurer.defaultConfiguration(User.class)
                        .configureCommandTargetResolver(config -> new CachingCommandTargetResolver())
                        .configureSnapshotTrigger(config -> new EventCountSnapshotTriggerDefinition(
                                config.snapshotter(), storeSettings.snapshotThreshold())));
        // the users projection streams in batches and never skips an event: a failure propagates, the batch rolls
        // back and is retried; username claims and mail requests run inside the appending transaction
        configurer.eventProcessing(processing -> {
            if (projection.enabled()) {
                processing
                        .registerEventHandler(config -> usersProjector)
                        .registerHandlerInterceptor(UsersProjector.PROCESSING_GROUP, config -> new SharedEventResult())
                        .registerPooledStreamingEventProcessor(
                                UsersProjector.PROCESSING_GROUP,
                                Configuration::eventStore,
                                (config, builder) -> builder.batchSize(projection.batchSize())
                                        .initialSegmentCount(projection.segments()))
                        .registerListenerInvocationErrorHandler(
                                UsersProjector.PROCESSING_GROUP, config -> PropagatingErrorHandler.instance());
            }
            processing
                    .registerEventHandler(config -> usernameClaims)
                    .registerSubscribingEventProcessor(UsernameClaims.PROCESSING_GROUP)
                    .registerListenerInvocationErrorHandler(
                            UsernameClaims.PROCESSING_GROUP, config -> PropagatingErrorHandler.instance());
            if (!parts.observers().isEmpty()) {
                parts.observers().forEach(observer -> processing.registerEventHandler(config -> observer));
                processing.registerSubscribingEventProcessor(AdmitEventObserver.PROCESSING_GROUP);
            }
            parts.inviteMailRequests()
                    .ifPresent(requests -> processing
                            .registerEventHandler(config -> requests.get())
                            .registerSubscribingEventProcessor(InviteMailRequests.PROCESSING_GROUP)
                            .registerListenerInvocationErrorHandler(
                                    InviteMailRequests.PROCESSING_GROUP, config -> PropagatingErrorHandler.instance()));
        });
        parts.customizers().forEach(customizer -> customizer.customize(configurer));
        this.configuration = configurer.buildConfiguration();

        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "admit-command-retry");
            thread.setDaemon(true);
            return thread;
        });
        // commands that lost a race on a stream are retried against the stream's new state
        this.commandGateway = DefaultCommandGateway.builder()
                .commandBus(configuration.commandBus())
                .retryScheduler(ConflictRetry.create(retries, 5, storeSettings.commandRetries()))
                .build();
        this.userQueries = new UserQueries(rows, configuration.eventStore(), transactionManager);
        this.usersProjectionReplay = new UsersProjectionReplay(
                configuration.eventProcessingConfiguration(),
                configuration.eventStore(),
                tables,
                eventSerializer,
                NoOpEventUpcaster.INSTANCE,
                gapTimeout,
                tokenStore,
                transactionManager,
                jdbc,
                projection.segments(),
                passedGaps,
                parts.clock(),
                projection.rebuildHeldRows() != null
                        ? projection.rebuildHeldRows()
                        : UsersProjectionReplay.heldRowsFor(Runtime.getRuntime().maxMemory()));
    }

    public CommandGateway commandGateway() {
        return commandGateway;
    }

    public EventStore eventStore() {
        return configuration.eventStore();
    }

    public EventStorageEngine storageEngine() {
        return storageEngine;
    }

    public Snapshotter snapshotter() {
        return configuration.snapshotter();
    }

    public EventProcessingConfiguration eventProcessing() {
        return configuration.eventProcessingConfiguration();
    }

    public TokenStore tokenStore() {
        return tokenStore;
    }

    /** Events and snapshots: Jackson under the stable event type names, with a mapper of Admit's own. */
    public Serializer eventSerializer() {
        return eventSerializer;
    }

    public TransactionManager transactionManager() {
        return transactionManager;
    }

    public UserQueries userQueries() {
        return userQueries;
    }

    public UsersProjectionReplay usersProjectionReplay() {
        return usersProjectionReplay;
    }

    public ParkedEventsOperator parkedEvents() {
        return parkedEventsOperator;
    }

    public ProjectionStatusReader projectionStatus() {
        return projectionStatus;
    }

    public LateEventSweep lateEventSweep() {
        return lateEventSweep;
    }

    @Override
    public synchronized void start() {
        configuration.start();
        sweeps = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "admit-late-events");
            thread.setDaemon(true);
            return thread;
        });
        long every = lateEventCheckInterval.toMillis();
        if (projectionEnabled) {
            sweeps.scheduleWithFixedDelay(this::sweepLateEvents, every, every, TimeUnit.MILLISECONDS);
        }
        running = true;
    }

    private void sweepLateEvents() {
        try {
            lateEventSweep.sweep();
        } catch (RuntimeException failure) {
            // the database is away; the next round tries again
            log.debug("Late-event sweep failed: {}", failure.getClass().getSimpleName());
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (sweeps != null) {
            sweeps.shutdownNow();
        }
        configuration.shutdown();
        retries.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
