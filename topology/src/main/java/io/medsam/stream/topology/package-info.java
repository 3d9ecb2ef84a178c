/**
 * The Kafka side of MedSAM Stream that every worker shares, free of any ML runtime: the topic
 * names and specifications ({@link io.medsam.stream.topology.Topics}), the matching client
 * configurations ({@link io.medsam.stream.topology.ClientConfigs}), the idempotent
 * topic provisioning step ({@link io.medsam.stream.topology.TopicProvisioner}) and dead letters
 * ({@link io.medsam.stream.topology.DeadLetters}). Kafka Streams topologies live in sub-packages.
 */
package io.medsam.stream.topology;
