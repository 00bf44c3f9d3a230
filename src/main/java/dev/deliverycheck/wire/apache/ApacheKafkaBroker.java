package dev.deliverycheck.wire.apache;

import dev.deliverycheck.wire.process.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka 4.4 broker as a child process: one KRaft node (broker and controller) on two free
 * loopback ports, with its data in a fresh temporary directory. It can be killed with SIGKILL and restarted on
 * the same data and ports.
 *
 * <p>Invariants ({@link ChildProcess}'s): while this object is open at most one child process runs, and
 * {@link #close()} (or, if the caller never gets there, a JVM shutdown hook) stops it and deletes the directory.
 * Every wait is bounded.
 */
public final class ApacheKafkaBroker implements AutoCloseable {
    /** How long a start (format excluded) may take before it counts as failed; measured 4-8 s on 2 cores. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-Xms128m", "-Djava.awt.headless=true");

    private final String classpath;
    private final ChildProcess child;
    private final Path dir;
    private final int port;
    private final int controllerPort;

    private ApacheKafkaBroker(String classpath, ChildProcess child, int port, int controllerPort) {
        this.classpath = classpath;
        this.child = child;
        this.dir = child.directory();
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a fresh store and starts the broker, with the classpath Maven resolved ({@link KafkaBrokerClasspath}). */
    public static ApacheKafkaBroker start() throws IOException {
        return start(KafkaBrokerClasspath.locate());
    }

    /** Formats a fresh store and starts the broker; returns once it answers a client, or throws. */
    public static ApacheKafkaBroker start(String classpath) throws IOException {
        ChildProcess child = ChildProcess.create("the Kafka broker", "deliverycheck-kafka-");
        int[] ports = ChildProcess.freePorts(2);
        ApacheKafkaBroker broker = new ApacheKafkaBroker(classpath, child, ports[0], ports[1]);
        try {
            broker.format();
            broker.launch();
            return broker;
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** "127.0.0.1:PORT", the client listener. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The directory holding the configuration, the KRaft store, the logs and the broker's output. */
    public Path directory() {
        return dir;
    }

    /** The directory of the partition logs. */
    public Path logDir() {
        return dir.resolve("data");
    }

    public boolean running() {
        return child.running();
    }

    /** kill -9: SIGKILL, no shutdown of any kind; returns once the process is gone. */
    public void kill() {
        child.kill();
    }

    /** Starts the broker again on the same data and ports (killing it first if it still runs). */
    public synchronized void restart() throws IOException {
        child.kill();
        launch();
    }

    @Override
    public void close() {
        child.close();
    }

    private void format() throws IOException {
        Files.createDirectories(logDir());
        writeProperties();
        // Uuid.randomUuid() is what 'StorageTool random-uuid' prints; calling it here saves a JVM start (~2.4 s).
        String clusterId = Uuid.randomUuid().toString();
        Path log = dir.resolve("format.log");
        int code = child.run(JVM_OPTIONS, classpath, List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
                properties().toString(), "--standalone"), log, FORMAT_TIMEOUT);
        if (code != 0) {
            throw new IOException("kafka.tools.StorageTool format failed (exit " + code + "): " + ChildProcess.lastLine(log));
        }
    }

    /** Starts the broker; ready means it answers a client with itself as a live broker. */
    private synchronized void launch() throws IOException {
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        try (Admin admin = Admin.create(conf)) {
            child.start(JVM_OPTIONS, classpath, List.of("kafka.Kafka", properties().toString()), dir.resolve("broker.log"),
                    START_TIMEOUT, "serve", () -> {
                        try {
                            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
                        } catch (ExecutionException | TimeoutException notYet) {
                            return false; // not serving yet: asked again until the deadline
                        }
                    });
        }
    }

    private Path properties() {
        return dir.resolve("server.properties");
    }

    private void writeProperties() throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", logDir().toString());
        p.setProperty("metadata.log.dir", dir.resolve("metadata").toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        // One transaction-log partition: a fresh broker loads it at once (50 take seconds on 2 cores).
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "1");
        try (var out = Files.newBufferedWriter(properties(), StandardCharsets.UTF_8)) {
            p.store(out, "deliverycheck: one KRaft node on loopback");
        }
    }
}
