/**
 * Subcommands of {@code medsam}, one class per command, plus the options they share.
 *
 * <p>To add a command: write {@code FooCommand implements Callable<Integer>} here, annotated
 * {@code @Command(name = "foo", mixinStandardHelpOptions = true, description = ...)}; take
 * {@code @Mixin CommonOptions common} if it is a Kafka client (it gets {@code --bootstrap-servers}
 * and {@code --data-dir}, and {@link io.medsam.stream.app.cli.CommonOptions#connect} gives it a
 * running cluster or the embedded default); then add {@code FooCommand.class} to the {@code
 * subcommands} list of {@link io.medsam.stream.app.Medsam}. That one line is the only change
 * outside the new class. A long-running command waits on a {@link
 * io.medsam.stream.app.cli.StopSignal} so that SIGTERM and Ctrl-C shut it down cleanly.
 */
package io.medsam.stream.app.cli;
