package dev.deliverycheck.report;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.Scenario;
import dev.deliverycheck.explore.Schedule;
import dev.deliverycheck.explore.ScheduleFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the {@code explore --json} reports of shards into the report one job would have made.
 * The shards must be of one mode and step count and cover one seed range without gap or
 * overlap. An invariant is violated if any shard violated it, and its finding is the one of the
 * lowest seed -- the run a single job meets first, so it reports the same seed and schedule.
 * Coverage and unsettled runs add up; the speeds are total runs over total time.
 */
public final class ShardMerge {
    private ShardMerge() {
    }

    /** A shard report, as parsed JSON, and where it came from (for error messages). */
    public record Part(String source, Map<?, ?> json) {
    }

    /** Throws IllegalArgumentException with one line naming the offending file. */
    public static ExploreReport merge(List<Part> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("merge needs at least one explore --json report");
        }
        List<Part> sorted = new ArrayList<>(parts);
        sorted.sort(Comparator.comparingLong(p -> number(p, "seed")));
        Part firstPart = sorted.get(0);
        Mode mode = mode(firstPart);
        long steps = number(firstPart, "steps");
        long seed = number(firstPart, "seed");
        long next = seed;
        int runs = 0;
        int unsettled = 0;
        double seconds = 0;
        double cpuSeconds = 0;
        Set<Long> shardIndexes = new HashSet<>();
        Map<Scenario, Integer> coverage = new EnumMap<>(Scenario.class);
        Map<Invariant, ExploreReport.Finding> findings = new EnumMap<>(Invariant.class);
        for (Part p : sorted) {
            if (mode(p) != mode || number(p, "steps") != steps) {
                throw new IllegalArgumentException(p.source() + ": mode " + mode(p).cliName() + " with " + number(p, "steps")
                        + " steps does not match " + firstPart.source() + " (" + mode.cliName() + ", " + steps + " steps)");
            }
            long s = number(p, "seed");
            if (s != next) {
                throw new IllegalArgumentException(p.source() + ": starts at seed " + s + " but the shards before end at seed "
                        + (next - 1) + (s > next ? " (a shard is missing)" : " (shards overlap)"));
            }
            int n = (int) number(p, "runs");
            next = s + n;
            runs += n;
            unsettled += (int) number(p, "unsettledRuns");
            seconds += n / Math.max(1e-9, doubleOr(p, "schedulesPerSecond"));
            cpuSeconds += n / Math.max(1e-9, doubleOr(p, "schedulesPerCpuSecond"));
            if (p.json().get("shard") instanceof Map<?, ?> shard && !shardIndexes.add(((Number) shard.get("index")).longValue())) {
                throw new IllegalArgumentException(p.source() + ": shard " + shard.get("index") + " is given twice");
            }
            Map<?, ?> cov = map(p, "coverage");
            for (Scenario sc : Scenario.values()) {
                Object v = cov.get(sc.jsonName());
                coverage.merge(sc, v instanceof Number num ? num.intValue() : 0, Integer::sum);
            }
            Map<?, ?> invariants = map(p, "invariants");
            for (Invariant inv : mode.invariants()) {
                Object o = invariants.get(inv.tlaName());
                if (!(o instanceof Map<?, ?> m)) {
                    throw new IllegalArgumentException(p.source() + ": no verdict for " + inv.tlaName());
                }
                if ("violated".equals(m.get("observed")) && !findings.containsKey(inv)) {
                    findings.put(inv, finding(p, m, s - seed));
                }
            }
        }
        if (firstPart.json().get("shard") instanceof Map<?, ?> shard) {
            long total = ((Number) shard.get("totalRuns")).longValue();
            if (total != runs) {
                throw new IllegalArgumentException("the shards cover " + runs + " runs, but their job has " + total
                        + " (shard count " + shard.get("count") + ", " + parts.size() + " given)");
            }
        }
        Map<Invariant, ExploreReport.InvariantOutcome> outcomes = new LinkedHashMap<>();
        for (Invariant inv : mode.invariants()) {
            ExploreReport.Finding f = findings.get(inv);
            outcomes.put(inv, new ExploreReport.InvariantOutcome(inv, mode.expected(inv), f == null, f));
        }
        return new ExploreReport(mode, runs, (int) steps, seed, outcomes, coverage, Scenario.requiredFor(mode), unsettled,
                runs / Math.max(1e-9, seconds), runs / Math.max(1e-9, cpuSeconds), "real");
    }

    /**
     * A finding; its schedule is read back from the file the shard wrote, when that file is here.
     * {@code runsBefore} (the runs of the job before this shard) turns the shard's runsToFind into
     * the job's; secondsToFind stays the shard's own wall time.
     */
    private static ExploreReport.Finding finding(Part p, Map<?, ?> m, long runsBefore) {
        Path file = Path.of(String.valueOf(m.get("schedule")));
        Schedule schedule = null;
        if (Files.isRegularFile(file)) {
            try {
                schedule = ScheduleFile.read(file);
            } catch (IOException | ScheduleFile.MalformedScheduleException e) {
                throw new IllegalArgumentException(p.source() + ": cannot read its schedule " + file + ": " + e.getMessage());
            }
        }
        return new ExploreReport.Finding(((Number) m.get("seed")).longValue(), ((Number) m.get("originalSteps")).intValue(),
                ((Number) m.get("shrunkSteps")).intValue(), file, schedule, String.valueOf(m.get("explanation")), 0,
                (int) runsBefore + (m.get("runsToFind") instanceof Number r ? r.intValue() : 0),
                m.get("secondsToFind") instanceof Number t ? t.doubleValue() : 0);
    }

    private static Mode mode(Part p) {
        Object m = p.json().get("mode");
        if (!(m instanceof String name)) {
            throw new IllegalArgumentException(p.source() + ": not an explore --json report (no \"mode\")");
        }
        try {
            return Mode.fromCliName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(p.source() + ": " + e.getMessage());
        }
    }

    private static long number(Part p, String key) {
        Object v = p.json().get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(p.source() + ": not an explore --json report (no number \"" + key + "\")");
        }
        return n.longValue();
    }

    private static double doubleOr(Part p, String key) {
        return p.json().get(key) instanceof Number n ? n.doubleValue() : 0;
    }

    private static Map<?, ?> map(Part p, String key) {
        if (!(p.json().get(key) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(p.source() + ": not an explore --json report (no \"" + key + "\")");
        }
        return m;
    }
}
