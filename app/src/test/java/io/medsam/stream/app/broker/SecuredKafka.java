package io.medsam.stream.app.broker;

import io.medsam.stream.topology.TopicProvisioner;
import io.medsam.stream.topology.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;

/**
 * A real one-node KRaft cluster in this JVM with a SASL_SSL listener ({@code SECURE}: SCRAM-SHA-512
 * over TLS, with a certificate for {@code localhost} made here by the JDK's keytool) beside a
 * plaintext one for the broker itself and for the test's set-up ({@code EXTERNAL}: SCRAM
 * credentials and topics are created through it). The pipeline's clients use only the secure one.
 */
public final class SecuredKafka implements AutoCloseable {
  /** The SCRAM user the pipeline authenticates as. */
  public static final String USER = "medsam-pipeline";

  /** Its password. */
  public static final String PASSWORD = "a-secret-of-the-test";

  private static final String STORE_PASSWORD = "store-secret";
  private static final ListenerName SECURE = ListenerName.normalised("SECURE");
  private static final ListenerName PLAIN = ListenerName.normalised("EXTERNAL");

  private final KafkaClusterTestKit cluster;
  private final Path truststore;

  private SecuredKafka(final KafkaClusterTestKit cluster, final Path truststore) {
    this.cluster = cluster;
    this.truststore = truststore;
  }

  /**
   * Makes the certificate, starts the broker, creates {@link #USER} and every MedSAM topic.
   *
   * @param dir an empty directory for the key and trust stores
   * @return the running cluster
   * @throws Exception when any step fails
   */
  public static SecuredKafka start(final Path dir) throws Exception {
    return start(dir, false);
  }

  /**
   * As {@link #start(Path)}; with {@code authorize}, the broker also checks ACLs (Kafka's
   * StandardAuthorizer, the plaintext listener's anonymous user a super user) and {@link #USER} is
   * allowed everything until {@link #revokeAll()}.
   *
   * @param dir an empty directory for the key and trust stores
   * @param authorize whether the broker checks ACLs
   * @return the running cluster
   * @throws Exception when any step fails
   */
  public static SecuredKafka start(final Path dir, final boolean authorize) throws Exception {
    final Path keystore = dir.resolve("broker.p12");
    final Path truststore = dir.resolve("truststore.p12");
    makeCertificate(keystore, truststore, dir.resolve("broker.crt"));
    final String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    final KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBrokerListenerName(PLAIN)
                    .build())
            .setConfigProp(
                "listeners", "EXTERNAL://localhost:0,SECURE://localhost:0,CONTROLLER://localhost:0")
            .setConfigProp(
                "listener.security.protocol.map",
                "EXTERNAL:PLAINTEXT,SECURE:SASL_SSL,CONTROLLER:PLAINTEXT")
            .setConfigProp("sasl.enabled.mechanisms", "SCRAM-SHA-512")
            .setConfigProp("listener.name.secure.scram-sha-512.sasl.jaas.config", jaas)
            .setConfigProp("listener.name.secure.ssl.keystore.type", "PKCS12")
            .setConfigProp("listener.name.secure.ssl.keystore.location", keystore.toString())
            .setConfigProp("listener.name.secure.ssl.keystore.password", STORE_PASSWORD)
            .setConfigProp("listener.name.secure.ssl.key.password", STORE_PASSWORD)
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("transaction.state.log.num.partitions", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("message.max.bytes", String.valueOf(64 << 20));
    if (authorize) {
      builder
          .setConfigProp("authorizer.class.name", StandardAuthorizer.class.getName())
          .setConfigProp("super.users", "User:ANONYMOUS");
    }
    final KafkaClusterTestKit cluster = builder.build();
    final SecuredKafka kafka = new SecuredKafka(cluster, truststore);
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.plaintextServers()))) {
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        USER,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        PASSWORD)))
            .all()
            .get(60, TimeUnit.SECONDS);
        TopicProvisioner.ensure(admin, Topics.all());
        if (authorize) {
          admin.createAcls(grants()).all().get(60, TimeUnit.SECONDS);
        }
      }
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  private static List<AclBinding> grants() {
    final AccessControlEntry all =
        new AccessControlEntry("User:" + USER, "*", AclOperation.ALL, AclPermissionType.ALLOW);
    return List.of(
        new AclBinding(new ResourcePattern(ResourceType.TOPIC, "*", PatternType.LITERAL), all),
        new AclBinding(new ResourcePattern(ResourceType.GROUP, "*", PatternType.LITERAL), all),
        new AclBinding(
            new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "*", PatternType.LITERAL), all),
        new AclBinding(
            new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), all));
  }

  /**
   * Takes every permission of {@link #USER} away, as an operator revoking its ACLs would.
   *
   * @throws Exception when the broker does not confirm
   */
  public void revokeAll() throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintextServers()))) {
      admin
          .deleteAcls(
              List.of(
                  new AclBindingFilter(
                      ResourcePatternFilter.ANY,
                      new AccessControlEntryFilter(
                          "User:" + USER, null, AclOperation.ANY, AclPermissionType.ANY))))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * @return the SASL_SSL listener, the only one the pipeline is given
   */
  public String secureServers() {
    return "localhost:" + broker().boundPort(SECURE);
  }

  /**
   * @return the plaintext listener (set-up and inter-broker traffic only)
   */
  public String plaintextServers() {
    return "localhost:" + broker().boundPort(PLAIN);
  }

  /**
   * Kafka client properties for the secure listener, as a user would write them.
   *
   * @param password the SCRAM password to present
   * @return the file's text
   */
  public String clientProperties(final String password) {
    return String.join(
        "\n",
        "security.protocol=SASL_SSL",
        "sasl.mechanism=SCRAM-SHA-512",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\",
        "  username=\"" + USER + "\" password=\"" + password + "\";",
        "ssl.truststore.type=PKCS12",
        "ssl.truststore.location=" + truststore,
        "ssl.truststore.password=" + STORE_PASSWORD,
        "");
  }

  private kafka.server.BrokerServer broker() {
    return cluster.brokers().values().iterator().next();
  }

  /** A self-signed RSA key for localhost (PKCS12), and a trust store holding its certificate. */
  private static void makeCertificate(final Path keystore, final Path truststore, final Path cert)
      throws IOException, InterruptedException {
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost,ip:127.0.0.1",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-keypass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "broker",
        "-keystore",
        keystore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        STORE_PASSWORD);
  }

  private static void keytool(final String... args) throws IOException, InterruptedException {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
