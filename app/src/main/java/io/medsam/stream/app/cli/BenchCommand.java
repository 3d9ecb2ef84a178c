package io.medsam.stream.app.cli;

import picocli.CommandLine.Command;

/** {@code medsam bench ...}: benchmarks, one subcommand per component. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks (not timed tests): decoder latency.",
    subcommands = {BenchDecoderCommand.class})
public final class BenchCommand {}
