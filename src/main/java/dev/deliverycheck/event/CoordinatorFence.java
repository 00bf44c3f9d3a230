package dev.deliverycheck.event;

/** InitProducerId from a new instance bumped the epoch; an ongoing transaction of the old epoch is aborted. */
public record CoordinatorFence(int broker, String transactionalId, long producerId, short oldEpoch, short newEpoch) implements Event {
}
