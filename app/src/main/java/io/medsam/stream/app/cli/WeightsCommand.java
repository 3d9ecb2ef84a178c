package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.records.weights.WeightsKeys;
import io.medsam.stream.records.weights.WeightsSigner;
import io.medsam.stream.trainer.publish.WeightsAdmin;
import io.medsam.stream.trainer.publish.WeightsListing;
import io.medsam.stream.trainer.publish.WeightsPublicationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medsam weights list} prints one JSON object per published decoder-weights record; {@code
 * medsam weights rollback --to VERSION} re-publishes an earlier version.
 */
@Command(
    name = "weights",
    mixinStandardHelpOptions = true,
    description = "List published decoder weights, or roll back to an earlier version.")
public final class WeightsCommand {

  @Spec private CommandSpec spec;

  /** {@code weights list [--model ID]}. */
  @Command(name = "list", description = "One JSON object per published version, oldest first.")
  int list(
      @Mixin final CommonOptions common,
      @Option(names = "--model", description = "decoder model id (default: every model)")
          final String model)
      throws BrokerStartException {
    final PrintWriter out = spec.commandLine().getOut();
    try (KafkaEndpoint kafka = common.connect()) {
      (model == null
              ? WeightsAdmin.listAll(kafka.bootstrapServers())
              : WeightsAdmin.list(kafka.bootstrapServers(), model))
          .forEach(out::println);
    }
    out.flush();
    return 0;
  }

  /** {@code weights rollback --to VERSION [--model ID]}. */
  @Command(name = "rollback", description = "Re-publish VERSION so every decoder serves it again.")
  int rollback(
      @Mixin final CommonOptions common,
      @Option(
              names = "--model",
              description = "decoder model id (default: the one that " + "published VERSION)")
          final String model,
      @Option(names = "--to", required = true, paramLabel = "VERSION") final String version,
      @Option(
              names = "--weights-signing-key",
              paramLabel = "FILE",
              description =
                  "PKCS#8 Ed25519 private key that signs the re-published record (decoders with"
                      + " --weights-public-key refuse it unsigned)")
          final Path signingKey)
      throws BrokerStartException, WeightsPublicationException, IOException {
    final Optional<WeightsSigner> signer =
        signingKey == null
            ? Optional.empty()
            : Optional.of(new WeightsSigner(WeightsKeys.readPrivateKey(signingKey)));
    final PrintWriter out = spec.commandLine().getOut();
    try (KafkaEndpoint kafka = common.connect()) {
      final DecoderWeights w =
          WeightsAdmin.rollback(kafka.bootstrapServers(), model, version, signer);
      out.println(WeightsListing.line(w));
    }
    out.flush();
    return 0;
  }
}
