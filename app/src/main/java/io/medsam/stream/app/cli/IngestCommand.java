package io.medsam.stream.app.cli;

import io.medsam.stream.app.broker.BrokerStartException;
import io.medsam.stream.app.broker.KafkaEndpoint;
import io.medsam.stream.avro.ScanEvent;
import io.medsam.stream.ingest.ScanPublisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code medsam ingest PATH}: publishes a ScanEvent for a local scan to medsam.scans.v1. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a scan (NIfTI file, DICOM file, folder of one DICOM series, PNG or JPEG) to "
          + "medsam.scans.v1; the ingest worker slices it.",
      "Prints the event as one JSON line (its seriesUid starts every slice key)."
    })
public final class IngestCommand implements Callable<Integer> {

  @Mixin private CommonOptions common = new CommonOptions();

  @Parameters(index = "0", paramLabel = "PATH", description = "the scan")
  private Path path;

  @Option(
      names = "--modality",
      paramLabel = "CT|MR|PET|XRAY|US|ENDO|PATH|...",
      description =
          "modality; CT is windowed in HU, others percentile-normalized "
              + "(default: DICOM's own Modality tag, else OT)")
  private String modality;

  @Option(
      names = "--axis",
      paramLabel = "axial|coronal|sagittal|all",
      defaultValue = "axial",
      description = "axes to slice volumes along (default: ${DEFAULT-VALUE}); 2D images use 2d")
  private String axis;

  @Option(
      names = "--ct-window",
      paramLabel = "LOW,HIGH",
      split = ",",
      description = "CT window in HU (default: -500,1000)")
  private double[] ctWindow;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws BrokerStartException, IOException {
    final ScanEvent event = ScanPublisher.describe(path, modality, axis);
    if (ctWindow != null) {
      if (ctWindow.length != 2 || !(ctWindow[0] < ctWindow[1])) {
        throw new IllegalArgumentException("--ct-window needs LOW,HIGH with LOW < HIGH");
      }
      event.setCtWindowLow(ctWindow[0]);
      event.setCtWindowHigh(ctWindow[1]);
    }
    try (KafkaEndpoint kafka = common.connect();
        ScanPublisher publisher = new ScanPublisher(kafka.bootstrapServers())) {
      publisher.publish(event);
    }
    final PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "{\"scanId\":\"%s\",\"seriesUid\":\"%s\",\"sourceKind\":\"%s\",\"modality\":\"%s\","
            + "\"axes\":\"%s\",\"sourceUri\":\"%s\"}%n",
        event.getScanId(),
        event.getSeriesUid(),
        event.getSourceKind(),
        event.getModality(),
        String.join(",", event.getAxes()),
        event.getSourceUri().replace("\\", "\\\\").replace("\"", "\\\""));
    out.flush();
    return 0;
  }
}
