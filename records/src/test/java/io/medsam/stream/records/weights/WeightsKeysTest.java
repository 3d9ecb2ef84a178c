package io.medsam.stream.records.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key files: what {@link WeightsKeys} writes reads back; keys made by OpenSSL (the committed pair
 * in {@code weights-keys/}, made by its {@code make-keys.sh}) load as PEM and DER, and the public
 * key derived from the private one is the one OpenSSL wrote; a wrong file is refused by name.
 */
class WeightsKeysTest {

  @TempDir Path dir;

  @Test
  void writtenKeysReadBackAndSignForEachOther() throws Exception {
    final KeyPair pair = WeightsKeys.generate();
    final Path priv = dir.resolve("signing.pem");
    final Path pub = dir.resolve("public.pem");
    WeightsKeys.writePrivateKey(pair.getPrivate(), priv);
    WeightsKeys.writePublicKey(pair.getPublic(), pub);
    assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.getPosixFilePermissions(priv))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    final PrivateKey readPriv = WeightsKeys.readPrivateKey(priv);
    final PublicKey readPub = WeightsKeys.readPublicKey(pub);
    assertThat(readPub.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    assertThat(WeightsKeys.publicKeyOf(readPriv).getEncoded())
        .isEqualTo(pair.getPublic().getEncoded());
    new WeightsVerifier(readPub).verify(new WeightsSigner(readPriv).sign(SignedWeights.record()));
  }

  @Test
  void opensslKeysLoadAndMatch() throws Exception {
    final PrivateKey priv = WeightsKeys.readPrivateKey(fixture("openssl-signing-key.pem"));
    final PublicKey pem = WeightsKeys.readPublicKey(fixture("openssl-public-key.pem"));
    final PublicKey der = WeightsKeys.readPublicKey(fixture("openssl-public-key.der"));
    assertThat(der.getEncoded()).isEqualTo(pem.getEncoded());
    assertThat(WeightsKeys.publicKeyOf(priv).getEncoded()).isEqualTo(pem.getEncoded());
    new WeightsVerifier(der).verify(new WeightsSigner(priv).sign(SignedWeights.record()));
  }

  @Test
  void wrongFilesAreRefusedByName() throws Exception {
    final Path pub = fixture("openssl-public-key.pem");
    assertThatThrownBy(() -> WeightsKeys.readPrivateKey(pub))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(pub.toString())
        .hasMessageContaining("no PRIVATE KEY block");
    final Path junk = Files.writeString(dir.resolve("junk.der"), "not a key");
    assertThatThrownBy(() -> WeightsKeys.readPublicKey(junk))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not an X.509 Ed25519 public key");
    final Path rsa =
        Files.writeString(
            dir.resolve("rsa.pem"),
            "-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAA==\n-----END PUBLIC KEY-----\n");
    assertThatThrownBy(() -> WeightsKeys.readPublicKey(rsa)).isInstanceOf(IOException.class);
  }

  private static Path fixture(final String name) throws URISyntaxException {
    return Path.of(WeightsKeysTest.class.getResource("/weights-keys/" + name).toURI());
  }
}
