package dev.deliverycheck.explore;

import dev.deliverycheck.check.Expectation;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.check.ProgressChecker;
import dev.deliverycheck.sim.SimulationConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Explores many random schedules of one mode against the real code: run {@code i} uses seed
 * {@code seed + i}, so any run can be reproduced alone with {@code --seed <its seed> --runs 1}.
 * The first violation of each invariant is shrunk and saved as a replay file; coverage of the
 * fault scenarios is counted over all runs. Every run is also judged for Progress (it settled,
 * every send completed, every transaction ended, commits happen); the first run that fails it is
 * shrunk and saved the same way, as {@code MODE-Progress-seedS.schedule}.
 */
public final class Explorer {
    /** Replays allowed per shrink: bounds the cost of a failure, not the cost of a pass. */
    public static final int SHRINK_BUDGET = 2_000;

    private final SimulationConfig template;
    private final Path replayDir;
    private final Consumer<String> progress;

    /**
     * @param template  simulation settings (mode, broker variant); seed and shape vary per run
     * @param replayDir where shrunk failing schedules are written
     * @param progress  receives a progress line now and then (may be a no-op)
     */
    public Explorer(SimulationConfig template, Path replayDir, Consumer<String> progress) {
        this.template = template;
        this.replayDir = replayDir;
        this.progress = progress;
    }

    public ExploreReport explore(int runs, int steps, long seed) {
        Mode mode = template.mode();
        ScheduleRunner runner = new ScheduleRunner(template);
        ScheduleGenerator generator = new ScheduleGenerator(mode);
        Map<Invariant, ExploreReport.Finding> findings = new EnumMap<>(Invariant.class);
        Map<Scenario, Integer> coverage = new EnumMap<>(Scenario.class);
        for (Scenario s : Scenario.values()) {
            coverage.put(s, 0);
        }
        int unsettled = 0;
        int progressViolations = 0;
        ExploreReport.Finding progressFinding = null;
        long start = System.nanoTime();
        long lastProgress = start;
        long runNanos = 0;
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < runs; i++) {
            long runSeed = seed + i;
            long t0 = System.nanoTime();
            RunResult result;
            try {
                result = generator.generate(runSeed, steps, runner);
            } catch (SimulationFailure failure) {
                throw saved(failure);
            }
            runNanos += System.nanoTime() - t0;
            if (!result.settled()) {
                unsettled++;
            }
            for (Scenario s : Scenario.occurredIn(result.history().events())) {
                coverage.merge(s, 1, Integer::sum);
            }
            double secondsSoFar = (System.nanoTime() - start) / 1e9;
            for (Invariant inv : mode.invariants()) {
                if (result.violated(inv) && !findings.containsKey(inv)) {
                    findings.put(inv, shrinkAndSave(runner, result, inv.tlaName(),
                            r -> r.violated(inv), r -> r.verdicts().get(inv).explanation(), i + 1, secondsSoFar));
                }
            }
            if (result.progressViolated()) {
                progressViolations++;
                if (progressFinding == null) {
                    progressFinding = shrinkAndSave(runner, result, ProgressChecker.NAME, RunResult::progressViolated,
                            r -> r.progress().explanation(), i + 1, secondsSoFar);
                }
            }
            long now = System.nanoTime();
            if (now - lastProgress > 2_000_000_000L) {
                lastProgress = now;
                progress.accept(String.format("explore %s: %d/%d schedules, %d violations found",
                        mode.cliName(), i + 1, runs, findings.size()));
            }
        }
        double seconds = runNanos / 1e9;
        double perSecond = seconds > 0 ? runs / seconds : 0;
        // CPU time includes shrinking; it is what a busy machine does not distort.
        double cpuSeconds = (cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double perCpuSecond = cpuSeconds > 0 ? runs / cpuSeconds : 0;
        Map<Invariant, ExploreReport.InvariantOutcome> outcomes = new LinkedHashMap<>();
        for (Invariant inv : mode.invariants()) {
            Expectation expected = mode.expected(inv);
            ExploreReport.Finding f = findings.get(inv);
            outcomes.put(inv, new ExploreReport.InvariantOutcome(inv, expected, f == null, f));
        }
        Set<Scenario> required = Scenario.requiredFor(mode);
        return new ExploreReport(mode, runs, steps, seed, outcomes, coverage, required, unsettled, perSecond,
                perCpuSecond, template.brokerVariant(), progressFinding, progressViolations);
    }

    /** Saves the schedule that broke the simulation, so the failure can be replayed, and says where. */
    private SimulationFailure saved(SimulationFailure failure) {
        Schedule s = failure.schedule();
        Path file = replayDir.resolve(String.format("%s-crash-seed%d.schedule", s.mode().cliName(), s.seed()));
        try {
            ScheduleFile.write(s, file);
        } catch (IOException e) {
            failure.addSuppressed(e);
            return failure;
        }
        return new SimulationFailure(s, new IllegalStateException(failure.getCause().getMessage() + "; schedule saved to " + file,
                failure.getCause()));
    }

    /**
     * Shrinks a failing run to a short schedule that still fails {@code fails} and saves it as
     * {@code MODE-NAME-seedS.schedule}; {@code explain} reads the failure's one-line explanation.
     */
    private ExploreReport.Finding shrinkAndSave(ScheduleRunner runner, RunResult failing, String name,
                                                Predicate<RunResult> fails, Function<RunResult, String> explain,
                                                int runsToFind, double secondsToFind) {
        Schedule original = failing.schedule();
        Shrinker shrinker = new Shrinker(candidate -> {
            try {
                return fails.test(runner.run(original.withSteps(candidate)));
            } catch (SimulationFailure failure) {
                throw saved(failure);
            }
        }, candidate -> {
            try {
                return runner.stepTimes(original.withSteps(candidate));
            } catch (SimulationFailure failure) {
                throw saved(failure);
            }
        }, SHRINK_BUDGET);
        List<Step> shrunk = shrinker.shrink(original.steps());
        Schedule saved = original.withSteps(shrunk).failing(name);
        RunResult replayed = runner.run(saved);
        Path file = replayDir.resolve(String.format("%s-%s-seed%d.schedule", original.mode().cliName(),
                name, original.seed()));
        try {
            ScheduleFile.write(saved, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write replay file " + file, e);
        }
        return new ExploreReport.Finding(original.seed(), original.steps().size(), shrunk.size(), file, saved,
                fails.test(replayed) ? explain.apply(replayed) : "", shrinker.attempts(), runsToFind, secondsToFind);
    }
}
