package dev.deliverycheck.cli;

import dev.deliverycheck.json.Json;
import dev.deliverycheck.tlc.CoverageGate;
import dev.deliverycheck.tlc.ModelCheck;
import dev.deliverycheck.tlc.ModelManifest;
import dev.deliverycheck.tlc.ModelSuite;
import dev.deliverycheck.tlc.ModelsTable;
import dev.deliverycheck.tlc.ProjectRoot;
import dev.deliverycheck.tlc.TlcRunner;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deliverycheck check-models [--model NAME] [--json] [--record]}: runs TLC on the models of
 * {@code tla/models.json} and compares each outcome with its expectation. Exit 0 iff every model
 * matched, 1 on a mismatch, 2 for an unknown model name or a malformed manifest, 3 if TLC could not
 * be run. When every positive model ran, the {@link CoverageGate} must pass too: a mismatch (exit
 * 1) lists each action or branch no positive model reached that the manifest does not exempt.
 */
@Command(name = "check-models", mixinStandardHelpOptions = true,
        description = "Runs TLC on the models listed in tla/models.json; per model: expected, observed, distinct "
                + "states, seconds, and on a violation the counterexample's action names. Exit 0 iff every "
                + "model's outcome matches its expectation.")
public final class CheckModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "check only this model")
    String model;

    @Option(names = "--json", description = "print one JSON object on stdout")
    boolean json;

    @Option(names = "--record", description = "write the distinct-state counts and times of matching models into "
            + "tla/models.json")
    boolean record;

    @Option(names = "--workers", paramLabel = "N|auto", description = "TLC worker threads (default: ${DEFAULT-VALUE})",
            defaultValue = "${sys:" + TlcRunner.WORKERS_PROPERTY + ":-1}")
    String workers;

    @Option(names = "--jobs", paramLabel = "N", description = "models checked at once, each by its own TLC (default: "
            + "the number of cores; 1 = one after the other); the verdicts, state counts and output order are the same "
            + "either way, only the seconds differ (with --record too)")
    Integer jobs;

    @Option(names = "--root", paramLabel = "DIR", hidden = true, description = "repository root (default: located)")
    Path root;

    @picocli.CommandLine.Mixin
    ReportOptions reportOptions = new ReportOptions();

    @picocli.CommandLine.Mixin
    DeepTier deepTier = new DeepTier();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } catch (UsageException e) {
            err.println("deliverycheck: " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        } catch (UncheckedIOException | IllegalStateException e) {
            err.println("deliverycheck: cannot run TLC: " + e.getMessage());
            err.flush();
            return Main.EXIT_INTERNAL;
        }
    }

    private int run(PrintWriter out, PrintWriter err) {
        reportOptions.checkWritable();
        Path base = root != null ? root.toAbsolutePath().normalize() : ProjectRoot.locate();
        boolean deep = deepTier.selected();
        if (deep && record) {
            throw new UsageException("--record applies to the default tier (tla/models.json) only");
        }
        if (deep && jobs != null) {
            throw new UsageException("--jobs applies to the default tier; the deep tier's TLC uses --workers");
        }
        int threads = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (threads < 1) {
            throw new UsageException("--jobs must be at least 1, got " + threads);
        }
        ModelManifest manifest;
        try {
            manifest = ModelManifest.read(ProjectRoot.tlaDir(base).resolve(deepTier.manifestName()));
        } catch (ModelManifest.ManifestException e) {
            throw new UsageException(e.getMessage());
        }
        List<ModelManifest.Entry> selected = manifest.entries();
        if (model != null) {
            selected = List.of(manifest.find(model).orElseThrow(() -> new UsageException("unknown model '" + model
                    + "'; known: " + String.join(", ", manifest.entries().stream().map(ModelManifest.Entry::name).toList()))));
        }
        TlcRunner runner = Cli.parse(() -> new TlcRunner(manifest.directory()).withWorkers(workers))
                .withProgress(printStream(err));
        if (deep) {
            List<ModelCheck> checks = deepTier.check(manifest, selected, runner, printStream(err), out, json);
            err.flush();
            return checks.stream().allMatch(ModelCheck::ok) ? Main.EXIT_OK : Main.EXIT_MISMATCH;
        }
        ModelSuite suite = new ModelSuite(manifest, runner);
        List<ModelCheck> checks = checkAll(suite, selected, threads, out, err);
        boolean ok = checks.stream().allMatch(ModelCheck::ok);
        CoverageGate.Report coverage = suite.coversEveryPositiveModel(checks) ? suite.coverage(checks) : null;
        if (coverage != null) {
            ok &= coverage.ok();
            if (!json) {
                printCoverage(out, coverage);
            }
        }
        if (record) {
            ModelManifest recorded = suite.recorded(checks);
            recorded.write();
            err.printf("check-models: recorded %d model(s) in %s%n", checks.stream().filter(ModelCheck::ok).count(),
                    manifest.file());
            Path table = base.resolve("spec").resolve("tla-models.md");
            if (Files.isRegularFile(table)) {
                try {
                    Files.writeString(table, ModelsTable.replace(Files.readString(table), recorded));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                err.printf("check-models: updated the table in %s%n", table);
            }
        }
        if (json) {
            out.println(json(checks, ok, coverage));
        } else {
            double total = checks.stream().mapToDouble(ModelCheck::seconds).sum();
            long states = checks.stream().mapToLong(c -> Math.max(0, c.distinctStates())).sum();
            out.printf("check-models: %s -- %d model(s), %,d distinct states, %.1f s%n",
                    ok ? "ok" : "MISMATCH", checks.size(), states, total);
        }
        out.flush();
        err.flush();
        if (reportOptions.requested()) {
            reportOptions.write(dev.deliverycheck.report.ReportInput.of(ReportOptions.commandLine(spec), ok, base)
                    .withModels(checks, manifest), err);
        }
        return ok ? Main.EXIT_OK : Main.EXIT_MISMATCH;
    }

    /**
     * Checks the models on {@code threads} threads (each TLC run is its own single-worker JVM); the
     * lines are printed in manifest order as soon as every model before them is done, so the output
     * reads as a serial run's.
     */
    private List<ModelCheck> checkAll(ModelSuite suite, List<ModelManifest.Entry> selected, int threads, PrintWriter out,
            PrintWriter err) {
        PrintStream log = json ? new PrintStream(java.io.OutputStream.nullOutputStream()) : printStream(out);
        ParallelJobs work = new ParallelJobs("check-models", threads, log, threads > 1 ? printStream(err) : null, 30);
        List<ParallelJobs.Job<ModelCheck>> jobList = selected.stream()
                .map(e -> work.add(e.name(), e.seconds() != null ? e.seconds() : 10, line -> {
                    ModelCheck c = suite.check(e);
                    printLine(line, c);
                    return c;
                })).toList();
        work.runAll();
        return jobList.stream().map(ParallelJobs.Job::result).toList();
    }

    private static void printLine(PrintWriter out, ModelCheck c) {
        out.printf("%-4s %-40s expected %-26s observed %-26s %,10d states %6.1f s%n", c.ok() ? "ok" : "FAIL",
                c.name(), c.expected(), c.observed(), c.distinctStates(), c.seconds());
        if (!c.counterexample().isEmpty()) {
            out.println("     counterexample: " + String.join(" -> ", c.counterexample()));
        }
        out.flush();
    }

    static void printCoverage(PrintWriter out, CoverageGate.Report r) {
        for (CoverageGate.SpecSummary s : r.specs()) {
            out.println("coverage " + s);
        }
        out.printf("coverage: %s -- %d unreached, %d exempt as unreachable (tla/models.json), %d stale exemption(s)%n",
                r.ok() ? "ok" : "FAIL", r.unreached().size(), r.exempt().size(), r.stale().size());
        r.unreached().forEach(id -> out.println("     never reached: " + id));
        r.stale().forEach(id -> out.println("     listed as unreachable but reached (or unknown): " + id));
    }

    /** The {@code check-models --json} document; {@code coverage} null when the gate did not run. */
    static String json(List<ModelCheck> checks, boolean ok, CoverageGate.Report coverage) {
        return Json.write(CheckModelsJson.of(checks, ok, coverage));
    }

    /** A PrintStream onto the command's writer (progress lines go to err, so --json keeps stdout clean). */
    private static PrintStream printStream(PrintWriter w) {
        return new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                w.write(b);
            }

            @Override
            public void flush() {
                w.flush();
            }
        }, true);
    }
}
