/** 2D raster images (PNG, JPEG, grey or RGB) read with javax.imageio into 8-bit slices. */
package io.medsam.stream.imaging.raster;
