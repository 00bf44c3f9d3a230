package dev.deliverycheck.event;

/** The coordinator assigned a producer id / bumped the epoch (fencing older instances). transactionalId is null for a plain idempotent producer. */
public record CoordinatorInitProducerId(int broker, String transactionalId, long producerId, short producerEpoch) implements Event {
}
