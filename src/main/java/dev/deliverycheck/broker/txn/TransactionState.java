package dev.deliverycheck.broker.txn;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * States of a {@code transactional.id} at its coordinator, Kafka's {@code TransactionState},
 * with the one table of legal transitions ({@link #canTransitionTo}). An illegal transition is a
 * bug and throws.
 *
 * <pre>
 *   Empty ──AddPartitions──▶ Ongoing ──EndTxn(commit)──▶ PrepareCommit ──all markers──▶ CompleteCommit
 *     ▲                       │  ▲ └──EndTxn(abort) / fence / timeout──▶ PrepareAbort ──all markers──▶ CompleteAbort
 *     └──InitProducerId───────┘  └──AddPartitions── CompleteCommit, CompleteAbort, Empty
 *   Empty, CompleteCommit, CompleteAbort ──EndTxn(abort), epoch bump (KIP-890 part 2)──▶ PrepareAbort
 * </pre>
 */
public enum TransactionState {
    EMPTY("Empty"),
    ONGOING("Ongoing"),
    PREPARE_COMMIT("PrepareCommit"),
    PREPARE_ABORT("PrepareAbort"),
    COMPLETE_COMMIT("CompleteCommit"),
    COMPLETE_ABORT("CompleteAbort");

    private static final Map<TransactionState, Set<TransactionState>> NEXT = Map.of(
            // idle -> PrepareAbort: KIP-890 part 2's abort of a transaction no partition was added to
            EMPTY, EnumSet.of(EMPTY, ONGOING, PREPARE_ABORT),
            ONGOING, EnumSet.of(ONGOING, PREPARE_COMMIT, PREPARE_ABORT),
            PREPARE_COMMIT, EnumSet.of(COMPLETE_COMMIT),
            PREPARE_ABORT, EnumSet.of(COMPLETE_ABORT),
            COMPLETE_COMMIT, EnumSet.of(EMPTY, ONGOING, PREPARE_ABORT),
            COMPLETE_ABORT, EnumSet.of(EMPTY, ONGOING, PREPARE_ABORT));

    private final String kafkaName;

    TransactionState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The state's name in Kafka and in the TLA+ specs. */
    public String kafkaName() {
        return kafkaName;
    }

    public boolean canTransitionTo(TransactionState next) {
        return NEXT.get(this).contains(next);
    }

    /** Returns {@code next}, or throws if the table does not allow it. */
    public TransactionState transitionTo(TransactionState next) {
        if (!canTransitionTo(next)) {
            throw new IllegalStateException("illegal transaction state transition " + kafkaName + " -> " + next.kafkaName);
        }
        return next;
    }

    /** PrepareCommit or PrepareAbort: the decision is logged, markers are being written. */
    public boolean isPrepare() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** Empty, CompleteCommit or CompleteAbort: no transaction in progress. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }
}
