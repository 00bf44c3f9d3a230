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
                            double schedulesPerSecond, double schedulesPerCpuSecond, String brokerVariant) {

    /** The first violation of an invariant, shrunk. */
    public record Finding(long seed, int originalSteps, int shrunkSteps, Path file, Schedule schedule,
                          String explanation, int shrinkAttempts) {
    }

    public record InvariantOutcome(Invariant invariant, Expectation expected, boolean holds, Finding finding) {
        public String observed() {
            return holds ? Expectation.HOLDS.label() : Expectation.VIOLATED.label();
        }

        public boolean matches() {
            return expected.matches(holds);
        }
    }

    /** Scenarios the mode depends on that occurred in fewer than {@link Scenario#MIN_SHARE} of the runs. */
    public Set<Scenario> undercoveredScenarios() {
        java.util.EnumSet<Scenario> low = java.util.EnumSet.noneOf(Scenario.class);
        for (Scenario s : requiredScenarios) {
            if (coverage.getOrDefault(s, 0) < Scenario.MIN_SHARE * runs) {
                low.add(s);
            }
        }
        return low;
    }

    /** Observed matches expected for every invariant. (Coverage is reported separately.) */
    public boolean ok() {
        return invariants.values().stream().allMatch(InvariantOutcome::matches);
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
            }
            inv.put(o.invariant().tlaName(), m);
        }
        json.put("invariants", inv);
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
