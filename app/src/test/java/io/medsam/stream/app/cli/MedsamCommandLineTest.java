package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.app.Medsam;
import io.medsam.stream.encoder.bench.PyTorchBaseline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree as picocli parses it, in-process (no broker started). */
class MedsamCommandLineTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(final String... args) {
    final CommandLine cmd = Medsam.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void brokerHelpListsItsOptions() {
    assertThat(run("broker", "--help")).isZero();
    final String help = out.toString().replaceAll("\\s+", " "); // undo picocli's line wrapping
    assertThat(help)
        .contains(
            "Usage: medsam broker",
            "--data-dir=DIR",
            "--port=PORT",
            "(default: 9092)",
            "DIR/broker (default: $MEDSAM_DATA_DIR if set, else",
            "${XDG_DATA_HOME:-$HOME/.local/share}");
  }

  @Test
  void topLevelHelpListsTheBrokerCommand() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: medsam", "broker");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("Missing a command");
  }

  @Test
  void badPortIsAUsageError() {
    assertThat(run("broker", "--port", "not-a-number")).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("--port");
  }

  @Test
  void commonOptionsDefaultToTheLocalBrokerAndTemporaryData() {
    final CommonOptions common = new CommonOptions();
    new CommandLine(
            new Object() {
              @CommandLine.Mixin CommonOptions options = common;
            })
        .parseArgs();
    assertThat(common.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(common.explicitDataDir()).isNull();
  }

  @Test
  void everyCommandThatTalksToKafkaTakesClientProperties() {
    final CommandLine root = Medsam.commandLine();
    for (final String command :
        List.of(
            "run",
            "ingest",
            "segment",
            "eval",
            "demo",
            "correct",
            "weights list",
            "weights rollback",
            "bench encoder",
            "bench decoder",
            "bench volume")) {
      CommandLine sub = root;
      for (final String name : command.split(" ")) {
        sub = sub.getSubcommands().get(name);
      }
      final CommandLine.Model.OptionSpec option = sub.getCommandSpec().findOption("--kafka-config");
      assertThat(option).as(command).isNotNull();
      assertThat(String.join(" ", option.description()))
          .as(command)
          .contains("Kafka client properties (security.protocol");
    }
  }

  @Test
  void segmentHelpSaysWhereTheEmbeddedBrokerKeepsItsData() {
    assertThat(run("segment", "--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains("a fresh temporary directory", "deleted when the command ends", "DIR/broker");
  }

  @Test
  void persistentDataFollowsMedsamDataDirThenXdgThenHome() {
    assertThat(DataDirOption.persistentDefault(Map.of("MEDSAM_DATA_DIR", "/m", "HOME", "/h")))
        .isEqualTo(Path.of("/m"));
    assertThat(DataDirOption.persistentDefault(Map.of("XDG_DATA_HOME", "/x", "HOME", "/h")))
        .isEqualTo(Path.of("/x/medsam"));
    assertThat(DataDirOption.persistentDefault(Map.of("HOME", "/h")))
        .isEqualTo(Path.of("/h/.local/share/medsam"));
  }

  @Test
  void benchEncoderTakesThePyTorchBaselineModeInAnyCase() {
    assertThat(run("bench", "encoder", "--help")).isZero();
    assertThat(out.toString().replaceAll("\\s+", " "))
        .contains("--pytorch-baseline=auto|on|off", "(default: auto)", "--python=FILE");
    final BenchEncoderCommand bench = new BenchEncoderCommand();
    new CommandLine(bench).parseArgs("--pytorch-baseline", "OFF", "--python", "/opt/py");
    assertThat(bench.pytorchSettings().mode()).isEqualTo(PyTorchBaseline.Mode.OFF);
    assertThat(bench.pytorchSettings().python()).isEqualTo(Path.of("/opt/py"));
    assertThat(defaults(new BenchEncoderCommand())).isEqualTo(PyTorchBaseline.Settings.defaults());
    assertThat(run("bench", "encoder", "--pytorch-baseline", "sometimes"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
  }

  private static PyTorchBaseline.Settings defaults(final BenchEncoderCommand bench) {
    new CommandLine(bench).parseArgs();
    return bench.pytorchSettings();
  }
}
