package dev.deliverycheck.event;

/** PrepareCommit / PrepareAbort was written to the transaction log: the decision point. */
public record CoordinatorPrepare(int broker, String transactionalId, long producerId, short producerEpoch, boolean commit) implements Event {
}
