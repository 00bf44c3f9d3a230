package dev.deliverycheck.tlc;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Breadth-first TLC spread over machines with TLC's own distributed mode: a
 * {@code tlc2.tool.distributed.TLCServer} child holds the state queue and fingerprints, and
 * {@code TLCWorker}s (here or on other machines) compute successor states over RMI. The server
 * listens on {@link #bindAddress} only (loopback by default, via {@link BoundRmi}).
 *
 * <p>Every wait is bounded: the server must report itself ready within {@code startTimeout}, a
 * worker must register within {@code workerWait} of that (else the run ends with an error that
 * prints the command to start one), and the whole run within {@code timeout}. Every process
 * started here is stopped before {@link #run} returns.
 *
 * <p>TLCServer exits 0 also after an invariant violation, so the outcome is read from its output
 * (the same lines as {@code tlc2.TLC}'s).
 */
public final class DistributedTlc {
    /** TLC's property for the RMI registry port, read by TLCServer and TLCWorker alike. */
    public static final String PORT_PROPERTY = "tlc2.tool.distributed.TLCServer.port";

    private final Path libraryDir;
    private final String bindAddress;
    private final int port;
    private final int localWorkers;
    private final Duration workerWait;
    private final Duration timeout;
    private final PrintStream progress;

    /**
     * @param bindAddress  the address the server listens on and workers dial (127.0.0.1 for this machine only)
     * @param port         the RMI registry port; 0 picks a free one
     * @param localWorkers workers to start on this machine (0: wait for workers started elsewhere)
     */
    public DistributedTlc(Path libraryDir, String bindAddress, int port, int localWorkers, Duration workerWait,
                          Duration timeout, PrintStream progress) {
        if (port < 0 || port > 65535 || localWorkers < 0) {
            throw new IllegalArgumentException("port must be 0..65535 and local workers at least 0");
        }
        this.libraryDir = libraryDir.toAbsolutePath().normalize();
        this.bindAddress = bindAddress;
        this.port = port;
        this.localWorkers = localWorkers;
        this.workerWait = workerWait;
        this.timeout = timeout;
        this.progress = progress;
    }

    /** The one command that starts a worker on another machine against a server at host:port. */
    public static String workerCommand(String host, int port) {
        return "java -XX:+UseParallelGC -D" + PORT_PROPERTY + "=" + port + " -cp deliverycheck.jar "
                + "tlc2.tool.distributed.TLCWorker " + host;
    }

    public TlcResult run(Path spec, Path config) {
        Path specDir = spec.toAbsolutePath().getParent();
        String label = "distributed TLC " + spec.getFileName() + " / " + config.getFileName();
        List<Process> processes = new ArrayList<>();
        List<ChildReaper> reapers = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        long start = System.nanoTime();
        try {
            int rmiPort = port != 0 ? port : freePort(bindAddress);
            Path metadir = tempDir(dirs);
            List<String> server = new ArrayList<>(javaCommand(metadir, rmiPort));
            server.addAll(List.of(BoundRmi.class.getName(), "server", "-metadir", metadir.toString(),
                    "-config", config.getFileName().toString(), spec.getFileName().toString()));
            Process serverProcess = start(server, specDir, processes, reapers, false);
            ServerOutput out = new ServerOutput(serverProcess, progress, label);
            out.start();
            if (!out.ready.await(Math.min(timeout.toMillis(), 120_000), TimeUnit.MILLISECONDS)) {
                return failed(out, "the TLC server did not become ready (see its output)", start);
            }
            say("%s: server ready on %s:%d; a worker elsewhere starts with: %s", label, bindAddress, rmiPort,
                    workerCommand(bindAddress, rmiPort));
            for (int i = 0; i < localWorkers; i++) {
                List<String> worker = new ArrayList<>(javaCommand(tempDir(dirs), rmiPort));
                worker.addAll(List.of(BoundRmi.class.getName(), "worker", bindAddress));
                start(worker, specDir, processes, reapers, true);
            }
            if (!out.registered.await(workerWait.toMillis(), TimeUnit.MILLISECONDS)) {
                return failed(out, "no TLC worker registered within " + workerWait.toSeconds() + " s; start one with: "
                        + workerCommand(bindAddress, rmiPort), start);
            }
            long left = timeout.toNanos() - (System.nanoTime() - start);
            if (!serverProcess.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                return failed(out, "TLC did not finish within " + timeout.toSeconds() + " s", start);
            }
            out.join(10_000);
            List<String> lines = named(out.lines(), invariantsOf(config));
            int exit = effectiveExit(serverProcess.exitValue(), lines);
            return new TlcOutputParser(new TlcRunner(libraryDir)::actionAt).parse(exit, lines, seconds(start));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + label + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + label + " ran", e);
        } finally {
            stopAll(processes);
            reapers.forEach(ChildReaper::close);
            dirs.forEach(DistributedTlc::deleteQuietly);
        }
    }

    private static TlcResult failed(ServerOutput out, String why, long start) {
        return new TlcResult(-1, Outcome.error(why), -1, -1, -1, List.of(), out.lines().stream()
                .filter(l -> l.startsWith("Error")).toList(), seconds(start));
    }

    /**
     * TLCServer prints the violating behaviour but not which invariant it violates. With one
     * invariant in the config (every negative model has exactly one) that is the one; otherwise
     * the line names them all, and the outcome cannot equal any single expectation.
     */
    static List<String> named(List<String> lines, List<String> invariants) {
        boolean behaviour = lines.stream().anyMatch(l -> l.startsWith("Error: The behavior up to this point is"));
        boolean named = lines.stream().anyMatch(l -> l.matches("^Error: (Invariant|Action property|Property) \\S+ is violated.*"));
        if (!behaviour || named) {
            return lines;
        }
        String which = invariants.size() == 1 ? invariants.get(0) : "one-of:" + String.join(",", invariants);
        List<String> result = new ArrayList<>();
        result.add("Error: Invariant " + which + " is violated (named from the config: distributed TLC does not say).");
        result.addAll(lines);
        return result;
    }

    /** The invariants a TLC config lists after INVARIANT or INVARIANTS. */
    static List<String> invariantsOf(Path config) throws IOException {
        List<String> names = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
            String t = line.replaceFirst("\\\\\\*.*", "").strip();
            for (String word : t.split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                if (word.matches("[A-Z_]+") && !word.matches("INVARIANTS?")) {
                    in = false;
                } else if (word.matches("INVARIANTS?")) {
                    in = true;
                } else if (in) {
                    names.add(word);
                }
            }
        }
        return names;
    }

    /** 12 for a reported safety violation, 11 for a deadlock (TLCServer itself exits 0 on both). */
    static int effectiveExit(int exit, List<String> lines) {
        for (String l : lines) {
            if (l.matches("^Error: (Invariant|Action property|Property) \\S+ is violated.*")) {
                return 12;
            }
            if (l.startsWith("Error: Deadlock reached")) {
                return 11;
            }
        }
        return exit;
    }

    private List<String> javaCommand(Path metadir, int rmiPort) throws IOException {
        Path tmp = metadir.resolve("tmp");
        Files.createDirectories(tmp);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-XX:+UseParallelGC", "-Djava.io.tmpdir=" + tmp, "-DTLA-Library=" + new TlcRunner(libraryDir)
                        .libraryPath(), "-D" + PORT_PROPERTY + "=" + rmiPort, "-D" + BoundRmi.BIND_PROPERTY + "=" + bindAddress,
                "-cp", classpath());
    }

    /** The TLC jar, plus this project's classes when they are not in it (tests, unshaded runs). */
    static String classpath() {
        try {
            Path own = Path.of(BoundRmi.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path tlc = TlcRunner.tlcJar();
            return own.equals(tlc) ? tlc.toString() : tlc + File.pathSeparator + own;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate deliverycheck's classes", e);
        }
    }

    /**
     * A worker's output is discarded: it only repeats what the server reports. Each child is
     * watched by a {@link ChildReaper}, so a stopped check-models does not leave it running.
     */
    private static Process start(List<String> cmd, Path dir, List<Process> processes, List<ChildReaper> reapers,
            boolean discard) throws IOException {
        ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        if (discard) {
            b.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = b.start();
        processes.add(p);
        reapers.add(ChildReaper.watch(p));
        return p;
    }

    private static Path tempDir(List<Path> dirs) throws IOException {
        Path d = Files.createTempDirectory("deliverycheck-dtlc-");
        dirs.add(d);
        return d;
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }

    private static void stopAll(List<Process> processes) {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private void say(String format, Object... args) {
        if (progress != null) {
            progress.printf(format + "%n", args);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    /** Reads the server's output on its own thread, noting when it is ready and when a worker registered. */
    private static final class ServerOutput extends Thread {
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch registered = new CountDownLatch(1);
        private final Process process;
        private final PrintStream progress;
        private final String label;
        private final List<String> lines = new ArrayList<>();

        ServerOutput(Process process, PrintStream progress, String label) {
            super("tlc-server-output");
            setDaemon(true);
            this.process = process;
            this.progress = progress;
            this.label = label;
        }

        @Override
        public void run() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.startsWith("TLC server at") && line.contains("is ready")) {
                        ready.countDown();
                    } else if (line.startsWith("Registration for worker")) {
                        registered.countDown();
                    }
                    if (progress != null && (line.startsWith("Progress") || line.startsWith("Registration for worker"))) {
                        progress.println("  ... " + label + ": " + line);
                    }
                }
            } catch (IOException e) {
                // the process ended; what was read is what there is
            } finally {
                ready.countDown();
                registered.countDown();
            }
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }
    }
}
