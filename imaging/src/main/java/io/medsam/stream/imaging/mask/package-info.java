/**
 * Binary masks and their codecs: COCO run-length encoding compatible with pycocotools (counts and
 * compressed string), PNG, upsampling of the decoder's low-resolution logits to a mask, 8-connected
 * components, bounding boxes and areas, and the ellipse inscribed in a box (the evaluation's
 * baseline).
 */
package io.medsam.stream.imaging.mask;
