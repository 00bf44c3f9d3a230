package dev.deliverycheck.broker;

import dev.deliverycheck.protocol.RecordBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A partition leader's KIP-890 verifications in flight: transactional batches held until the
 * transaction coordinator says their partition is in the producer's ongoing transaction (part 1),
 * or has added it (part 2, transaction version 2), keyed by the correlation id of the
 * AddPartitionsToTxn request the leader sent.
 *
 * <p>Invariants: every held batch leaves exactly once &mdash; by the coordinator's answer
 * ({@link #answered}), by its deadline ({@link #expire}) or by a lost connection to the coordinator
 * ({@link #disconnected}) &mdash; and an answer is taken only from the coordinator the request went
 * to; while a producer's batch to a partition is held, its later batches to that partition are
 * held too ({@link #pending}), so verdicts, which come back in request order, release them in
 * their sending order.
 */
final class TransactionVerifications {
    /** A batch waiting for its verdict; {@code guard} is the partition's marker guard when it started. */
    record Held(PendingReply reply, RecordBatch batch, int coordinator, long deadline, Object guard) {
    }

    private final Map<Integer, Held> held = new HashMap<>();

    /** Holds {@code batch} until the answer to the request {@code correlationId}. */
    void hold(int correlationId, Held verification) {
        held.put(correlationId, verification);
    }

    /**
     * Whether an earlier batch of the same producer to the same partition still waits for its
     * verdict. A later batch must then wait too, or it would be appended ahead of the earlier one
     * (an out-of-order sequence the producer cannot resolve).
     */
    boolean pending(RecordBatch batch) {
        for (Held v : held.values()) {
            if (v.batch().producerId() == batch.producerId() && v.batch().topicPartition().equals(batch.topicPartition())) {
                return true;
            }
        }
        return false;
    }

    /** The held batch the answer {@code correlationId} from {@code source} releases, or null if none. */
    Held answered(int correlationId, int source) {
        Held v = held.get(correlationId);
        if (v == null || v.coordinator() != source) {
            return null;
        }
        held.remove(correlationId);
        return v;
    }

    /** Releases (and returns) every held batch whose deadline is at or before {@code now}. */
    List<Held> expire(long now) {
        return release(v -> v.deadline() <= now);
    }

    /** Releases (and returns) every held batch whose verdict was to come from {@code peer}. */
    List<Held> disconnected(int peer) {
        return release(v -> v.coordinator() == peer);
    }

    private List<Held> release(Predicate<Held> which) {
        List<Held> released = new ArrayList<>();
        for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
            Held v = it.next();
            if (which.test(v)) {
                it.remove();
                released.add(v);
            }
        }
        return released;
    }

    /** The earliest deadline of a held batch, or Long.MAX_VALUE. */
    long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Held v : held.values()) {
            next = Math.min(next, v.deadline());
        }
        return next;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }
}
