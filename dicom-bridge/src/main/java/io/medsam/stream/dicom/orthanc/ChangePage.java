package io.medsam.stream.dicom.orthanc;

import java.util.List;

/**
 * One page of the change feed.
 *
 * @param changes the changes after the requested position, oldest first
 * @param last the position to ask from next ({@code Last})
 * @param done whether the feed has nothing after {@code last} for now ({@code Done})
 */
public record ChangePage(List<Change> changes, long last, boolean done) {
  /** Copies the list. */
  public ChangePage {
    changes = List.copyOf(changes);
  }
}
