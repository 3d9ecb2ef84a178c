package io.medsam.stream.app.cli;

import io.medsam.stream.records.weights.WeightsKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medsam keys generate --out DIR}: a new Ed25519 key pair for signed decoder weights, the
 * private key for publishers ({@code --weights-signing-key}) and the public key for decoders
 * ({@code --weights-public-key}).
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Make the key pair that signs and verifies decoder weights.")
public final class KeysCommand {

  /** File name of the private key written by {@code generate}. */
  static final String SIGNING_KEY = "weights-signing-key.pem";

  /** File name of the public key written by {@code generate}. */
  static final String PUBLIC_KEY = "weights-public-key.pem";

  @Spec private CommandSpec spec;

  /** {@code keys generate --out DIR}. */
  @Command(
      name = "generate",
      description = {
        "Write a new Ed25519 key pair: DIR/"
            + SIGNING_KEY
            + " (PKCS#8, owner-only; give it to"
            + " the trainer and to weights rollback as --weights-signing-key) and DIR/"
            + PUBLIC_KEY
            + " (X.509; give it to every decoder as --weights-public-key).",
        "Same formats as: openssl genpkey -algorithm ed25519 -out "
            + SIGNING_KEY
            + "; openssl pkey -in "
            + SIGNING_KEY
            + " -pubout -out "
            + PUBLIC_KEY
      })
  int generate(
      @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder to write")
          final Path out)
      throws IOException {
    Files.createDirectories(out);
    final Path priv = out.resolve(SIGNING_KEY);
    final Path pub = out.resolve(PUBLIC_KEY);
    for (final Path p : new Path[] {priv, pub}) {
      if (Files.exists(p)) {
        throw new FileAlreadyExistsException(p + " exists: keys are never overwritten");
      }
    }
    final KeyPair pair = WeightsKeys.generate();
    WeightsKeys.writePrivateKey(pair.getPrivate(), priv);
    WeightsKeys.writePublicKey(pair.getPublic(), pub);
    final PrintWriter o = spec.commandLine().getOut();
    o.printf(
        "key %s%n  signing key (keep secret): %s%n  public key: %s%n",
        WeightsKeys.keyId(pair.getPublic()), priv, pub);
    o.flush();
    return 0;
  }
}
