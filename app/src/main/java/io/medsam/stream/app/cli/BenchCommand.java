package io.medsam.stream.app.cli;

import picocli.CommandLine.Command;

/**
 * {@code medsam bench ...}: benchmarks (commands, not timed tests), one subcommand per component.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks (not timed tests): encoder throughput, decoder latency.",
    subcommands = {BenchEncoderCommand.class, BenchDecoderCommand.class, BenchVolumeCommand.class})
public final class BenchCommand {}
