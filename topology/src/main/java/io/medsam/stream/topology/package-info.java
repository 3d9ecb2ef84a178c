/**
 * The Kafka side of MedSAM Stream that every worker shares, free of any ML runtime: the topic names
 * and specifications ({@link io.medsam.stream.topology.Topics}), the matching client configurations
 * ({@link io.medsam.stream.topology.ClientConfigs}), the idempotent topic provisioning step ({@link
 * io.medsam.stream.topology.TopicProvisioner}), dead letters (built by {@link
 * io.medsam.stream.topology.DeadLetters}, logged, counted and sent by {@link
 * io.medsam.stream.topology.DeadLetterProducer}), and what the plain-client workers share: their
 * transactional clients and fatal-error rule ({@link io.medsam.stream.topology.KafkaClients}). The
 * worker contract and the transactional loop live in {@code worker}, Kafka Streams topologies in
 * the other sub-packages.
 */
package io.medsam.stream.topology;
