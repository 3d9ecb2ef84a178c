/**
 * The Kafka side of MedSAM Stream that every worker shares, free of any ML runtime: the topic names
 * and specifications ({@link io.medsam.stream.topology.Topics}), the matching client configurations
 * ({@link io.medsam.stream.topology.ClientConfigs}), the idempotent topic provisioning step ({@link
 * io.medsam.stream.topology.TopicProvisioner}), dead letters ({@link
 * io.medsam.stream.topology.DeadLetters}, {@link io.medsam.stream.topology.DeadLetterRecords}), and
 * what the plain-client workers share: their transactional clients and fatal-error rule ({@link
 * io.medsam.stream.topology.KafkaClients}) and their run/close life cycle ({@link
 * io.medsam.stream.topology.WorkerLifecycle}). Kafka Streams topologies live in sub-packages.
 */
package io.medsam.stream.topology;
