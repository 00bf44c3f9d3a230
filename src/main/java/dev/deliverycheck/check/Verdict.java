package dev.deliverycheck.check;

import java.util.List;
import java.util.Objects;

/**
 * One invariant's judgement of one history: whether it holds, the ids of the records that break
 * it (in the order the checker met them) and a one-line explanation that names the first offence
 * (or, when it holds, what was checked). A verdict that holds never lists offenders.
 */
public record Verdict(Invariant invariant, boolean holds, List<Long> offendingIds, String explanation) {

    public Verdict {
        Objects.requireNonNull(invariant, "invariant");
        Objects.requireNonNull(explanation, "explanation");
        offendingIds = List.copyOf(offendingIds);
        if (holds && !offendingIds.isEmpty()) {
            throw new IllegalArgumentException("a verdict that holds lists no offending records, got " + offendingIds);
        }
        if (explanation.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the explanation must be one line: " + explanation);
        }
    }

    /** The invariant held; {@code explanation} says what was checked. */
    public static Verdict pass(Invariant invariant, String explanation) {
        return new Verdict(invariant, true, List.of(), explanation);
    }

    /** The invariant is broken by {@code offendingIds}; {@code explanation} names the first offence. */
    public static Verdict fail(Invariant invariant, List<Long> offendingIds, String explanation) {
        return new Verdict(invariant, false, offendingIds, explanation);
    }

    /** "holds" or "violated", the words of DESIGN.md's outcome matrix and of the JSON output. */
    public String label() {
        return holds ? "holds" : "violated";
    }

    @Override
    public String toString() {
        return invariant.tlaName() + " " + label() + ": " + explanation;
    }
}
