package dev.deliverycheck.explore;

import dev.deliverycheck.check.Expectation;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an exploration found: per invariant the expectation (DESIGN.md's matrix), the observation,
 * and for a violation the run seed, the original and shrunk schedule lengths and the replay
 * file; the coverage of fault scenarios; the explorer's speed, in schedules per second of wall
 * time (excluding shrinking) and per second of CPU time (including it).
 */
public record ExploreReport(Mode mode, int runs, int steps, long seed, Map<Invariant, InvariantOutcome> invariants,
                            Map<Scenario, Integer> coverage, Set<Scenario> requiredScenarios, int unsettledRuns,
                            double schedulesPerSecond, double schedulesPerCpuSecond, String brokerVariant,
                            Finding progress, int progressViolations) {

    /** A report without a Progress judgement (every run counted as having made progress). */
    public ExploreReport(Mode mode, int runs, int steps, long seed, Map<Invariant, InvariantOutcome> invariants,
                         Map<Scenario, Integer> coverage, Set<Scenario> requiredScenarios, int unsettledRuns,
                         double schedulesPerSecond, double schedulesPerCpuSecond, String brokerVariant) {
        this(mode, runs, steps, seed, invariants, coverage, requiredScenarios, unsettledRuns, schedulesPerSecond,
                schedulesPerCpuSecond, brokerVariant, null, 0);
    }

    /** Below this many runs the coverage floors are reported but do not decide {@link #ok()}: too few to judge a share. */
    public static final int MIN_RUNS_FOR_COVERAGE = 500;

    /**
     * The first violation of an invariant (or of Progress), shrunk.
     *
     * @param runsToFind    schedules explored up to and including the one that showed it
     * @param secondsToFind wall time from the start of the exploration until it was seen (before shrinking)
     */
    public record Finding(long seed, int originalSteps, int shrunkSteps, Path file, Schedule schedule,
                          String explanation, int shrinkAttempts, int runsToFind, double secondsToFind) {
        public Finding(long seed, int originalSteps, int shrunkSteps, Path file, Schedule schedule,
                       String explanation, int shrinkAttempts) {
            this(seed, originalSteps, shrunkSteps, file, schedule, explanation, shrinkAttempts, 0, 0);
        }
    }

    /** Whether every run settled and made progress (ProgressChecker). */
    public boolean progressHolds() {
        return progress == null;
    }

    public record InvariantOutcome(Invariant invariant, Expectation expected, boolean holds, Finding finding) {
        public String observed() {
            return holds ? Expectation.HOLDS.label() : Expectation.VIOLATED.label();
        }

        public boolean matches() {
            return expected.matches(holds);
        }
    }

    /** Scenarios the mode depends on that occurred in fewer runs than their floor ({@link Scenario#floor}). */
    public Set<Scenario> undercoveredScenarios() {
        java.util.EnumSet<Scenario> low = java.util.EnumSet.noneOf(Scenario.class);
        for (Scenario s : requiredScenarios) {
            if (coverage.getOrDefault(s, 0) < s.floor(mode) * runs) {
                low.add(s);
            }
        }
        return low;
    }

    /**
     * Observed matches expected for every invariant, every run made progress, and (from
     * {@link #MIN_RUNS_FOR_COVERAGE} runs on) no scenario the mode depends on is below its floor:
     * a run set that never produced the situations a verdict depends on proves nothing.
     */
    public boolean ok() {
        return invariants.values().stream().allMatch(InvariantOutcome::matches) && progressHolds()
                && (runs < MIN_RUNS_FOR_COVERAGE || undercoveredScenarios().isEmpty());
    }

    /** The {@code explore --json} document of this report. */
    public ExploreJson toJson() {
        Map<String, ExploreJson.Verdict> inv = new LinkedHashMap<>();
        for (InvariantOutcome o : invariants.values()) {
            inv.put(o.invariant().tlaName(),
                    ExploreJson.Verdict.of(o.expected().label(), o.observed(), o.matches(), null, o.finding()));
        }
        ExploreJson.Verdict p = ExploreJson.Verdict.of(Expectation.HOLDS.label(),
                progressHolds() ? Expectation.HOLDS.label() : Expectation.VIOLATED.label(), null, progressViolations,
                progress);
        Map<String, Integer> cov = new LinkedHashMap<>();
        for (Map.Entry<Scenario, Integer> e : coverage.entrySet()) {
            cov.put(e.getKey().jsonName(), e.getValue());
        }
        return new ExploreJson(mode.cliName(), runs, steps, seed, "real".equals(brokerVariant) ? null : brokerVariant,
                inv, p, cov, undercoveredScenarios().stream().map(Scenario::jsonName).toList(), unsettledRuns,
                Math.round(schedulesPerSecond * 10) / 10.0, Math.round(schedulesPerCpuSecond * 10) / 10.0, ok(),
                null, null, null);
    }
}
