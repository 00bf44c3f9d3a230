package dev.deliverycheck.event;

/** An idempotent producer bumped its epoch locally after an unresolvable sequence gap and restarted sequences at 0. */
public record ProducerBumpEpoch(int producer, long producerId, short producerEpoch) implements Event {
}
