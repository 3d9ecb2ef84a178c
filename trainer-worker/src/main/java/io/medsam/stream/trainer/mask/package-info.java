/**
 * Binary masks as the trainer needs them: COCO RLE (compressed counts string, column-major,
 * counts starting with zeros), the box around a mask, 8-connected components and the Dice
 * coefficient. Pure Java, no Kafka and no ML runtime.
 */
package io.medsam.stream.trainer.mask;
