package dev.deliverycheck.explore;

import dev.deliverycheck.check.History;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Verdict;
import java.util.Map;

/**
 * The outcome of running one schedule: its history, and per invariant the first violation
 * found (after a step, or on the settled end state), or the final passing verdict.
 *
 * @param violationStep per violated invariant, the index of the step after which it was first
 *                      seen, or the schedule's length if only the settled end state showed it
 */
public record RunResult(Schedule schedule, History history, Map<Invariant, Verdict> verdicts, Map<Invariant, Integer> violationStep,
                        boolean settled) {
    public boolean violated(Invariant invariant) {
        Verdict v = verdicts.get(invariant);
        return v != null && !v.holds();
    }
}
