package io.medsam.stream.records.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 key files: a PKCS#8 private key for publishers and an X.509 (SubjectPublicKeyInfo) public
 * key for decoders, each PEM ({@code -----BEGIN PRIVATE KEY-----}, {@code -----BEGIN PUBLIC
 * KEY-----}) or DER. {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout}
 * write the same formats as {@link #writePrivateKey} and {@link #writePublicKey}.
 */
public final class WeightsKeys {

  /** The JDK's algorithm name. */
  public static final String ALGORITHM = "Ed25519";

  private WeightsKeys() {}

  /** A new key pair from the JDK's strong random source. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
    }
  }

  /**
   * Reads a PKCS#8 Ed25519 private key.
   *
   * @throws IOException if the file cannot be read or holds no Ed25519 private key
   */
  public static PrivateKey readPrivateKey(final Path file) throws IOException {
    final byte[] der = der(file, "PRIVATE KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + " is not a PKCS#8 " + ALGORITHM + " private key: " + e, e);
    }
  }

  /**
   * Reads an X.509 (SubjectPublicKeyInfo) Ed25519 public key.
   *
   * @throws IOException if the file cannot be read or holds no Ed25519 public key
   */
  public static PublicKey readPublicKey(final Path file) throws IOException {
    final byte[] der = der(file, "PUBLIC KEY");
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + " is not an X.509 " + ALGORITHM + " public key: " + e, e);
    }
  }

  /** Writes the private key as PKCS#8 PEM, readable by its owner only where POSIX allows it. */
  public static void writePrivateKey(final PrivateKey key, final Path file) throws IOException {
    Files.writeString(file, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its default permissions stay
    }
  }

  /** Writes the public key as X.509 PEM. */
  public static void writePublicKey(final PublicKey key, final Path file) throws IOException {
    Files.writeString(file, pem("PUBLIC KEY", key.getEncoded()), StandardCharsets.US_ASCII);
  }

  /**
   * The key's name in signatures and messages: SHA-256 of its X.509 encoding, first 16 hex digits.
   */
  public static String keyId(final PublicKey key) {
    try {
      final byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * The public key of an Ed25519 private key. The JDK has no call for it, so the pair is generated
   * again from the private key's own bytes (an Ed25519 private key is its 32-byte seed; the JDK's
   * generator draws exactly that seed from its random source) and checked to hold the same key.
   *
   * @throws IllegalArgumentException if the key is not an Ed25519 private key
   * @throws IllegalStateException if this JDK derives the pair another way
   */
  public static PublicKey publicKeyOf(final PrivateKey key) {
    if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
      throw new IllegalArgumentException("not an " + ALGORITHM + " private key: " + key);
    }
    final byte[] seed = ed.getBytes().orElseThrow();
    try {
      final KeyPairGenerator gen = KeyPairGenerator.getInstance(ALGORITHM);
      gen.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
      final KeyPair pair = gen.generateKeyPair();
      final byte[] again = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
      if (!Arrays.equals(seed, again)) {
        throw new IllegalStateException("this JDK does not derive Ed25519 keys from their seed");
      }
      return pair.getPublic();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + ALGORITHM, e);
    }
  }

  private static byte[] der(final Path file, final String label) throws IOException {
    final byte[] raw = Files.readAllBytes(file);
    final String text = new String(raw, StandardCharsets.US_ASCII);
    final String begin = "-----BEGIN " + label + "-----";
    final int start = text.indexOf(begin);
    if (start < 0) {
      if (text.contains("-----BEGIN ")) {
        throw new IOException(file + " is PEM but holds no " + label + " block");
      }
      return raw; // DER
    }
    final int end = text.indexOf("-----END " + label + "-----", start);
    if (end < 0) {
      throw new IOException(file + ": " + begin + " without its END line");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": the " + label + " block is not base64", e);
    }
  }

  private static String pem(final String label, final byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /** A random source that hands out one fixed seed (to re-derive a key pair from it). */
  private static final class SeedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    SeedRandom(final byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(final byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("asked for " + bytes.length + " random bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
