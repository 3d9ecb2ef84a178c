package io.medsam.stream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.medsam.stream.app.Medsam;
import io.medsam.stream.decoder.DecoderWorker;
import io.medsam.stream.decoder.DecoderWorkerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * compose/docker-compose.yml runs the decoder on a 3-broker cluster with {@code
 * --replication-factor 3}, and Kafka Streams' own {@code replication.factor} (its changelog and
 * repartition topics) follows it: the decoder service's command, parsed as {@code medsam run}
 * parses it, builds a Streams configuration with replication.factor 3. Without it, Streams would
 * take the brokers' default (1 in compose), and a lost broker would lose the decoder's state.
 */
class ComposeReplicationTest {

  private static final Path COMPOSE =
      Path.of("..").toAbsolutePath().normalize().resolve("compose/docker-compose.yml");

  @Test
  void theDecodersStreamsInternalTopicsGetTheRunsReplicationFactor() throws Exception {
    final JsonNode decoder =
        new YAMLMapper().readTree(COMPOSE.toFile()).path("services").path("decoder");
    final List<String> args = new ArrayList<>();
    decoder.path("command").forEach(a -> args.add(a.asText()));
    assertThat(args).containsSequence("--role", "decoder");
    assertThat(args).containsSequence("--replication-factor", "3");

    final CommandLine.ParseResult parsed =
        Medsam.commandLine().parseArgs(args.toArray(String[]::new));
    final RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
    final DecoderWorkerConfig config =
        run.decoderSettings()
            .apply(DecoderWorkerConfig.defaults("kafka-1:9092", Path.of("bundle")));
    final Properties streams = DecoderWorker.streamsProperties(config);
    assertThat(String.valueOf(streams.get(StreamsConfig.REPLICATION_FACTOR_CONFIG))).isEqualTo("3");
    assertThat(new StreamsConfig(streams).getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG))
        .isEqualTo(3);
  }

  @Test
  void aRunWithoutTheOptionKeepsOneReplicaAsTheEmbeddedBrokerHas() throws Exception {
    final CommandLine.ParseResult parsed =
        Medsam.commandLine().parseArgs("run", "--role", "decoder");
    final RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
    final Properties streams =
        DecoderWorker.streamsProperties(
            run.decoderSettings()
                .apply(DecoderWorkerConfig.defaults("localhost:9092", Path.of("bundle"))));
    assertThat(new StreamsConfig(streams).getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG))
        .isEqualTo(1);
  }
}
