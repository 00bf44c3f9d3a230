package dev.deliverycheck.check;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The four delivery modes as the checkers see them: which invariants apply and which outcome
 * DESIGN.md's matrix expects of each. Deliberately separate from the producer's own mode type,
 * so that check depends on nothing but the event history.
 */
public enum Mode {
    AT_MOST_ONCE("at-most-once", false, EnumSet.of(Invariant.NO_LOSS)),
    AT_LEAST_ONCE("at-least-once", false, EnumSet.of(Invariant.NO_DUPLICATE, Invariant.PARTITION_ORDER)),
    IDEMPOTENT("idempotent", false, EnumSet.noneOf(Invariant.class)),
    EXACTLY_ONCE("exactly-once", true, EnumSet.noneOf(Invariant.class));

    private final String cliName;
    private final boolean transactional;
    private final Set<Invariant> expectedViolations;

    Mode(String cliName, boolean transactional, Set<Invariant> expectedViolations) {
        this.cliName = cliName;
        this.transactional = transactional;
        this.expectedViolations = expectedViolations;
    }

    /** The name on the command line and in reports, e.g. "at-least-once". */
    public String cliName() {
        return cliName;
    }

    /** Whether the mode uses transactions (and so read_committed readers). */
    public boolean transactional() {
        return transactional;
    }

    /** The invariants that apply to the mode, in the matrix's column order. */
    public List<Invariant> invariants() {
        return applicable(transactional);
    }

    /** The matrix cell for this mode and {@code invariant}. */
    public Expectation expected(Invariant invariant) {
        if (invariant.transactionalOnly() && !transactional) {
            return Expectation.NOT_APPLICABLE;
        }
        return expectedViolations.contains(invariant) ? Expectation.VIOLATED : Expectation.HOLDS;
    }

    /** The mode named {@code name} on the command line; throws naming the known modes otherwise. */
    public static Mode fromCliName(String name) {
        for (Mode mode : values()) {
            if (mode.cliName.equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name
                + "', expected one of at-most-once, at-least-once, idempotent, exactly-once");
    }

    /** The invariants that apply to a run that does or does not use transactions, in matrix order. */
    static List<Invariant> applicable(boolean transactional) {
        List<Invariant> invariants = new ArrayList<>();
        for (Invariant invariant : Invariant.values()) {
            if (transactional || !invariant.transactionalOnly()) {
                invariants.add(invariant);
            }
        }
        return List.copyOf(invariants);
    }
}
