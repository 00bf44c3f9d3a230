package dev.deliverycheck.explore;

import dev.deliverycheck.check.History;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.ProgressChecker;
import dev.deliverycheck.check.Verdict;
import java.util.Map;

/**
 * The outcome of running one schedule: its history, and per invariant the first violation
 * found (after a step, or on the settled end state), or the final passing verdict; and the
 * Progress verdict on the end state (null only for results built without it).
 *
 * @param violationStep per violated invariant, the index of the step after which it was first
 *                      seen, or the schedule's length if only the settled end state showed it
 */
public record RunResult(Schedule schedule, History history, Map<Invariant, Verdict> verdicts, Map<Invariant, Integer> violationStep,
                        boolean settled, ProgressChecker.ProgressVerdict progress) {

    /** A result without a Progress verdict. */
    public RunResult(Schedule schedule, History history, Map<Invariant, Verdict> verdicts,
                     Map<Invariant, Integer> violationStep, boolean settled) {
        this(schedule, history, verdicts, violationStep, settled, null);
    }

    public boolean violated(Invariant invariant) {
        Verdict v = verdicts.get(invariant);
        return v != null && !v.holds();
    }

    /** Whether the settled run failed Progress (an unsettled run always does). */
    public boolean progressViolated() {
        return progress != null && !progress.holds();
    }
}
