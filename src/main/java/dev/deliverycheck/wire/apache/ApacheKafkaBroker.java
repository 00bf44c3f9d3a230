package dev.deliverycheck.wire.apache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka 4.4 broker as a child process: one KRaft node (broker and controller) on two free
 * loopback ports, with its data in a fresh temporary directory. It can be killed with SIGKILL and restarted on
 * the same data and ports.
 *
 * <p>Invariants: while this object is open at most one child process runs, and {@link #close()} (or, if the
 * caller never gets there, a JVM shutdown hook) stops it and deletes the directory. Every wait is bounded.
 */
public final class ApacheKafkaBroker implements AutoCloseable {
    /** How long a start (format excluded) may take before it counts as failed; measured 4-8 s on 2 cores. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);

    private final String classpath;
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Thread shutdownHook;
    private Process process;
    private boolean closed;

    private ApacheKafkaBroker(String classpath, Path dir, int port, int controllerPort) {
        this.classpath = classpath;
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.shutdownHook = new Thread(this::destroy, "kafka-broker-cleanup");
    }

    /** Formats a fresh store and starts the broker, with the classpath Maven resolved ({@link KafkaBrokerClasspath}). */
    public static ApacheKafkaBroker start() throws IOException {
        return start(KafkaBrokerClasspath.locate());
    }

    /** Formats a fresh store and starts the broker; returns once it answers a client, or throws. */
    public static ApacheKafkaBroker start(String classpath) throws IOException {
        Path dir = Files.createTempDirectory("deliverycheck-kafka-");
        int[] ports = freePorts(2);
        ApacheKafkaBroker broker = new ApacheKafkaBroker(classpath, dir, ports[0], ports[1]);
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
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

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** kill -9: SIGKILL, no shutdown of any kind; returns once the process is gone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit(process);
            process = null;
        }
    }

    /** Starts the broker again on the same data and ports (killing it first if it still runs). */
    public synchronized void restart() throws IOException {
        kill();
        launch();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs or ran already: it does the same
        }
    }

    private synchronized void destroy() {
        kill();
        deleteTree(dir);
    }

    private void format() throws IOException {
        Files.createDirectories(logDir());
        writeProperties();
        // Uuid.randomUuid() is what 'StorageTool random-uuid' prints; calling it here saves a JVM start (~2.4 s).
        String clusterId = Uuid.randomUuid().toString();
        Process format = java(List.of("kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
                properties().toString(), "--standalone"), dir.resolve("format.log"));
        try {
            if (!format.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                format.destroyForcibly();
                waitForExit(format);
                throw new IOException("kafka.tools.StorageTool format did not finish within " + FORMAT_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while formatting the Kafka store", e);
        }
        if (format.exitValue() != 0) {
            throw new IOException("kafka.tools.StorageTool format failed (exit " + format.exitValue() + "): "
                    + lastLine(dir.resolve("format.log")));
        }
    }

    private synchronized void launch() throws IOException {
        process = java(List.of("kafka.Kafka", properties().toString()), dir.resolve("broker.log"));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                if (!process.isAlive()) {
                    int code = process.exitValue();
                    process = null;
                    throw new IOException("the Kafka broker exited during start (exit " + code + "): "
                            + lastLine(dir.resolve("broker.log")));
                }
                try {
                    // Ready means: it answers a client with itself as a live broker.
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notYet) {
                    // not serving yet: ask again until the deadline
                }
                if (System.nanoTime() > deadline) {
                    kill();
                    throw new IOException("the Kafka broker did not serve within " + START_TIMEOUT.toSeconds() + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IOException("interrupted while the Kafka broker started", e);
        }
    }

    private Process java(List<String> mainAndArgs, Path output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx512m", "-Xms128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-Djava.io.tmpdir=" + dir, "-cp", classpath));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
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

    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static void waitForExit(Process p) {
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the Kafka broker process " + p.pid() + " survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
            return "(no output)";
        } catch (IOException e) {
            return "(no output)";
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp directory left behind is not worth failing a run for
        }
    }
}
