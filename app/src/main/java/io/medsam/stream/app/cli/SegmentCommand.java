package io.medsam.stream.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.app.client.PipelineSession;
import io.medsam.stream.app.eval.ProgressBar;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.app.pipeline.WorkerStartException;
import io.medsam.stream.avro.MaskResult;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.client.PipelineClient;
import io.medsam.stream.client.PipelineTimeoutException;
import io.medsam.stream.client.ReceivedMask;
import io.medsam.stream.client.SentPrompt;
import io.medsam.stream.dicom.seg.Segment;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.mask.BinaryMask;
import io.medsam.stream.imaging.mask.MaskPng;
import io.medsam.stream.imaging.preprocess.PixelBox;
import io.medsam.stream.ingest.ScanPublisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code medsam segment}: one box prompt through the pipeline, one mask back. */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    description = {
      "Segment one box on one slice through the pipeline: ingest the image, wait for the "
          + "slice's embedding, send a BoxPrompt, wait for its MaskResult.",
      "Writes the mask as PNG (--out) and as COCO RLE JSON beside it; prints score, area, "
          + "latency and decoder version. With --seg-out / --seg-orthanc also the mask (or the"
          + " walked 3D mask of --box3d) as a DICOM SEG of the DICOM source."
    })
public final class SegmentCommand implements Callable<Integer> {

  @Mixin private CommonOptions common = new CommonOptions();

  @Option(
      names = "--image",
      required = true,
      paramLabel = "FILE",
      description = "NIfTI, DICOM file or series folder, PNG or JPEG")
  private Path image;

  @Option(
      names = "--slice",
      paramLabel = "AXIS:INDEX",
      description =
          "e.g. axial:80; only this slice is ingested and encoded (default: the middle axial"
              + " slice of a volume; 2d:0 for a PNG/JPEG or a one-slice volume, which also takes"
              + " axial:0)")
  private String slice;

  @Option(
      names = "--box",
      split = ",",
      paramLabel = "x0,y0,x1,y1",
      description = "box in pixel coordinates of the slice (x = column, y = row)")
  private List<Double> box;

  @Option(
      names = "--box3d",
      split = ",",
      paramLabel = "x0,y0,z0,x1,y1,z1",
      description =
          "3D box instead of --box: x/y in pixels of the slices, z0-z1 the slice range along"
              + " --axis (inclusive); the pipeline segments the middle slice and walks to z1 and"
              + " z0 (LiteMedSAM's 3D inference); --out gets a NIfTI mask on the scan's grid")
  private List<Double> box3d;

  @Option(
      names = "--axis",
      defaultValue = "axial",
      description = "slice axis of --box3d: axial, coronal, sagittal (default: ${DEFAULT-VALUE})")
  private String axis;

