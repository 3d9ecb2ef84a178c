package io.medsam.stream.dicom.testing;

import io.medsam.stream.dicom.orthanc.OrthancClient;
import io.medsam.stream.dicom.orthanc.OrthancException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Orthanc (Debian package {@code orthanc}) started as a plain process for one test: {@code
 * Orthanc config.json} with free HTTP and DICOM ports, storage and index in a temporary folder,
 * StableAge 1 s, the GDCM plugin when {@code orthanc-gdcm} is installed. A test fails, naming the
 * package, when Orthanc is absent (dev/setup installs it). Shared with other modules' tests through
 * this module's test-jar.
 */
public final class OrthancProcess implements AutoCloseable {
  /** The Debian package's server binary. */
  public static final Path BINARY = Path.of("/usr/sbin/Orthanc");

  /** The Debian package orthanc-gdcm's plugin. */
  public static final Path GDCM_PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancGdcm.so");

  /** The AE title Orthanc answers C-STORE as. */
  public static final String AE_TITLE = "MEDSAMTEST";

  private final Process process;
  private final Path log;
  private final int httpPort;
  private final int dicomPort;

  private OrthancProcess(
      final Process process, final Path log, final int httpPort, final int dicomPort) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.dicomPort = dicomPort;
  }

  /** Starts Orthanc in {@code folder} and waits (at most 60 s) until its REST API answers. */
  public static OrthancProcess start(final Path folder) throws IOException, InterruptedException {
    ExternalTool.require(BINARY, "orthanc");
    final int http = freePort();
    final int dicom = freePort();
    final String plugins = Files.isRegularFile(GDCM_PLUGIN) ? "[\"" + GDCM_PLUGIN + "\"]" : "[]";
    final String config =
        """
        {
          "Name": "medsam-test",
          "HttpPort": %d,
          "DicomPort": %d,
          "DicomAet": "%s",
          "StorageDirectory": "%s",
          "IndexDirectory": "%s",
          "RemoteAccessAllowed": false,
          "AuthenticationEnabled": false,
          "DicomCheckCalledAet": false,
          "StableAge": 1,
          "Plugins": %s
        }
        """
            .formatted(
                http, dicom, AE_TITLE, folder.resolve("storage"), folder.resolve("index"), plugins);
    final Path configFile = folder.resolve("config.json");
    Files.writeString(configFile, config);
    final Process p =
        new ProcessBuilder(BINARY.toString(), configFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve("orthanc.log").toFile())
            .start();
    final OrthancProcess orthanc =
        new OrthancProcess(p, folder.resolve("orthanc.log"), http, dicom);
    final OrthancClient client = orthanc.client();
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        client.version();
        return orthanc;
      } catch (final OrthancException e) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          orthanc.close();
          throw new IOException(
              "Orthanc did not start: " + Files.readString(folder.resolve("orthanc.log")), e);
        }
        Thread.sleep(200);
      }
    }
  }

  /** A REST client of this Orthanc. */
  public OrthancClient client() {
    return new OrthancClient(URI.create("http://127.0.0.1:" + httpPort), Duration.ofSeconds(30));
  }

  /**
   * Sends {@code fileOrFolder} (every file in a folder) to this Orthanc over DICOM C-STORE with
   * dcmtk's {@code storescu}.
   *
   * @throws IOException when storescu fails (its output in the message)
   */
  public void cStore(final Path fileOrFolder) throws IOException, InterruptedException {
    ExternalTool.require(ExternalTool.STORESCU, "dcmtk");
    final ExternalTool.Result r =
        ExternalTool.run(
            List.of(
                ExternalTool.STORESCU.toString(),
                "-aec",
                AE_TITLE,
                "+sd",
                "127.0.0.1",
                Integer.toString(dicomPort),
                fileOrFolder.toString()));
    if (r.exitCode() != 0) {
      throw new IOException("storescu failed: " + r.output());
    }
  }

  /** The HTTP port. */
  public int httpPort() {
    return httpPort;
  }

  /** The DICOM (C-STORE) port. */
  public int dicomPort() {
    return dicomPort;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Stops Orthanc.
   *
   * @throws IllegalStateException when Orthanc had died during the test (with its log's end)
   */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      String tail;
      try {
        final String text = Files.readString(log);
        tail = text.substring(Math.max(0, text.length() - 2000));
      } catch (final IOException e) {
        tail = "(no log: " + e + ")";
      }
      throw new IllegalStateException(
          "Orthanc died during the test (exit "
              + process.exitValue()
              + "); its log ends:\n"
              + tail);
    }
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
