package dev.deliverycheck.wire.observe;

import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What was observed during one real run, in the order it was observed: events the client side and the proxy
 * could name at once, and two kinds of placeholders that the final log scan resolves into the broker's events
 * (a Produce answer becomes the BrokerAppend of the batch stored at its offset; an EndTxn answer is where the
 * transaction's COMMIT markers go). Placeholders keep the appends and markers in the place the checkers need
 * them relative to InitProducerId answers (ZombieFenced reads that order).
 *
 * <p>Thread-safe: the producer's callers and I/O thread and the proxy's threads append concurrently.
 */
public final class Timeline {
    /** A Produce answer without error for one partition: the batch stored at {@code baseOffset} was appended by now. */
    public record ProduceAnswered(TopicPartition topicPartition, long baseOffset) {
    }

    /** An EndTxn answer without error: markers of {@code producerId} at one of the two epochs were written by now. */
    public record EndTxnAnswered(long producerId, short requestEpoch, short answerEpoch, boolean commit) {
    }

    private final List<Object> items = new ArrayList<>();
    private final AtomicLong recordIds = new AtomicLong();

    /** Appends an event named at the moment it was observed. */
    public synchronized void add(Event event) {
        items.add(event);
    }

    synchronized void add(ProduceAnswered answer) {
        items.add(answer);
    }

    synchronized void add(EndTxnAnswered answer) {
        items.add(answer);
    }

    /** A fresh record id, unique within the run. */
    public long nextRecordId() {
        return recordIds.incrementAndGet();
    }

    /** A copy of everything observed so far, in order. */
    public synchronized List<Object> items() {
        return List.copyOf(items);
    }
}
