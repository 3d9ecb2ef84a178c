package io.medsam.stream.topology.walk;

import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.serde.AvroCodec;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Picks the walk steps out of medsam.masks.v1 (MaskResults with a walkId) and re-keys them by
 * series, the key of the walk that awaits them; 2D results pass by. A record that does not decode
 * is forwarded as it is, under its own key, so that the walker dead-letters it with the reason.
 */
final class WalkStepRouter implements Processor<String, byte[], String, byte[]> {

  private final AvroCodec<MaskResult> codec = AvroCodec.of(MaskResult.class);
  private ProcessorContext<String, byte[]> context;

  @Override
  public void init(final ProcessorContext<String, byte[]> ctx) {
    this.context = ctx;
  }

  @Override
  public void process(final Record<String, byte[]> record) {
    final MaskResult result;
    try {
      result = codec.decode(record.value(), VolumeWalkTopology.MASKS_TOPIC, -1, -1L);
    } catch (final SerializationException e) {
      context.forward(record);
      return;
    }
    if (result.getWalkId() != null) {
      context.forward(record.withKey(seriesOf(result.getSliceKey())));
      context.commit(); // a walk waits for this step: do not wait for the commit interval
    }
  }

  /** The seriesUid of a sliceKey {@code <seriesUid>/<axis>/<index>}. */
  static String seriesOf(final String sliceKey) {
    final int axisSlash = sliceKey.lastIndexOf('/', sliceKey.lastIndexOf('/') - 1);
    return axisSlash < 0 ? sliceKey : sliceKey.substring(0, axisSlash);
  }
}
