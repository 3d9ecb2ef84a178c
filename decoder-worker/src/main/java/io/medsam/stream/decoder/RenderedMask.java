package io.medsam.stream.decoder;

/**
 * A binary mask at original resolution, as it goes on the wire.
 *
 * @param height H
 * @param width W
 * @param rleCounts pycocotools compressed RLE string (column-major, counts start with zeros)
 * @param area number of foreground pixels
 * @param bbox COCO bbox [x, y, w, h] (all zero for an empty mask)
 */
record RenderedMask(int height, int width, String rleCounts, long area, float[] bbox) {}
