package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.app.Medsam;
import io.medsam.stream.decoder.DecoderWorkerConfig;
import io.medsam.stream.records.weights.WeightsKeys;
import io.medsam.stream.records.weights.WeightsSigner;
import io.medsam.stream.records.weights.WeightsVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code medsam keys generate} writes a pair that signs and verifies, never overwrites a key, and
 * the public key file given to {@code medsam run --weights-public-key} is what the decoder's
 * configuration trusts.
 */
class KeysCommandTest {

  @TempDir Path dir;

  @Test
  void generatedKeysSignForEachOtherAndAreNeverOverwritten() throws Exception {
    final StringWriter out = new StringWriter();
    final CommandLine cl = Medsam.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    assertThat(cl.execute("keys", "generate", "--out", dir.resolve("k").toString())).isZero();
    final Path priv = dir.resolve("k").resolve(KeysCommand.SIGNING_KEY);
    final Path pub = dir.resolve("k").resolve(KeysCommand.PUBLIC_KEY);
    final PublicKey key = WeightsKeys.readPublicKey(pub);
    assertThat(out.toString()).contains("key " + WeightsKeys.keyId(key));
    new WeightsVerifier(key)
        .verify(
            new WeightsSigner(WeightsKeys.readPrivateKey(priv))
                .sign(
                    io.medsam.stream.avro.DecoderWeights.newBuilder()
                        .setModelId("m")
                        .setVersion("v")
                        .setTensors(java.util.List.of())
                        .setCreatedAt(java.time.Instant.EPOCH)
                        .build()));
    final byte[] before = Files.readAllBytes(priv);

    final StringWriter err = new StringWriter();
    final CommandLine again = Medsam.commandLine();
    again.setErr(new PrintWriter(err));
    assertThat(again.execute("keys", "generate", "--out", dir.resolve("k").toString())).isOne();
    assertThat(err.toString()).contains("never overwritten");
    assertThat(Files.readAllBytes(priv)).isEqualTo(before);

    final CommandLine run = Medsam.commandLine();
    final CommandLine.ParseResult parsed =
        run.parseArgs("run", "--role", "decoder", "--weights-public-key", pub.toString());
    final RunCommand command = (RunCommand) parsed.subcommand().commandSpec().userObject();
    final DecoderWorkerConfig config =
        command.decoderSettings().apply(DecoderWorkerConfig.defaults("h:9092", dir));
    assertThat(config.weightsPublicKey().getEncoded()).isEqualTo(key.getEncoded());
  }
}
