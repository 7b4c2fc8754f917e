package dev.admit.spring.boot;

import org.axonframework.config.Configurer;

/** Adds to Admit's own Axon configuration before it is built (Axon's metrics, for instance). */
@FunctionalInterface
interface AdmitEngineCustomizer {

    void customize(Configurer configurer);
}
