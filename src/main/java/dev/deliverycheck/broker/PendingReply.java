package dev.deliverycheck.broker;

import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.ProduceResponse.PartitionResult;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Produce or WriteTxnMarkers request being answered: the per-partition results decided so far,
 * the partitions whose append must become durable before the answer goes out, and how many
 * KIP-890 verifications are still outstanding.
 *
 * <p>Invariant: a partition's success is only reported once its batch (or, for a duplicate, the
 * original batch) is below the partition's flushed offset; the reply is sent once, when nothing is
 * awaited any more.
 */
final class PendingReply {
    enum Kind { PRODUCE, MARKERS }

    final Kind kind;
    final int destination;
    final int correlationId;
    /** False for acks=0: the broker sends no response. */
    final boolean respond;
    final Map<TopicPartition, PartitionResult> produceResults = new TreeMap<>();
    final Map<TopicPartition, Errors> markerResults = new TreeMap<>();
    /** Partition &rarr; {base offset to report, flushed offset required}. */
    private final Map<TopicPartition, long[]> awaitingFlush = new HashMap<>();
    private int verifying;

    PendingReply(Kind kind, int destination, int correlationId, boolean respond) {
        this.kind = kind;
        this.destination = destination;
        this.correlationId = correlationId;
        this.respond = respond;
    }

    void fail(TopicPartition tp, Errors error, String message) {
        if (kind == Kind.PRODUCE) {
            produceResults.put(tp, PartitionResult.error(error, message));
        } else {
            markerResults.put(tp, error);
        }
    }

    /** Success at {@code baseOffset}, to be reported once the log is durable up to {@code requiredFlushed}. */
    void awaitFlush(TopicPartition tp, long baseOffset, long requiredFlushed) {
        awaitingFlush.put(tp, new long[] {baseOffset, requiredFlushed});
    }

    void verificationStarted() {
        verifying++;
    }

    void verificationEnded() {
        verifying--;
    }

    /** Turns every awaited partition that {@code highWatermark} now covers into a success. */
    void settle(java.util.function.ToLongFunction<TopicPartition> highWatermark) {
        awaitingFlush.entrySet().removeIf(e -> {
            if (highWatermark.applyAsLong(e.getKey()) < e.getValue()[1]) {
                return false;
            }
            if (kind == Kind.PRODUCE) {
                produceResults.put(e.getKey(), PartitionResult.ok(e.getValue()[0]));
            } else {
                markerResults.put(e.getKey(), Errors.NONE);
            }
            return true;
        });
    }

    boolean complete() {
        return awaitingFlush.isEmpty() && verifying == 0;
    }
}
