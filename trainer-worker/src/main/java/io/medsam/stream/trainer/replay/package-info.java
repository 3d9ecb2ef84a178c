/**
 * Reading a topic back from its beginning: the trainer rebuilds what it knows (its past rejections,
 * the published weight versions) from the log on every start instead of keeping local state.
 */
package io.medsam.stream.trainer.replay;
