/**
 * The {@code medsam} command line: {@link io.medsam.stream.app.Medsam} is the entry point; its
 * subcommands live in {@link io.medsam.stream.app.cli} and the embedded Kafka default in {@link
 * io.medsam.stream.app.broker}.
 */
package io.medsam.stream.app;
