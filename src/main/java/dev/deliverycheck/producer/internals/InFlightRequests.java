package dev.deliverycheck.producer.internals;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests sent and not yet answered, Kafka's {@code InFlightRequests}, keyed by correlation id.
 *
 * <p>Invariants: at most {@code max.in.flight.requests.per.connection} per broker (the sender
 * asks {@link #canSendMore} first); a request leaves exactly once — answered, or failed with every
 * other request to its broker when one of them times out (Kafka closes the connection) — so a
 * late answer to a removed request finds nothing and is ignored.
 */
public final class InFlightRequests {
    /** One request on the wire: a Produce carrying batches, or a transactional request. */
    public record InFlight(int correlationId, int destination, long sentMs, Map<TopicPartition, ProducerBatch> batches,
                           TxnRequest txnRequest) {
        public boolean isProduce() {
            return txnRequest == null;
        }
    }

    private final int maxInFlightPerBroker;
    private final Map<Integer, InFlight> byCorrelationId = new LinkedHashMap<>();

    public InFlightRequests(int maxInFlightPerBroker) {
        this.maxInFlightPerBroker = maxInFlightPerBroker;
    }

    public boolean canSendMore(int destination) {
        return count(destination) < maxInFlightPerBroker;
    }

    public int count(int destination) {
        int n = 0;
        for (InFlight r : byCorrelationId.values()) {
            if (r.destination() == destination) {
                n++;
            }
        }
        return n;
    }

    public void add(InFlight request) {
        byCorrelationId.put(request.correlationId(), request);
    }

    /** Removes the request a response from {@code source} answers, or returns null for a stale/unknown one. */
    public InFlight complete(int correlationId, int source) {
        InFlight r = byCorrelationId.get(correlationId);
        if (r == null || r.destination() != source) {
            return null;
        }
        return byCorrelationId.remove(correlationId);
    }

    /** Brokers with a request older than the timeout at {@code nowMs}, in order of first timeout. */
    public List<Integer> brokersWithTimedOutRequests(long nowMs, int requestTimeoutMs) {
        List<Integer> brokers = new ArrayList<>();
        for (InFlight r : byCorrelationId.values()) {
            if (nowMs - r.sentMs() >= requestTimeoutMs && !brokers.contains(r.destination())) {
                brokers.add(r.destination());
            }
        }
        return brokers;
    }

    /** Removes and returns every request to a broker, oldest first (a disconnect). */
    public List<InFlight> clearAll(int destination) {
        List<InFlight> cleared = new ArrayList<>();
        byCorrelationId.values().removeIf(r -> {
            if (r.destination() == destination) {
                cleared.add(r);
                return true;
            }
            return false;
        });
        return cleared;
    }

    public boolean hasTxnRequest() {
        for (InFlight r : byCorrelationId.values()) {
            if (!r.isProduce()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a Produce request carrying a batch of this partition is still unanswered. */
    public boolean hasProduceFor(TopicPartition tp) {
        for (InFlight r : byCorrelationId.values()) {
            if (r.isProduce() && r.batches().containsKey(tp)) {
                return true;
            }
        }
        return false;
    }

    public List<InFlight> all() {
        return new ArrayList<>(byCorrelationId.values());
    }

    public boolean isEmpty() {
        return byCorrelationId.isEmpty();
    }

    /** The earliest time at which a request times out. */
    public long nextTimeoutMs(int requestTimeoutMs) {
        long next = Long.MAX_VALUE;
        for (InFlight r : byCorrelationId.values()) {
            next = Math.min(next, r.sentMs() + requestTimeoutMs);
        }
        return next;
    }
}
