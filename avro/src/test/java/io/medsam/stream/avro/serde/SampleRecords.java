package io.medsam.stream.avro.serde;

import io.medsam.stream.avro.Box;
import io.medsam.stream.avro.BoxPrompt;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.avro.DeadLetter;
import io.medsam.stream.avro.DecoderWeights;
import io.medsam.stream.avro.ImageSlice;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.MaskStatus;
import io.medsam.stream.avro.OrthancPosition;
import io.medsam.stream.avro.OrthancSource;
import io.medsam.stream.avro.RleMask;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.avro.SliceEmbedding;
import io.medsam.stream.avro.SliceStep;
import io.medsam.stream.avro.SourceKind;
import io.medsam.stream.avro.TargetDsc;
import io.medsam.stream.avro.TrainerStatus;
import io.medsam.stream.avro.VolumeMask;
import io.medsam.stream.avro.VolumePrompt;
import io.medsam.stream.avro.WeightTensor;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated instance of every topic record type (optional fields set). */
final class SampleRecords {

  static final Instant AT = Instant.parse("2026-11-27T22:00:00.123Z");
  static final String SLICE_KEY = "1.2.840.113619.2.55/axial/90";

  private SampleRecords() {}

  static List<SpecificRecord> all() {
    return List.of(
        scan(),
        slice(),
        embedding(),
        prompt(),
        mask(),
        correction(),
        weights(),
        deadLetter(),
        volumePrompt(),
        volumeMask(),
        trainerStatus(),
        orthancPosition());
  }

  static ScanEvent scan() {
    return ScanEvent.newBuilder()
        .setScanId("scan-1")
        .setSeriesUid("1.2.840.113619.2.55")
        .setSourceUri("/usr/share/mricron/templates/ch2.nii.gz")
        .setSourceKind(SourceKind.NIFTI)
        .setModality("MR")
        .setAxes(List.of("axial", "coronal"))
        .setCtWindowLow(-500.0)
        .setCtWindowHigh(1000.0)
        .setRequestedAt(AT)
        .setSlices(List.of(90, 91))
        .setOrthanc(
            OrthancSource.newBuilder()
                .setServer("pacs")
                .setSeriesId("6b9e19d9-62094390-5f9ddb01-4a191ae7-9766b715")
                .build())
        .build();
  }

  static OrthancPosition orthancPosition() {
    return OrthancPosition.newBuilder()
        .setServer("pacs")
        .setLastChange(1234L)
        .setSeriesAnnounced(2)
        .setUpdatedAt(AT)
        .build();
  }

