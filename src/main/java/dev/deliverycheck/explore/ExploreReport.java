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

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", mode.cliName());
        json.put("runs", runs);
        json.put("steps", steps);
        json.put("seed", seed);
        if (!"real".equals(brokerVariant)) {
            json.put("brokerVariant", brokerVariant);
        }
        Map<String, Object> inv = new LinkedHashMap<>();
        for (InvariantOutcome o : invariants.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("expected", o.expected().label());
            m.put("observed", o.observed());
            m.put("ok", o.matches());
            if (o.finding() != null) {
                Finding f = o.finding();
                m.put("seed", f.seed());
                m.put("originalSteps", f.originalSteps());
                m.put("shrunkSteps", f.shrunkSteps());
                m.put("schedule", f.file().toString());
                m.put("explanation", f.explanation());
                m.put("runsToFind", f.runsToFind());
                m.put("secondsToFind", Math.round(f.secondsToFind() * 100) / 100.0);
            }
            inv.put(o.invariant().tlaName(), m);
        }
        json.put("invariants", inv);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("expected", Expectation.HOLDS.label());
        p.put("observed", progressHolds() ? Expectation.HOLDS.label() : Expectation.VIOLATED.label());
        p.put("violatingRuns", progressViolations);
        if (progress != null) {
            p.put("seed", progress.seed());
            p.put("originalSteps", progress.originalSteps());
            p.put("shrunkSteps", progress.shrunkSteps());
            p.put("schedule", progress.file().toString());
            p.put("explanation", progress.explanation());
            p.put("runsToFind", progress.runsToFind());
            p.put("secondsToFind", Math.round(progress.secondsToFind() * 100) / 100.0);
        }
        json.put(dev.deliverycheck.check.ProgressChecker.NAME, p);
        Map<String, Object> cov = new LinkedHashMap<>();
        for (Map.Entry<Scenario, Integer> e : coverage.entrySet()) {
            cov.put(e.getKey().jsonName(), e.getValue());
        }
        json.put("coverage", cov);
        json.put("undercovered", undercoveredScenarios().stream().map(Scenario::jsonName).toList());
        json.put("unsettledRuns", unsettledRuns);
        json.put("schedulesPerSecond", Math.round(schedulesPerSecond * 10) / 10.0);
        json.put("schedulesPerCpuSecond", Math.round(schedulesPerCpuSecond * 10) / 10.0);
        json.put("ok", ok());
        return json;
    }
}
