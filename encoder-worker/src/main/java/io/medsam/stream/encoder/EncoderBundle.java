package io.medsam.stream.encoder;

import io.medsam.stream.bundle.BundleFormatException;
import io.medsam.stream.bundle.ModelBundle;
import java.nio.file.Path;

/**
 * The encoder worker's former bundle reader, kept only so that callers written against it (the
 * app) still compile. It wraps the shared {@link ModelBundle}, which has every field this class
 * had (and {@link ModelBundle#encoderModelId()}).
 *
 * @deprecated call {@link ModelBundle#read(Path)} and {@link
 *     ImageEncoderSession#open(ModelBundle, EncoderSessionOptions)}
 */
@Deprecated(forRemoval = true)
public final class EncoderBundle {

  private final ModelBundle bundle;

  private EncoderBundle(final ModelBundle bundle) {
    this.bundle = bundle;
  }

  /**
   * Reads {@code manifest.json} in {@code directory} and hashes the encoder file.
   *
   * @throws BundleException when the manifest is missing, malformed or names missing files
   */
  public static EncoderBundle load(final Path directory) throws BundleException {
    try {
      return new EncoderBundle(ModelBundle.read(directory));
    } catch (final BundleFormatException e) {
      throw new BundleException(e.getMessage(), e);
    }
  }

  /** The shared bundle this wraps. */
  public ModelBundle modelBundle() {
    return bundle;
  }

  /** {@link ModelBundle#encoderModelId()}. */
  public String encoderModelId() {
    return bundle.encoderModelId();
  }
}
