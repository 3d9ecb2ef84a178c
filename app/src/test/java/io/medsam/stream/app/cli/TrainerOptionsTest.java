package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.trainer.TrainerConfig;
import io.medsam.stream.trainer.train.TrainingSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The trainer's options as {@code medsam run --role trainer} parses them. */
class TrainerOptionsTest {

  @Command(name = "t")
  static final class Holder {
    @Mixin TrainerOptions trainer = new TrainerOptions();
  }

  private static TrainerConfig parse(final String... args) {
    final Holder h = new Holder();
    new CommandLine(h).parseArgs(args);
    return h.trainer.apply(TrainerConfig.defaults("localhost:9092", Path.of("bundle")));
  }

  @Test
  void leftOutOptionsKeepTheDefaults() {
    final TrainingSettings t = parse().training();
    assertThat(t).isEqualTo(TrainingSettings.defaults());
    assertThat(t.gateMargin()).isEqualTo(0.015);
    assertThat(t.boxJitterPixels()).isZero();
    assertThat(t.gateTolerance()).isEqualTo(0.05);
    assertThat(t.blockGap()).isEqualTo(1);
    assertThat(t.validationFraction()).isEqualTo(0.2);
  }

  @Test
  void gateValidationAndGapOptionsApply() {
    final TrainerConfig c =
        parse(
            "--gate-margin", "0.02",
            "--gate-tolerance", "0.03",
            "--block-gap", "2",
            "--validation-fraction", "0",
            "--patience", "6",
            "--steps", "50",
            "--holdout-fraction", "0.3");
    final TrainingSettings t = c.training();
    assertThat(t.gateMargin()).isEqualTo(0.02);
    assertThat(t.gateTolerance()).isEqualTo(0.03);
    assertThat(t.blockGap()).isEqualTo(2);
    assertThat(t.validationFraction()).isZero();
    assertThat(t.patience()).isEqualTo(6);
    assertThat(t.steps()).isEqualTo(50);
    assertThat(c.holdoutFraction()).isEqualTo(0.3);
  }

  @Test
  void signingKeyIsPassedToTheTrainerAndLeftOutMeansUnsigned() {
    assertThat(parse().weightsSigningKey()).isNull();
    assertThat(parse("--weights-signing-key", "keys/signing.pem").weightsSigningKey())
        .isEqualTo(Path.of("keys/signing.pem"));
  }
}
