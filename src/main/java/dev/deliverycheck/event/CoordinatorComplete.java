package dev.deliverycheck.event;

/** CompleteCommit / CompleteAbort was written after all markers. */
public record CoordinatorComplete(int broker, String transactionalId, long producerId, short producerEpoch, boolean commit) implements Event {
}
