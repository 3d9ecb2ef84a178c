package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.avro.Correction;
import io.medsam.stream.client.CorrectionFeed;
import io.medsam.stream.client.LabelledSlices;
import io.medsam.stream.imaging.SliceAxis;
import io.medsam.stream.imaging.nifti.NiftiReader;
import io.medsam.stream.ingest.SeriesIds;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medsam correct}: publishes a label volume's slices as clinicians' corrections (one per
 * 8-connected component of at least 100 pixels of each target, with its box), waits until the
 * trainer has taken them in, and prints how many were accepted and rejected.
 */
@Command(
    name = "correct",
    mixinStandardHelpOptions = true,
    description = "Publish corrections from a label volume and wait for the trainer's decisions.")
public final class CorrectCommand implements Callable<Integer> {

  @Mixin private CommonOptions common = new CommonOptions();

  @Option(
      names = "--image",
      required = true,
      paramLabel = "IMG.nii.gz",
      description = "the image the labels belong to (its series id names the slices)")
  private Path image;

  @Option(
      names = "--labels",
      required = true,
      paramLabel = "LABELS.nii.gz",
      description = "label volume on the image's grid")
  private Path labels;

  @Option(
      names = "--label-ids",
      split = ",",
      paramLabel = "ID",
      description = "labels to use (default: every non-zero label)")
  private List<Integer> labelIds = new ArrayList<>();

  @Option(names = "--axis", defaultValue = "axial", description = "axial, coronal or sagittal")
  private String axis;

  @Option(names = "--slices", paramLabel = "FROM-TO", description = "slice range (default: all)")
  private String slices;

  @Option(
      names = "--series",
      description =
          "series id (default: the ingest rule, " + "<file stem>-<16 hex of the image's SHA-256>)")
  private String series;

  @Option(names = "--trainer-group", defaultValue = "medsam-trainer")
  private String trainerGroup;

  @Option(names = "--wait", defaultValue = "PT5M", description = "how long to wait (ISO-8601)")
  private Duration wait;

  @Spec private CommandSpec spec;

  @Override
  public Integer call()
      throws IOException, BrokerStartException, ExecutionException, InterruptedException {
    final PrintWriter out = spec.commandLine().getOut();
    final int from = slices == null ? 0 : Integer.parseInt(slices.split("-")[0]);
    final int to = slices == null ? Integer.MAX_VALUE : Integer.parseInt(slices.split("-")[1]);
    final String uid = series != null ? series : SeriesIds.fromFile(image);
    final List<Correction> corrections =
        LabelledSlices.corrections(
            NiftiReader.read(labels),
            uid,
            SliceAxis.fromWireName(axis),
            labelIds,
            from,
            to,
            "medsam-correct",
            Instant.now());
    try (KafkaEndpoint kafka = common.connect()) {
      final CorrectionFeed.Report r =
          CorrectionFeed.publishAndWait(kafka.bootstrapServers(), corrections, trainerGroup, wait);
      r.reasons().forEach(reason -> out.println("rejected " + reason));
      out.printf(
          "{\"published\":%d,\"accepted\":%d,\"rejected\":%d,\"complete\":%b}%n",
          r.published(), r.accepted(), r.rejected(), r.complete());
      out.flush();
      return r.complete() ? 0 : 2;
    }
  }
}
