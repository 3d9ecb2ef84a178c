package ai.djl.archfixture;

/** Stands in for an ML runtime class, so that ArchitectureTest can show its rule bites. */
public final class FakeEngine {
  /** Loads nothing. */
  public static String load() {
    return "fake";
  }
}
