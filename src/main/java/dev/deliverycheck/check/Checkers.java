package dev.deliverycheck.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The checkers of the invariants that apply to one kind of run, judged together. Holds one
 * stateless checker per invariant, in the outcome matrix's column order, so verdict lists line
 * up with the matrix.
 */
public final class Checkers {
    private final List<InvariantChecker> checkers;

    private Checkers(List<Invariant> invariants) {
        List<InvariantChecker> list = new ArrayList<>();
        for (Invariant invariant : invariants) {
            list.add(invariant.checker());
        }
        this.checkers = List.copyOf(list);
    }

    /** The checkers of every invariant that applies to {@code mode}. */
    public static Checkers forMode(Mode mode) {
        return new Checkers(mode.invariants());
    }

    /** The checkers of a run with or without transactions: six invariants with, four without. */
    public static Checkers forMode(boolean transactional) {
        return new Checkers(Mode.applicable(transactional));
    }

    /** The checkers for the kind of run {@code history} records (transactional or not). */
    public static Checkers forHistory(History history) {
        return forMode(history.transactional());
    }

    public List<InvariantChecker> checkers() {
        return checkers;
    }

    public List<Invariant> invariants() {
        List<Invariant> invariants = new ArrayList<>();
        for (InvariantChecker checker : checkers) {
            invariants.add(checker.invariant());
        }
        return List.copyOf(invariants);
    }

    /** Every invariant judged on a settled run (faults stopped, producers flushed, fresh fetches). */
    public List<Verdict> checkAll(History history) {
        List<Verdict> verdicts = new ArrayList<>();
        for (InvariantChecker checker : checkers) {
            verdicts.add(checker.check(history));
        }
        return List.copyOf(verdicts);
    }

    /**
     * The safety part, judged after any step of a run: every invariant except the settled-only
     * ones (NoLoss), each through {@link InvariantChecker#checkStep}.
     */
    public List<Verdict> checkStep(History history) {
        List<Verdict> verdicts = new ArrayList<>();
        for (InvariantChecker checker : checkers) {
            if (!checker.invariant().settledOnly()) {
                verdicts.add(checker.checkStep(history));
            }
        }
        return List.copyOf(verdicts);
    }

    /** The first violated verdict of {@link #checkStep}, or null when all hold: the explorer's fast path. */
    public Verdict firstStepViolation(History history) {
        for (InvariantChecker checker : checkers) {
            if (!checker.invariant().settledOnly()) {
                Verdict verdict = checker.checkStep(history);
                if (!verdict.holds()) {
                    return verdict;
                }
            }
        }
        return null;
    }
}
