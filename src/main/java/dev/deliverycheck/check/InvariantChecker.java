package dev.deliverycheck.check;

/**
 * Judges one invariant on a history. Implementations are stateless and read only the history,
 * so one instance may judge many histories, and a run costs time linear in its events.
 */
public interface InvariantChecker {

    /** The invariant this checker judges. */
    Invariant invariant();

    /**
     * Judges a settled history: faults have stopped, producers flushed and every transaction was
     * decided and its markers written, and fresh {@code ConsumerFetch} events show every partition.
     */
    Verdict check(History history);

    /**
     * Judges a history in the middle of a run, after any step. Only what can never become true
     * later is an offence here; the default is {@link #check} for invariants where that is all
     * there is. Invariants that are {@link Invariant#settledOnly()} should not be judged mid-run.
     */
    default Verdict checkStep(History history) {
        return check(history);
    }
}
