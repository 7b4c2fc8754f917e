package dev.admit.service;

import dev.admit.spring.boot.AdmitAutoConfiguration;
import dev.admit.spring.boot.AdmitEngine;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The parts of Admit's Axon configuration as beans, for the service's tests only (registered through the test
 * class path's {@code AutoConfiguration.imports}): the tests drive and inspect the engine directly, while Admit
 * itself exposes none of Axon's types to an application.
 */
@AutoConfiguration(after = AdmitAutoConfiguration.class)
public class AdmitEngineParts {

    @Bean
    CommandGateway commandGateway(AdmitEngine engine) {
        return engine.commandGateway();
    }

    @Bean
    EventStore eventStore(AdmitEngine engine) {
        return engine.eventStore();
    }

    @Bean
    EventStorageEngine eventStorageEngine(AdmitEngine engine) {
        return engine.storageEngine();
    }

    @Bean
    Snapshotter snapshotter(AdmitEngine engine) {
        return engine.snapshotter();
    }

    @Bean
    TokenStore tokenStore(AdmitEngine engine) {
        return engine.tokenStore();
    }

    @Bean
    EventProcessingConfiguration eventProcessingConfiguration(AdmitEngine engine) {
        return engine.eventProcessing();
    }

    @Bean
    Serializer eventSerializer(AdmitEngine engine) {
        return engine.eventSerializer();
    }

    @Bean
    TransactionManager axonTransactionManager(AdmitEngine engine) {
        return engine.transactionManager();
    }
}
