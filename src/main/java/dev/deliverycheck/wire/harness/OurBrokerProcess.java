package dev.deliverycheck.wire.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * deliverycheck's own wire broker ({@code deliverycheck broker}) as a child JVM on a free loopback port, with its
 * log in a fresh temporary directory, started with transaction version 2 as Kafka 4.4 runs. It can be killed with
 * SIGKILL and restarted on the same {@code --data} and port, so a crash exercises the broker's recovery exactly as
 * a real crash would.
 *
 * <p>Invariants: while this object is open at most one child process runs; {@link #close()} (or, if the caller
 * never gets there, a JVM shutdown hook) stops it and deletes the directory. Every wait is bounded.
 */
public final class OurBrokerProcess implements ManagedBroker {
    /** How long the child may take to print {@code port=N}; a cold JVM start takes about a second. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String MAIN = "dev.deliverycheck.cli.Main";

    private final String classpath;
    private final Path dir;
    private final int partitions;
    private final Thread shutdownHook;
    private final int port;
    private Process process;
    private boolean closed;

    private OurBrokerProcess(String classpath, Path dir, int partitions, int port) {
        this.classpath = classpath;
        this.dir = dir;
        this.partitions = partitions;
        this.port = port;
        this.shutdownHook = new Thread(this::destroy, "deliverycheck-broker-cleanup");
    }

    /** Starts the broker from this JVM's classpath; returns once it listens, or throws. */
    public static OurBrokerProcess start(int partitions) throws IOException {
        return start(System.getProperty("java.class.path"), partitions);
    }

    /** Starts the broker from {@code classpath} (which must hold deliverycheck and its dependencies). */
    public static OurBrokerProcess start(String classpath, int partitions) throws IOException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        Path dir = Files.createTempDirectory("deliverycheck-wire-");
        OurBrokerProcess broker = new OurBrokerProcess(classpath, dir, partitions, freePort());
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        try {
            broker.launch();
            return broker;
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return port;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** The broker's {@code --data} directory. */
    public Path dataDir() {
        return dir.resolve("data");
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the broker process " + process.pid() + " survived SIGKILL for 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
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

    @Override
    public String description() {
        return "deliverycheck's wire broker";
    }

    private synchronized void destroy() {
        kill();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temporary directory left behind is not worth failing a run for
        }
    }

    private synchronized void launch() throws IOException {
        Path output = dir.resolve("broker.out");
        Files.deleteIfExists(output);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dir, "-cp", classpath,
                MAIN, "broker", "--port", Integer.toString(port), "--data", dataDir().toString(),
                "--partitions", Integer.toString(partitions), "--transaction-version", "2"));
        process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (true) {
                String printed = Files.readString(output, StandardCharsets.UTF_8);
                if (printed.lines().anyMatch(l -> l.equals("port=" + port))) {
                    return;
                }
                if (!process.isAlive()) {
                    int code = process.exitValue();
                    process = null;
                    throw new IOException("deliverycheck's broker exited during start (exit " + code + "): "
                            + printed.lines().reduce((a, b) -> b).orElse("(no output)"));
                }
                if (System.nanoTime() > deadline) {
                    kill();
                    throw new IOException("deliverycheck's broker did not listen within " + START_TIMEOUT.toSeconds() + " s");
                }
                // the child writes its port line once it listens; a file cannot be waited on otherwise
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IOException("interrupted while deliverycheck's broker started", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