  static ImageSlice slice() {
    final byte[] pixels = new byte[181 * 217];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 31);
    }
    return ImageSlice.newBuilder()
        .setSliceKey(SLICE_KEY)
        .setSeriesUid("1.2.840.113619.2.55")
        .setAxis("axial")
        .setIndex(90)
        .setHeight(217)
        .setWidth(181)
        .setChannels(1)
        .setPixels(ByteBuffer.wrap(pixels))
        .setPixelSpacingRow(1.0)
        .setPixelSpacingCol(1.0)
        .setSlicePosition(-18.0)
        .setModality("MR")
        .setSourceUri("file:/data/ch2.nii.gz")
        .setScanId("scan-1")
        .setCreatedAt(AT)
        .build();
  }

  static SliceEmbedding embedding() {
    final byte[] halfs = new byte[2 * 256 * 4 * 4];
    for (int i = 0; i < halfs.length; i++) {
      halfs[i] = (byte) (i % 251);
    }
    return SliceEmbedding.newBuilder()
        .setSliceKey(SLICE_KEY)
        .setSeriesUid("1.2.840.113619.2.55")
        .setEncoderModelId("medsam-tiny-brain/1.0/sha256:ab12")
        .setShape(List.of(256, 4, 4))
        .setDtype("float16")
        .setData(ByteBuffer.wrap(halfs))
        .setImageHeight(217)
        .setImageWidth(181)
        .setPixelSpacingRow(1.0)
        .setPixelSpacingCol(1.0)
        .setEncodeMillis(12.5)
        .setEncodedAt(AT)
        .build();
  }

  static BoxPrompt prompt() {
    return BoxPrompt.newBuilder()
        .setPromptId("prompt-7")
        .setSliceKey(SLICE_KEY)
        .setBox(new Box(10f, 20f, 110.5f, 96f))
        .setLabel("hippocampus")
        .setRequestedAt(AT)
        .build();
  }

  static MaskResult mask() {
    return MaskResult.newBuilder()
        .setPromptId("prompt-7")
        .setSliceKey(SLICE_KEY)
        .setStatus(MaskStatus.OK)
        .setReason(null)
        .setMask(new RleMask(217, 181, "61X13mN000`ML3"))
        .setBbox(List.of(10f, 20f, 100f, 76f))
        .setArea(5321L)
        .setScore(0.91f)
        .setLabel("hippocampus")
        .setEncoderModelId("medsam-tiny-brain/1.0/sha256:ab12")
        .setDecoderWeightsVersion("v3")
        .setLatencyMillis(41.0)
        .setDecodeMillis(3.2)
        .setProducedAt(AT)
        .build();
  }

  static Correction correction() {
    return Correction.newBuilder()
        .setCorrectionId("corr-1")
        .setSliceKey(SLICE_KEY)
        .setLabel("hippocampus")
        .setAnnotator("dr.k")
        .setMask(new RleMask(217, 181, "PPYo1"))
        .setBox(new Box(9f, 19f, 111f, 97f))
        .setCreatedAt(AT)
        .build();
  }

  static DecoderWeights weights() {
    final WeightTensor tensor =
        WeightTensor.newBuilder()
            .setName("mask_decoder.iou_prediction_head.layers.0.weight")
            .setShape(List.of(2L, 3L))
            .setDtype("float32")
            .setData(ByteBuffer.wrap(new byte[24]))
            .build();
    return DecoderWeights.newBuilder()
        .setModelId("medsam-tiny-brain")
        .setVersion("v3")
        .setParentVersion("v2")
        .setTensors(List.of(tensor))
        .setHoldoutDscBefore(0.81)
        .setHoldoutDscAfter(0.84)
        .setTrainPairs(120)
        .setHoldoutPairs(30)
        .setTrainerConfig(Map.of("lr", "1e-5", "epochs", "3"))
        .setRollbackOf(null)
        .setCreatedAt(AT)
        .setVerdictReason("held-out DSC +0.0300 >= margin 0.0100; no target worse by > 0.0500")
        .setValidationPairs(12)
        .setExcludedPairs(4)
        .setHeldOutTargets(
            List.of(
                TargetDsc.newBuilder()
                    .setTarget("BA 17")
                    .setPairs(6)
                    .setDscBefore(0.62)
                    .setDscAfter(0.66)
                    .build()))
        .build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder()
        .setSourceTopic("medsam.slices.v1")
        .setSourcePartition(2)
        .setSourceOffset(41L)
        .setKey(SLICE_KEY)
        .setReason("TRUNCATED: ends early")
        .setErrorClass(RecordDecodingException.class.getName())
        .setComponent("encoder")
        .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setFailedAt(AT)
        .build();
  }

  static VolumePrompt volumePrompt() {
    return VolumePrompt.newBuilder()
        .setPromptId("vp-1")
        .setSeriesUid("1.2.840.113619.2.55")
        .setAxis("axial")
        .setBox(new Box(40f, 50f, 90f, 110f))
        .setZ0(70)
        .setZ1(89)
        .setLabel("Thalamus_L")
        .setRequestedAt(AT)
        .build();
  }

  static VolumeMask volumeMask() {
    final SliceStep step =
        SliceStep.newBuilder()
            .setIndex(90)
            .setSliceKey(SLICE_KEY)
            .setPromptId("vp-1/90")
            .setStatus(MaskStatus.OK)
            .setBox(new Box(40f, 50f, 90f, 110f))
            .setBoxSource("prompt")
            .setMask(mask().getMask())
            .setArea(12L)
            .build();
    return VolumeMask.newBuilder()
        .setPromptId("vp-1")
        .setSeriesUid("1.2.840.113619.2.55")
        .setAxis("axial")
        .setStatus(MaskStatus.OK)
        .setBox(new Box(40f, 50f, 90f, 110f))
        .setZ0(90)
        .setZ1(90)
        .setSteps(List.of(step))
        .setVisitedSlices(List.of(90))
        .setProducedAt(AT)
        .build();
  }

  static TrainerStatus trainerStatus() {
    return TrainerStatus.newBuilder()
        .setModelId("medsam-conv32p-ellipse-brain")
        .setTrainer("medsam-trainer")
        .setPairs(12)
        .setNewPairs(3)
        .setPendingCorrections(1)
        .setRejectedCorrections(2L)
        .setMinNewPairs(20)
        .setRunning(false)
        .setRuns(1)
        .setLastRunStartedAt(AT)
        .setLastRunFinishedAt(AT.plusSeconds(30))
        .setLastDecision("REJECTED")
        .setLastVersion("ft1-rejected")
        .setLastReason("gain below margin")
        .setLastHoldoutDscBefore(0.75)
        .setLastHoldoutDscAfter(0.74)
        .setUpdatedAt(AT.plusSeconds(31))
        .build();
  }
}
