package dev.deliverycheck.event;

/** A transaction older than transaction.timeout.ms was aborted by the coordinator. */
public record CoordinatorTimeoutAbort(int broker, String transactionalId, long producerId, short producerEpoch) implements Event {
}
