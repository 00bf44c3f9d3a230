package dev.deliverycheck.cli;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.Explorer;
import dev.deliverycheck.explore.TraceSampler;
import dev.deliverycheck.json.Json;
import dev.deliverycheck.sim.SimulationConfig;
import dev.deliverycheck.tlc.CoverageGate;
import dev.deliverycheck.tlc.ModelCheck;
import dev.deliverycheck.tlc.ModelManifest;
import dev.deliverycheck.tlc.ModelSuite;
import dev.deliverycheck.tlc.ProjectRoot;
import dev.deliverycheck.tlc.TlcRunner;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deliverycheck verify}: the main job. TLC on every model of the manifest, the explorer on
 * the real code for all four modes, and the outcome matrix with model and code side by side.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "The main job: checks every TLA+ model with TLC and explores the real code in all four modes, "
                + "then prints DESIGN.md's outcome matrix with expected / TLC / code per cell. Exit 0 iff every cell matches.")
public final class VerifyCommand implements Callable<Integer> {
    static final int DEFAULT_RUNS = 2000;
    static final int QUICK_RUNS = 500;
    static final int DEFAULT_TRACES = 5;
    static final int QUICK_TRACES = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions.JsonOption json = new SharedOptions.JsonOption();

    @Option(names = "--quick", description = "smaller budget: " + QUICK_RUNS + " schedules per mode, and per matrix cell only "
            + "the smallest TLC model that speaks for it (no reachability checks, no known-bad variants)")
    boolean quick;

    @Option(names = "--runs", description = "schedules per mode (default " + DEFAULT_RUNS + ")")
    Integer runs;

    @Mixin
    SharedOptions.SeedOption seed = new SharedOptions.SeedOption();

    @Option(names = "--traces", description = "validate with TLC the traces of the first N explored runs per mode "
            + "against the mode's TLA+ spec (default " + DEFAULT_TRACES + ", with --quick " + QUICK_TRACES
            + "; 0 turns it off; about 1.5 s per trace on an idle 2-core machine)")
    Integer traces;

    @Mixin
    SharedOptions.OutOption out = new SharedOptions.OutOption();

    @Mixin
    ReportOptions reportOptions = new ReportOptions();

    @Option(names = "--jobs", paramLabel = "N", description = "TLC models, explorations and trace validations run at "
            + "once (default: the number of cores; 1 = one after the other); the output is the same either way")
    Integer jobs;

    @Override
    public Integer call() {
        reportOptions.checkWritable();
        int budget = runs != null ? runs : quick ? QUICK_RUNS : DEFAULT_RUNS;
        if (budget < 1) {
            throw new UsageException("--runs must be at least 1, got " + budget);
        }
        int traceCount = traces != null ? traces : quick ? QUICK_TRACES : DEFAULT_TRACES;
        if (traceCount < 0) {
            throw new UsageException("--traces must not be negative, got " + traceCount);
        }
        Path root = ProjectRoot.locate();
        Path manifestFile = ProjectRoot.tlaDir(root).resolve("models.json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new UsageException("no TLA+ manifest at " + manifestFile + " (run from the repository, or set -D"
                    + ProjectRoot.PROPERTY + ")");
        }
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true);
        long start = System.nanoTime();

