package io.medsam.stream.imaging.preprocess;

/**
 * Size, spacing and position of one slice cut from a volume.
 *
 * @param height rows (H)
 * @param width columns (W)
 * @param rowSpacing mm between rows
 * @param colSpacing mm between columns
 * @param position signed distance of the slice plane from the world origin along the slicing axis'
 *     direction, mm (index * spacing when the affine gives no direction)
 */
public record SliceGeometry(
    int height, int width, double rowSpacing, double colSpacing, double position) {}
