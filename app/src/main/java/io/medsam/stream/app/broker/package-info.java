/**
 * The embedded default: a real single-node KRaft Kafka broker (broker and controller in one
 * process, Kafka's own server classes) with persistent storage, and {@link
 * io.medsam.stream.app.broker.KafkaEndpoint}, which lets a command use a running cluster when one
 * answers and start the embedded broker for its own duration when none does.
 */
package io.medsam.stream.app.broker;
