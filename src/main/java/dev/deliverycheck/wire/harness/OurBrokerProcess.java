package dev.deliverycheck.wire.harness;

import dev.deliverycheck.wire.process.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * deliverycheck's own wire broker ({@code deliverycheck broker}) as a child JVM on a free loopback port, with its
 * log in a fresh temporary directory, started with transaction version 2 as Kafka 4.4 runs. It can be killed with
 * SIGKILL and restarted on the same {@code --data} and port, so a crash exercises the broker's recovery exactly as
 * a real crash would.
 *
 * <p>Invariants ({@link ChildProcess}'s): while this object is open at most one child process runs;
 * {@link #close()} (or, if the caller never gets there, a JVM shutdown hook) stops it and deletes the directory.
 * Every wait is bounded.
 */
public final class OurBrokerProcess implements ManagedBroker {
    /** How long the child may take to print {@code port=N}; a cold JVM start takes about a second. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String MAIN = "dev.deliverycheck.cli.Main";

    private final String classpath;
    private final ChildProcess child;
    private final int partitions;
    private final int port;

    private OurBrokerProcess(String classpath, ChildProcess child, int partitions, int port) {
        this.classpath = classpath;
        this.child = child;
        this.partitions = partitions;
        this.port = port;
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
        ChildProcess child = ChildProcess.create("deliverycheck's broker", "deliverycheck-wire-");
        OurBrokerProcess broker = new OurBrokerProcess(classpath, child, partitions, ChildProcess.freePorts(1)[0]);
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
        return child.directory().resolve("data");
    }

    @Override
    public boolean running() {
        return child.running();
    }

    @Override
    public void kill() {
        child.kill();
    }

    @Override
    public synchronized void restart() throws IOException {
        child.kill();
        launch();
    }

    @Override
    public void close() {
        child.close();
    }

    @Override
    public String description() {
        return "deliverycheck's wire broker";
    }

    /** What the running child printed, standard output and error together (started afresh by each restart). */
    public Path output() {
        return child.directory().resolve("broker.out");
    }

    /** Starts the child on the same port and data; ready once it printed {@code port=N} (it listens then). */
    private synchronized void launch() throws IOException {
        Path output = output();
        Files.deleteIfExists(output);
        child.start(List.of("-Xmx256m"), classpath, List.of(MAIN, "broker", "--port", Integer.toString(port),
                        "--data", dataDir().toString(), "--partitions", Integer.toString(partitions), "--transaction-version", "2"),
                output, START_TIMEOUT, "listen",
                () -> Files.readString(output, StandardCharsets.UTF_8).lines().anyMatch(l -> l.equals("port=" + port)));
    }
}