        int threads = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (threads < 1) {
            throw new UsageException("--jobs must be at least 1, got " + threads);
        }
        out.checkWritable();
        ModelManifest manifest = ModelManifest.read(manifestFile);
        List<ModelManifest.Entry> entries = quick ? OutcomeMatrix.quickModels(manifest) : manifest.entries();
        ModelSuite suite = new ModelSuite(manifest, new TlcRunner(ProjectRoot.tlaDir(root)).withProgress(null));
        PrintWriter errWriter = new PrintWriter(err, true);
        ParallelJobs work = new ParallelJobs("verify", threads, err, err, 30);
        List<ParallelJobs.Job<ModelCheck>> modelJobs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ModelManifest.Entry e = entries.get(i);
            String counter = (i + 1) + "/" + entries.size();
            modelJobs.add(work.add("TLC " + e.name(), e.seconds() != null ? e.seconds() : 10, log -> {
                ModelCheck c = suite.check(e);
                log.printf("verify: TLC %s %s: %s (expected %s, %d states, %.1f s) %s%n", counter, c.name(), c.observed(),
                        c.expected(), c.distinctStates(), c.seconds(), c.ok() ? "ok" : "MISMATCH");
                return c;
            }));
        }
        Map<Mode, ParallelJobs.Job<ExploreReport>> exploreJobs = new EnumMap<>(Mode.class);
        Map<Mode, ParallelJobs.Job<TraceSampler.Report>> traceJobs = new EnumMap<>(Mode.class);
        for (Mode mode : Mode.values()) {
            // cost: about 0.1 s of one core per schedule, 1.5 s per validated trace (README figures)
            exploreJobs.put(mode, work.add("explore " + mode.cliName(), budget * 0.1, log -> {
                log.printf("verify: exploring %s, %d schedules...%n", mode.cliName(), budget);
                return new Explorer(SimulationConfig.forExploration(mode), out.out, line -> err.println("verify: " + line))
                        .explore(budget, 50, seed.seed);
            }));
            if (traceCount > 0) {
                traceJobs.put(mode, work.add("traces " + mode.cliName(), Math.min(traceCount, budget) * 1.5,
                        log -> Traces.sample(SimulationConfig.forExploration(mode), Math.min(traceCount, budget), 50,
                                seed.seed, log)));
            }
        }
        work.runAll();
        List<ModelCheck> checks = modelJobs.stream().map(ParallelJobs.Job::result).toList();
        Map<Mode, ExploreReport> explored = new EnumMap<>(Mode.class);
        Map<Mode, TraceSampler.Report> traced = new EnumMap<>(Mode.class);
        exploreJobs.forEach((mode, job) -> explored.put(mode, job.result()));
        traceJobs.forEach((mode, job) -> traced.put(mode, job.result()));
        OutcomeMatrix matrix = new OutcomeMatrix(manifest, checks, explored);
        List<ModelCheck> badModels = checks.stream().filter(c -> !c.ok()).toList();
        boolean tracesOk = traced.values().stream().allMatch(TraceSampler.Report::ok);
        boolean progressOk = explored.values().stream().allMatch(ExploreReport::progressHolds);
        // The gate needs every positive model, so --quick (the smallest model per cell) skips it.
        CoverageGate.Report coverage = suite.coversEveryPositiveModel(checks) ? suite.coverage(checks) : null;
        boolean ok = matrix.mismatches().isEmpty() && badModels.isEmpty() && tracesOk && progressOk
                && (coverage == null || coverage.ok());
        double seconds = (System.nanoTime() - start) / 1e9;

        PrintWriter w = spec.commandLine().getOut();
        if (json.json) {
            w.println(json(matrix, checks, explored, traced, ok, seconds, budget, coverage));
        } else {
            traced.values().forEach(r -> Traces.print(r, w));
            if (coverage != null) {
                CheckModelsCommand.printCoverage(w, coverage);
            }
            print(w, matrix, checks, explored, badModels, ok, seconds, budget);
        }
        w.flush();
        if (reportOptions.requested()) {
            reportOptions.write(dev.deliverycheck.report.ReportInput.of(ReportOptions.commandLine(spec), ok, root)
                    .withMatrix(ReportOptions.cells(matrix)).withModels(checks, manifest)
                    .withExplored(new ArrayList<>(explored.values())).withTraces(new ArrayList<>(traced.values())), errWriter);
        }
        return ok ? Main.EXIT_OK : Main.EXIT_MISMATCH;
    }

    private static void print(PrintWriter w, OutcomeMatrix matrix, List<ModelCheck> checks, Map<Mode, ExploreReport> explored,
                              List<ModelCheck> badModels, boolean ok, double seconds, int budget) {
        long states = checks.stream().mapToLong(ModelCheck::distinctStates).sum();
        w.printf("TLC: %d models, %d distinct states, %d as expected%n", checks.size(), states,
                checks.size() - badModels.size());
        w.printf("code: %d schedules x 50 steps per mode (explorer, seed-reproducible)%n", budget);
        w.println();
        w.println("cell = expected / TLC / code");
        StringBuilder header = new StringBuilder(String.format("%-14s", "mode"));
        for (Invariant inv : Invariant.values()) {
            header.append(String.format(" | %-28s", inv.tlaName()));
        }
        w.println(header);
        for (Map.Entry<Mode, Map<Invariant, OutcomeMatrix.Cell>> row : matrix.cells().entrySet()) {
            StringBuilder line = new StringBuilder(String.format("%-14s", row.getKey().cliName()));
            for (Invariant inv : Invariant.values()) {
                OutcomeMatrix.Cell c = row.getValue().get(inv);
                String text = c == null ? "-" : c.expected().label() + "/" + c.model() + "/" + c.code()
                        + (c.matches() ? "" : " !");
                line.append(String.format(" | %-28s", text));
            }
            w.println(line);
        }
        w.println();
        for (ExploreReport r : explored.values()) {
            for (ExploreReport.InvariantOutcome o : r.invariants().values()) {
                if (o.finding() != null) {
                    w.printf("%s %s: found at seed %d, shrunk %d -> %d steps: %s%n", r.mode().cliName(),
                            o.invariant().tlaName(), o.finding().seed(), o.finding().originalSteps(),
                            o.finding().shrunkSteps(), o.finding().file());
                }
            }
            if (!r.undercoveredScenarios().isEmpty()) {
                w.printf("%s: warning: scenarios below their floors: %s%n", r.mode().cliName(), r.undercoveredScenarios());
            }
            if (!r.progressHolds()) {
                w.printf("%s Progress: violated at seed %d, shrunk %d -> %d steps: %s: %s%n", r.mode().cliName(),
                        r.progress().seed(), r.progress().originalSteps(), r.progress().shrunkSteps(),
                        r.progress().file(), r.progress().explanation());
            }
        }
        for (ModelCheck c : badModels) {
            w.printf("model %s: expected %s, TLC observed %s%n", c.name(), c.expected(), c.observed());
        }
        for (OutcomeMatrix.Cell c : matrix.mismatches()) {
            w.printf("mismatch: %s %s expected %s, TLC %s (models %s), code %s%n", c.mode().cliName(),
                    c.invariant().tlaName(), c.expected().label(), c.model(), c.models(), c.code());
        }
        w.printf("verify: %s (%.0f s)%n", ok ? "ok" : "MISMATCH", seconds);
    }

    /** The {@code verify --json} document. */
    static String json(OutcomeMatrix matrix, List<ModelCheck> checks, Map<Mode, ExploreReport> explored,
                       Map<Mode, TraceSampler.Report> traced, boolean ok, double seconds, int budget,
                       CoverageGate.Report coverage) {
        return Json.write(VerifyJson.of(matrix, checks, explored, traced, ok, seconds, budget, coverage));
    }
}
