package io.medsam.stream.app.pipeline;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** A worker role of {@code medsam run}; {@code all} is every one of them in one JVM. */
public enum Role {
  /** Reads scans, publishes slices. */
  INGEST("medsam-ingest"),
  /** Encodes slices into embeddings. */
  ENCODER("medsam-encoder"),
  /** Joins prompts with embeddings and decodes masks (Kafka Streams). */
  DECODER("medsam-decoder"),
  /** Fine-tunes the mask decoder from corrections. */
  TRAINER("medsam-trainer"),
  /** Serves the clinician's viewer (HTTP); a client of the others, it has no consumer group. */
  VIEWER("medsam-viewer"),
  /** Follows Orthancs' change feeds and announces their stable series as scans. */
  ORTHANC("medsam-orthanc");

  private final String group;

  Role(final String group) {
    this.group = group;
  }

  /**
   * @return the consumer group (Kafka Streams application id for the decoder) of the role
   */
  public String group() {
    return group;
  }

  /**
   * @return whether the role loads the model bundle (ingest and the Orthanc bridge do not)
   */
  public boolean needsBundle() {
    return this != INGEST && this != ORTHANC;
  }

  /**
   * @return the lower-case name used on the command line
   */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param name {@code all} or one role name (case-insensitive)
   * @return the roles it names
   */
  public static Set<Role> parse(final String name) {
    final String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("all")) {
      return EnumSet.allOf(Role.class);
    }
    for (final Role r : values()) {
      if (r.cliName().equals(n)) {
        return EnumSet.of(r);
      }
    }
    throw new IllegalArgumentException(
        "unknown role '"
            + name
            + "': use all, ingest, encoder, decoder, trainer, viewer or orthanc");
  }

  /**
   * The roles {@code medsam run} runs: as {@link #parse}, except that {@code all} includes the
   * Orthanc bridge only when an Orthanc is configured, and the bridge alone needs one.
   *
   * @param name {@code all} or one role name
   * @param orthancConfigured whether {@code --orthanc} was given
   * @return the roles to run
   * @throws IllegalArgumentException for an unknown role, or {@code orthanc} with no Orthanc
   */
  public static Set<Role> forRun(final String name, final boolean orthancConfigured) {
    final Set<Role> roles = parse(name);
    if (!orthancConfigured) {
      if (roles.equals(EnumSet.of(ORTHANC))) {
        throw new IllegalArgumentException("--role orthanc needs --orthanc [NAME=]URL");
      }
      roles.remove(ORTHANC);
    }
    return roles;
  }
}
