package io.medsam.stream.app;

import io.medsam.stream.app.cli.BrokerCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Entry point of the {@code medsam} command line. Each subcommand is one class in {@link
 * io.medsam.stream.app.cli}; registering a new one is one line in {@code subcommands} below.
 */
@Command(
    name = "medsam",
    mixinStandardHelpOptions = true,
    versionProvider = Medsam.Version.class,
    description = "MedSAM Stream: MedSAM segmentation as an event-driven service on Apache Kafka.",
    subcommands = {
      BrokerCommand.class,
      io.medsam.stream.app.cli.CorrectCommand.class,
      io.medsam.stream.app.cli.WeightsCommand.class,
      io.medsam.stream.app.cli.KeysCommand.class,
      io.medsam.stream.app.cli.IngestCommand.class,
      io.medsam.stream.app.cli.BenchCommand.class,
      io.medsam.stream.app.cli.RunCommand.class,
      io.medsam.stream.app.cli.SegmentCommand.class,
      io.medsam.stream.app.cli.EvalCommand.class,
      io.medsam.stream.app.cli.DemoCommand.class,
      io.medsam.stream.app.cli.FinetuneDemoCommand.class,
      HelpCommand.class,
    })
public final class Medsam implements Runnable {
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing a command.");
  }

  /**
   * @return the configured command line, for {@link #main} and for tests
   */
  public static CommandLine commandLine() {
    return new CommandLine(new Medsam())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Medsam::reportFailure);
  }

  /**
   * @param args command line arguments
   */
  public static void main(final String[] args) {
    System.exit(commandLine().execute(args));
  }

  private static int reportFailure(
      final Exception e, final CommandLine cmd, final CommandLine.ParseResult parsed) {
    final PrintWriter err = cmd.getErr();
    err.println(
        cmd.getColorScheme().errorText("medsam " + cmd.getCommandName() + ": " + e.getMessage()));
    if (Boolean.getBoolean("medsam.debug") || System.getenv("MEDSAM_DEBUG") != null) {
      e.printStackTrace(err);
    } else {
      err.println("(set MEDSAM_DEBUG=1 for the stack trace)");
    }
    err.flush();
    return 1;
  }

  /** The version from the jar manifest ({@code Implementation-Version}). */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      final String v = Medsam.class.getPackage().getImplementationVersion();
      return new String[] {"medsam " + (v == null ? "(development build)" : v)};
    }
  }
}
