package dev.deliverycheck.cli;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.check.ProgressChecker;
import dev.deliverycheck.explore.ExploreJson;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.Explorer;
import dev.deliverycheck.explore.Scenario;
import dev.deliverycheck.explore.TraceSampler;
import dev.deliverycheck.json.Json;
import dev.deliverycheck.sim.SimulationConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deliverycheck explore}: many random fault schedules against the real code. */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = "Runs many random fault schedules against the real producer and broker, checks every invariant, "
                + "shrinks each first violation to a short replayable schedule. Exit 0 iff every invariant's observed "
                + "outcome matches DESIGN.md's expected outcome matrix, Progress holds and (from 500 runs on) every "
                + "scenario reaches its coverage floor.")
public final class ExploreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SharedOptions.ModeOption mode = new SharedOptions.ModeOption();

    @Option(names = "--runs", defaultValue = "500", description = "schedules to run (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--steps", defaultValue = "50", description = "steps per schedule (default ${DEFAULT-VALUE})")
    int steps;

    @Mixin
    SharedOptions.SeedOption seed = new SharedOptions.SeedOption();

    @Mixin
    SharedOptions.OutOption out = new SharedOptions.OutOption();

    @Mixin
    SharedOptions.JsonOption json = new SharedOptions.JsonOption();

    @Option(names = "--validate-traces", arity = "0..1", fallbackValue = "5", paramLabel = "N",
            description = "also check with TLC that the first N explored runs (default 5 when given) are behaviours of the mode's TLA+ spec")
    Integer validateTraces;

    @Mixin
    ReportOptions reportOptions = new ReportOptions();

    @Option(names = "--shard", paramLabel = "K/N", description = "run only the K-th of N equal slices of the runs (run i "
            + "still uses seed S+i); expected violations are judged when 'merge' joins the shards' --json reports")
    String shard;

    @Override
    public Integer call() {
        reportOptions.checkWritable();
        Mode m = mode.mode;
        if (runs < 1) {
            throw new UsageException("--runs must be at least 1, got " + runs);
        }
        if (steps < 1) {
            throw new UsageException("--steps must be at least 1, got " + steps);
        }
        if (validateTraces != null && validateTraces < 1) {
            throw new UsageException("--validate-traces needs at least 1 trace, got " + validateTraces);
        }
        PrintWriter err = spec.commandLine().getErr();
        Explorer explorer = new Explorer(SimulationConfig.forExploration(m), out.out, line -> {
            err.println(line);
            err.flush();
        });
        dev.deliverycheck.report.Shard slice = shard == null ? null : Cli.parse(() -> {
            dev.deliverycheck.report.Shard s = dev.deliverycheck.report.Shard.parse(shard);
            s.check(runs);
            return s;
        });
        out.checkWritable();
        ExploreReport report = slice == null ? explorer.explore(runs, steps, seed.seed)
                : explorer.explore(slice.runs(runs), steps, seed.seed + slice.first(runs));
        TraceSampler.Report traces = null;
        if (validateTraces != null) {
            traces = Traces.sample(SimulationConfig.forExploration(m), Math.min(validateTraces, runs), steps, seed.seed, err);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (json.json) {
            ExploreJson doc = report.toJson();
            if (slice != null) {
                doc = doc.withShard(slice.toJson(seed.seed, runs));
            }
            if (traces != null) {
                doc = doc.withTraces(traces.toJson(), report.ok() && traces.ok());
            }
            w.println(Json.write(doc));
        } else {
            print(report, w);
            if (traces != null) {
                Traces.print(traces, w);
            }
        }
        w.flush();
        if (reportOptions.requested()) {
            reportOptions.write(dev.deliverycheck.report.ReportInput.of(ReportOptions.commandLine(spec),
                    report.ok() && (traces == null || traces.ok()), dev.deliverycheck.tlc.ProjectRoot.locate())
                    .withExplored(java.util.List.of(report)).withTraces(traces == null ? java.util.List.of() : java.util.List.of(traces)), err);
        }
        if (traces != null && !traces.ok()) {
            err.println("deliverycheck: a trace of the real code is not a behaviour of the " + m.cliName() + " spec");
            return Main.EXIT_MISMATCH;
        }
        if (slice != null && !dev.deliverycheck.report.Shard.definiteMismatch(report)) {
            err.println("explore: shard " + shard + " ran runs " + slice.first(runs) + ".." + (slice.first(runs) + slice.runs(runs) - 1)
                    + " of " + runs + "; an expected violation it did not find is judged by 'merge'");
            return Main.EXIT_OK;
        }
        if (!report.ok()) {
            if (!report.progressHolds()) {
                err.println("deliverycheck: Progress violated (seed " + report.progress().seed() + ", replay "
                        + report.progress().file() + "): " + report.progress().explanation());
            }
            if (report.runs() >= ExploreReport.MIN_RUNS_FOR_COVERAGE && !report.undercoveredScenarios().isEmpty()) {
                err.println("deliverycheck: scenarios below their coverage floors: " + report.undercoveredScenarios());
            }
            for (ExploreReport.InvariantOutcome o : report.invariants().values()) {
                if (!o.matches()) {
                    err.println("deliverycheck: " + o.invariant().tlaName() + " expected " + o.expected().label()
                            + " but observed " + o.observed()
                            + (o.finding() != null ? " (seed " + o.finding().seed() + ", replay " + o.finding().file() + ")"
                            : " in " + runs + " schedules from seed " + seed.seed));
                }
            }
            return Main.EXIT_MISMATCH;
        }
        return Main.EXIT_OK;
    }

    static void print(ExploreReport r, PrintWriter w) {
        w.printf("explore %s: %d schedules x %d steps from seed %d, %.0f schedules/s (%.0f per CPU second)%n",
                r.mode().cliName(), r.runs(), r.steps(), r.seed(), r.schedulesPerSecond(), r.schedulesPerCpuSecond());
        for (ExploreReport.InvariantOutcome o : r.invariants().values()) {
            w.printf("  %-15s expected %-9s observed %-9s %s%n", o.invariant().tlaName(), o.expected().label(),
                    o.observed(), o.matches() ? "ok" : "MISMATCH");
            if (o.finding() != null) {
                ExploreReport.Finding f = o.finding();
                w.printf("      seed %d (schedule %d, %.1f s in): %d steps shrunk to %d -> %s%n      %s%n", f.seed(),
                        f.runsToFind(), f.secondsToFind(), f.originalSteps(), f.shrunkSteps(), f.file(), f.explanation());
            }
        }
        ExploreReport.Finding p = r.progress();
        w.printf("  %-15s expected %-9s observed %-9s %s%n", ProgressChecker.NAME, "holds",
                r.progressHolds() ? "holds" : "violated", r.progressHolds() ? "ok" : "MISMATCH");
        if (p != null) {
            w.printf("      seed %d (schedule %d, %.1f s in; %d runs in all): %d steps shrunk to %d -> %s%n      %s%n",
                    p.seed(), p.runsToFind(), p.secondsToFind(), r.progressViolations(), p.originalSteps(),
                    p.shrunkSteps(), p.file(), p.explanation());
        }
        w.print("  coverage:");
        for (Map.Entry<Scenario, Integer> e : r.coverage().entrySet()) {
            w.printf(" %s=%d", e.getKey().jsonName(), e.getValue());
        }
        w.println();
        if (!r.undercoveredScenarios().isEmpty()) {
            w.println("  " + (r.runs() >= ExploreReport.MIN_RUNS_FOR_COVERAGE ? "FAIL" : "warning")
                    + ": scenarios below their floors: " + r.undercoveredScenarios());
        }
        w.println(r.ok() ? "explore: ok" : "explore: MISMATCH");
    }
}
