package dev.deliverycheck.broker.idempotence;

/** What the broker remembers of one appended batch of a producer: its sequence range and where it went. */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset) {
}
