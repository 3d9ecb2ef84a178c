package io.medsam.stream.app.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.medsam.stream.app.Medsam;
import io.medsam.stream.app.pipeline.BundleLocation;
import io.medsam.stream.app.pipeline.Role;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * compose/ checked without a Docker engine: the file parses (YAML anchors and merge keys resolved,
 * as compose does), every MedSAM service's command is a valid {@code medsam run} of one real role,
 * bundles and jars exist where the Dockerfile puts them, Prometheus scrapes each service's metrics
 * port, and Kafka is a 3-voter KRaft cluster of apache/kafka.
 */
class ComposeFileTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path COMPOSE = ROOT.resolve("compose");
  private static final String IMAGE_BUNDLES = "/opt/medsam/bundles/";

  private static Map<String, Map<String, Object>> services;
  private static String dockerfile;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws IOException {
    try (Reader in = Files.newBufferedReader(COMPOSE.resolve("docker-compose.yml"))) {
      final Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      services = (Map<String, Map<String, Object>>) doc.get("services");
    }
    dockerfile = Files.readString(COMPOSE.resolve("Dockerfile"));
  }

  private static Map<String, Map<String, Object>> medsamServices() {
    final Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    services.forEach(
        (name, s) -> {
          if (String.valueOf(s.get("image")).startsWith("medsam-stream")) {
            out.put(name, s);
          }
        });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> command(final Map<String, Object> service) {
    return ((List<Object>) service.get("command")).stream().map(String::valueOf).toList();
  }

  private static String option(final List<String> args, final String name) {
    final int i = args.indexOf(name);
    return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
  }

  @Test
  void everyMedsamCommandParsesAsRunOfOneRealRoleAndAllRolesAreDeployed() {
    final Set<Role> deployed = EnumSet.noneOf(Role.class);
    assertThat(medsamServices()).hasSizeGreaterThanOrEqualTo(4);
    medsamServices()
        .forEach(
            (name, service) -> {
              final List<String> args = command(service);
              final ParseResult parsed =
                  Medsam.commandLine().parseArgs(args.toArray(String[]::new));
              assertThat(parsed.hasSubcommand()).as(name).isTrue();
              final ParseResult run = parsed.subcommand();
              assertThat(run.commandSpec().name()).as(name).isEqualTo("run");
              final Set<Role> roles = Role.parse(run.matchedOptionValue("--role", "all"));
              assertThat(roles).as(name + " runs one role").hasSize(1);
              deployed.addAll(roles);
              assertThat(run.matchedOptionValue("--bootstrap-servers", (String) null))
                  .as(name)
                  .isNotNull();
            });
    assertThat(deployed).isEqualTo(EnumSet.allOf(Role.class));
  }

  @Test
  void aBadCommandWouldBeCaught() {
    final CommandLine cl = Medsam.commandLine();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> cl.parseArgs("run", "--role", "encoder", "--replication-factr", "3"))
        .isInstanceOf(CommandLine.ParameterException.class);
  }

  @Test
  void bundlesInCommandsAreTheRepositoryBundlesTheImageCopies() {
    assertThat(dockerfile)
        .containsPattern(
            "COPY --from=build /src/model/bundles "
                + Pattern.quote(IMAGE_BUNDLES.replaceAll("/$", "")));
    medsamServices()
        .forEach(
            (name, service) -> {
              final List<String> args = command(service);
              final String bundle = option(args, "--bundle");
              final Role role = Role.parse(option(args, "--role")).iterator().next();
              if (!role.needsBundle()) {
                return; // ingest and the Orthanc bridge have no model
              }
              assertThat(bundle)
                  .as(name + " names its bundle")
                  .isNotNull()
                  .startsWith(IMAGE_BUNDLES);
              final Path inRepo =
                  ROOT.resolve("model/bundles").resolve(bundle.substring(IMAGE_BUNDLES.length()));
              assertThat(inRepo.getFileName()).isEqualTo(BundleLocation.DEMO.getFileName());
              assertThat(inRepo.resolve("manifest.json"))
                  .as(
                      name
                          + ": "
                          + inRepo
                          + " (the image gets "
                          + "model/bundles/ from the build; the demo bundle must be built and committed)")
                  .isRegularFile();
            });
  }

  @Test
  void dockerfileCopiesWhatTheBuildProduces() throws IOException {
    final String appPom = Files.readString(ROOT.resolve("app/pom.xml"));
    assertThat(appPom)
        .contains("<finalName>medsam</finalName>")
        .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>")
        .contains("<classpathPrefix>lib/</classpathPrefix>");
    assertThat(dockerfile)
        .contains("./mvnw")
        .contains("install")
        .containsPattern("COPY --from=build /src/app/target/medsam\\.jar (\\S+)/medsam\\.jar")
        .containsPattern("COPY --from=build /src/app/target/lib (\\S+)/lib");
    final Matcher jar =
        Pattern.compile("COPY --from=build /src/app/target/medsam\\.jar (\\S+)/medsam\\.jar")
            .matcher(dockerfile);
    final Matcher lib =
        Pattern.compile("COPY --from=build /src/app/target/lib (\\S+)/lib").matcher(dockerfile);
    assertThat(jar.find() && lib.find()).isTrue();
    assertThat(jar.group(1))
        .as("lib/ sits beside the jar (manifest Class-Path)")
        .isEqualTo(lib.group(1));
    assertThat(dockerfile).contains("-jar " + jar.group(1) + "/medsam.jar");
  }

  @Test
  @SuppressWarnings("unchecked")
  void kafkaIsThreeKraftVotersOfApacheKafkaAndMedsamUsesThem() {
    final Map<String, String> voters = new LinkedHashMap<>();
    final List<String> internal = new ArrayList<>();
    services.forEach(
        (name, s) -> {
          if (!String.valueOf(s.get("image")).startsWith("apache/kafka")) {
            return;
          }
          final Map<String, Object> env = (Map<String, Object>) s.get("environment");
          assertThat(String.valueOf(env.get("KAFKA_PROCESS_ROLES")))
              .as(name)
              .contains("controller");
          voters.put(String.valueOf(env.get("KAFKA_NODE_ID")), String.valueOf(s.get("hostname")));
          for (final String voter :
              String.valueOf(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).split(",")) {
            assertThat(voter).matches("\\d+@[\\w-]+:\\d+");
          }
          assertThat(String.valueOf(env.get("KAFKA_ADVERTISED_LISTENERS")))
              .contains("INTERNAL://" + s.get("hostname") + ":9092");
          internal.add(s.get("hostname") + ":9092");
        });
    assertThat(voters).hasSize(3);
    services.values().stream()
        .filter(s -> String.valueOf(s.get("image")).startsWith("apache/kafka"))
        .forEach(
            s -> {
              final String quorum =
                  String.valueOf(
                      ((Map<String, Object>) s.get("environment"))
                          .get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
              voters.forEach((id, host) -> assertThat(quorum).contains(id + "@" + host + ":"));
              assertThat(quorum.split(",")).hasSize(3);
            });
    medsamServices()
        .forEach(
            (name, s) ->
                assertThat(List.of(option(command(s), "--bootstrap-servers").split(",")))
                    .as(name)
                    .isNotEmpty()
                    .allMatch(internal::contains));
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryServiceOnItsMetricsPort() throws IOException {
    final Map<String, Object> prom;
    try (Reader in = Files.newBufferedReader(COMPOSE.resolve("prometheus.yml"))) {
      prom = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    final List<String> targets = new ArrayList<>();
    for (final Object job : (List<Object>) prom.get("scrape_configs")) {
      for (final Object sc : (List<Object>) ((Map<String, Object>) job).get("static_configs")) {
        targets.addAll((List<String>) ((Map<String, Object>) sc).get("targets"));
      }
    }
    medsamServices()
        .forEach(
            (name, s) ->
                assertThat(targets)
                    .as(name)
                    .contains(name + ":" + option(command(s), "--metrics-port")));
  }

  @Test
  void everyServiceOpensItsMetricsToThePrometheusContainerWhileTheDefaultIsLoopback() {
    medsamServices()
        .forEach(
            (name, s) ->
                assertThat(option(command(s), "--metrics-host"))
                    .as(name + ": Prometheus scrapes from another container")
                    .isEqualTo("0.0.0.0"));
    final ParseResult bare = Medsam.commandLine().parseArgs("run");
    assertThat((String) bare.subcommand().commandSpec().findOption("--metrics-host").getValue())
        .as("medsam run without --metrics-host")
        .isEqualTo("127.0.0.1");
  }
}
