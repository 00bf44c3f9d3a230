package dev.deliverycheck.wire.observe;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One producer instance as the history names it: its node id, the index of the transaction its caller is in
 * (-1 outside one), and where each of its records was sent. Handed to {@link RecordIdInterceptor} through the
 * producer's configuration under {@link #CONFIG}.
 */
public final class ProducerSession {
    /** The producer configuration key under which the interceptor finds its session. */
    public static final String CONFIG = "deliverycheck.session";

    private final int producer;
    private final Timeline timeline;
    private final Map<Long, TopicPartition> destinations = new ConcurrentHashMap<>();
    private volatile int transactionIndex = -1;

    public ProducerSession(int producer, Timeline timeline) {
        this.producer = producer;
        this.timeline = timeline;
    }

    public int producer() {
        return producer;
    }

    public Timeline timeline() {
        return timeline;
    }

    public int transactionIndex() {
        return transactionIndex;
    }

    /** The caller began transaction {@code index} (from 0), or left transactions ({@code -1}). */
    public void transactionIndex(int index) {
        this.transactionIndex = index;
    }

    void sentTo(long recordId, TopicPartition destination) {
        destinations.put(recordId, destination);
    }

    TopicPartition destination(long recordId) {
        return destinations.get(recordId);
    }
}