  @Option(
      names = "--out",
      paramLabel = "mask.png",
      defaultValue = "mask.png",
      description =
          "mask PNG, the RLE JSON next to it; with --box3d a NIfTI file, e.g. mask.nii.gz"
              + " (default: ${DEFAULT-VALUE})")
  private Path out;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      defaultValue = BundleLocation.DEMO_DIR,
      description = "model bundle of workers started here (default: ${DEFAULT-VALUE})")
  private Path bundle;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "300",
      description =
          "longest wait for the embedding, and again for the mask (default: " + "${DEFAULT-VALUE})")
  private long timeoutSeconds;

  @Mixin private SegOutOptions seg = new SegOutOptions();

  @Option(
      names = "--seg-label",
      paramLabel = "NAME",
      defaultValue = "segment",
      description =
          "SegmentLabel of the one segment --seg-out / --seg-orthanc write (default:"
              + " ${DEFAULT-VALUE})")
  private String segLabel;

  @Spec private CommandSpec spec;

  @Override
  public Integer call()
      throws BrokerStartException,
          WorkerStartException,
          IOException,
          InterruptedException,
          PipelineTimeoutException {
    if ((box == null) == (box3d == null)) {
      throw new IllegalArgumentException("give one of --box x0,y0,x1,y1 and --box3d");
    }
    if (box3d != null) {
      // checked against the volume before any broker or worker starts, as is the SEG's source
      final VolumeSegmentation walk =
          VolumeSegmentation.prepare(image, SliceAxis.fromWireName(axis), box3d);
      final Optional<SegOutOptions.Destination> segOut = prepareSeg();
      try (KafkaEndpoint kafka = common.connect();
          PipelineSession session = PipelineClientOptions.open(kafka, bundle, common)) {
        final PrintWriter stdout = spec.commandLine().getOut();
        final VolumeSegmentation.Walked walked =
            walk.run(out, session.client(), Duration.ofSeconds(timeoutSeconds), stdout);
        if (segOut.isPresent()) {
          writeSeg(
              segOut.get(),
              walk.axis(),
              walked.masks(),
              "MedSAM segment --box3d",
              walked.encoderModelId(),
              walked.decoderVersion(),
              stdout);
        }
        return 0;
      }
    }
    if (box.size() != 4) {
      throw new IllegalArgumentException("--box needs x0,y0,x1,y1");
    }
    final SegmentTarget target = SegmentTarget.resolve(image, slice);
    final PixelBox prompt =
        target.check(new PixelBox(box.get(0), box.get(1), box.get(2), box.get(3)));
    final Optional<SegOutOptions.Destination> segOut = prepareSeg();
    final ScanEvent scan =
        ScanPublisher.describe(image, null, target.ingestAxis(), List.of(target.index()));
    final String key = target.axis().sliceKey(scan.getSeriesUid(), target.index());
    final PrintWriter stdout = spec.commandLine().getOut();
    try (KafkaEndpoint kafka = common.connect();
        PipelineSession session = PipelineClientOptions.open(kafka, bundle, common)) {
      final PipelineClient client = session.client();
      final ProgressBar bar = ProgressBar.onStderr();
      final Duration timeout = Duration.ofSeconds(timeoutSeconds);
      client.prepare(scan, List.of(key), timeout, n -> bar.update("embedding", n, 1));
      bar.finishLine();
      final SentPrompt sent = client.send(key, prompt, null);
      client.flush();
      final ReceivedMask received = client.await(sent, timeout);
      final MaskResult r = received.result();
      if (!received.ok()) {
        throw new IllegalStateException(
            "the decoder answered "
                + r.getStatus()
                + (r.getReason() == null ? "" : ": " + r.getReason()));
      }
      final BinaryMask mask = received.mask();
      final Path parent = out.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      MaskPng.write(mask, out);
      final Path json = rleFile(out);
      Files.writeString(json, rleJson(key, r));
      stdout.printf("slice %s box %s%n", key, prompt);
      stdout.printf(
          "score %.4f  area %d px  latency %.0f ms (in the decoder worker %.0f ms)  "
              + "decoder %s  encoder %s%n",
          r.getScore(),
          r.getArea(),
          received.roundTripMillis(),
          r.getLatencyMillis(),
          r.getDecoderWeightsVersion(),
          r.getEncoderModelId());
      stdout.printf("mask %s, COCO RLE %s%n", out, json);
      stdout.flush();
      if (segOut.isPresent()) {
        writeSeg(
            segOut.get(),
            target.axis(),
            Map.of(target.index(), mask),
            "MedSAM segment",
            r.getEncoderModelId(),
            r.getDecoderWeightsVersion(),
            stdout);
      }
    }
    return 0;
  }

  /** The SEG destination, checked with the label before anything is sent; empty when not asked. */
  private Optional<SegOutOptions.Destination> prepareSeg() throws IOException {
    final Optional<SegOutOptions.Destination> d = seg.prepare(image);
    if (d.isPresent()) {
      try {
        Segment.checkLabel(segLabel);
      } catch (final IllegalArgumentException e) {
        throw new IllegalArgumentException("--seg-label: " + e.getMessage(), e);
      }
    }
    return d;
  }

  private void writeSeg(
      final SegOutOptions.Destination d,
      final SliceAxis sliceAxis,
      final Map<Integer, BinaryMask> masks,
      final String description,
      final String encoderModelId,
      final String decoderVersion,
      final PrintWriter stdout)
      throws IOException {
    d.write(
        List.of(d.source().segment(segLabel, sliceAxis, masks)),
        description,
        encoderModelId + " decoder " + decoderVersion,
        stdout);
  }

  static Path rleFile(final Path png) {
    final String name = png.getFileName().toString();
    final String stem =
        name.toLowerCase(java.util.Locale.ROOT).endsWith(".png")
            ? name.substring(0, name.length() - 4)
            : name;
    return png.resolveSibling(stem + ".json");
  }

  static String rleJson(final String sliceKey, final MaskResult r) throws IOException {
    final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    final ObjectNode root = json.createObjectNode();
    root.put("slice_key", sliceKey);
    root.put("prompt_id", r.getPromptId());
    final ObjectNode seg = root.putObject("segmentation");
    seg.putArray("size").add(r.getMask().getHeight()).add(r.getMask().getWidth());
    seg.put("counts", r.getMask().getCounts());
    final var bbox = root.putArray("bbox");
    if (r.getBbox() != null) {
      r.getBbox().forEach(bbox::add);
    }
    root.put("area", r.getArea());
    root.put("score", r.getScore());
    root.put("decoder_version", r.getDecoderWeightsVersion());
    root.put("encoder_model_id", r.getEncoderModelId());
    return json.writeValueAsString(root) + "\n";
  }
}
