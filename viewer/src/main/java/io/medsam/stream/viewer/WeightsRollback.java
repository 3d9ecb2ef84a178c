package io.medsam.stream.viewer;

/**
 * Re-publishes an earlier decoder weights version (what {@code medsam weights rollback} does). The
 * viewer holds no trainer code: the process that hosts it (the app, which has the weights
 * publisher) supplies this.
 */
@FunctionalInterface
public interface WeightsRollback {

  /**
   * @param version the version to serve again
   * @return what was re-published, in words
   * @throws Exception when the version is unknown or not publishable (its message is shown)
   */
  String rollback(String version) throws Exception;
}
