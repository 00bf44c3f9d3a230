package dev.deliverycheck.wire.process;

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
 * The lifecycle of a server run as a child JVM (a real Kafka broker, deliverycheck's own wire broker): a fresh
 * temporary directory the child works in, a start that waits for the child's readiness with a bound, kill -9,
 * restart on the same directory, and a stop that deletes the directory.
 *
 * <p>Invariants: while this object is open at most one server process runs; {@link #close()} (or, if the owner
 * never gets there, a JVM shutdown hook) kills it and deletes the directory. Every wait is bounded.
 */
public final class ChildProcess implements AutoCloseable {
    /** How long a killed process may take to disappear before something is badly wrong. */
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(30);

    /** The child's own word that it is ready, asked again and again until the start's deadline. */
    @FunctionalInterface
    public interface Readiness {
        boolean ready() throws IOException, InterruptedException;
    }

    private final String name;
    private final Path dir;
    private final Thread shutdownHook;
    private Process process;
    private boolean closed;

    private ChildProcess(String name, Path dir) {
        this.name = name;
        this.dir = dir;
        this.shutdownHook = new Thread(this::destroy, "deliverycheck-child-cleanup");
    }

    /**
     * A child-process owner with a fresh temporary directory ({@code tempPrefix...}) and a shutdown hook that
     * cleans up; nothing runs yet.
     *
     * @param name the server as error messages name it, e.g. "the Kafka broker"
     */
    public static ChildProcess create(String name, String tempPrefix) throws IOException {
        ChildProcess child = new ChildProcess(name, Files.createTempDirectory(tempPrefix));
        Runtime.getRuntime().addShutdownHook(child.shutdownHook);
        return child;
    }

    /** The directory the child runs in (its working and temporary directory). */
    public Path directory() {
        return dir;
    }

    /**
     * Starts the server JVM ({@code mainAndArgs} on {@code classpath}), its output appended to {@code output}, and
     * returns once {@code readiness} says so. Throws (after killing the child) if it exits first, or is not ready
     * within {@code timeout}: "NAME did not READY_VERB within N s".
     */
    public synchronized void start(List<String> jvmOptions, String classpath, List<String> mainAndArgs, Path output,
                                   Duration timeout, String readyVerb, Readiness readiness) throws IOException {
        process = java(jvmOptions, classpath, mainAndArgs, output);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                if (!process.isAlive()) {
                    int code = process.exitValue();
                    process = null;
                    throw new IOException(name + " exited during start (exit " + code + "): " + lastLine(output));
                }
                if (readiness.ready()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    kill();
                    throw new IOException(name + " did not " + readyVerb + " within " + timeout.toSeconds() + " s");
                }
                // a pause between asks; returns at once if the child exits
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IOException("interrupted while " + name + " started", e);
        }
    }

    /**
     * Runs a one-off JVM (a tool, not the server) in the directory to its end and returns its exit code; kills it
     * and throws if it takes longer than {@code timeout}.
     */
    public int run(List<String> jvmOptions, String classpath, List<String> mainAndArgs, Path output, Duration timeout)
            throws IOException {
        Process tool = java(jvmOptions, classpath, mainAndArgs, output);
        try {
            if (!tool.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                tool.destroyForcibly();
                awaitExit(tool);
                throw new IOException(mainAndArgs.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return tool.exitValue();
        } catch (InterruptedException e) {
            tool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + mainAndArgs.get(0) + " ran", e);
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** kill -9: SIGKILL, no shutdown of any kind; returns once the process is gone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(process);
            process = null;
        }
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

    private Process java(List<String> jvmOptions, String classpath, List<String> mainAndArgs, Path output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dir, "-cp", classpath));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    }

    private void awaitExit(Process p) {
        try {
            if (!p.waitFor(KILL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " process " + p.pid() + " survived SIGKILL for "
                        + KILL_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code count} distinct free loopback ports (all held open together while chosen, so they differ). */
    public static int[] freePorts(int count) throws IOException {
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

    /** The last non-blank line of a log, trimmed, or "(no output)". */
    public static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
            return "(no output)";
        } catch (IOException | UncheckedIOException e) {
            return "(no output)";
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
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
}
