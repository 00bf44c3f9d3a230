package dev.deliverycheck.producer.internals;

import dev.deliverycheck.protocol.Sequences;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The idempotent producer's per-partition sequence bookkeeping, Kafka's {@code TxnPartitionMap}:
 * stamping a batch with the partition's next sequence, completing and failing batches, the
 * partitions whose sequence is unresolved (a failed batch may or may not have been written) and
 * the partitions waiting to be renumbered under a new epoch. It decides nothing about errors or
 * transactions: {@link SequenceHandler} and {@link ProducerIdentity} tell it what happened and ask it
 * where things stand.
 *
 * <p>Invariants: a batch gets its sequence once, at {@link #stamp}, and keeps it until the
 * partition is renumbered; batches are stamped in one global order (their ordinal), so a later
 * acknowledgement can be told from an earlier one across the wrap of sequences; a batch leaves the
 * in-flight batches only by its own completion or failure, never because a later one was
 * acknowledged; a partition is
 * unresolved by at most one batch (the latest failed one) and is no longer unresolved once it has
 * been renumbered.
 */
final class TxnPartitionMap {
    private final Map<TopicPartition, TxnPartitionEntry> partitions = new TreeMap<>();
    private final Set<TopicPartition> partitionsToRewriteSequences = new TreeSet<>();
    /** Partitions whose latest failed batch may or may not have been written; value: that batch. */
    private final Map<TopicPartition, ProducerBatch> unresolvedSequences = new TreeMap<>();
    private long nextOrdinal;
    private long changes;

    /** The partition's bookkeeping, or null if no batch was ever stamped for it. */
    TxnPartitionEntry get(TopicPartition tp) {
        return partitions.get(tp);
    }

    /**
     * Whether the partition's batches must wait at drain: the partition waits to be renumbered; a
     * batch without a sequence would overtake batches of an older epoch still in flight, or follow
     * an unresolved failure; a batch with a sequence is not the partition's first in flight.
     */
    boolean shouldStopDrain(ProducerBatch first, TopicPartition tp, ProducerIdAndEpoch current) {
        if (partitionsToRewriteSequences.contains(tp)) {
            return true;
        }
        TxnPartitionEntry entry = partitions.get(tp);
        if (!first.hasSequence()) {
            if (entry != null && !entry.inflight.isEmpty() && !entry.producerIdAndEpoch.equals(current)) {
                return true; // a sequence 0 of the new epoch must not overtake the old epoch's batches
            }
            return unresolvedSequences.containsKey(tp);
        }
        ProducerBatch firstInFlight = entry == null ? null : entry.firstInFlight();
        return firstInFlight != null && firstInFlight != first;
    }

    /** Stamps producer id, epoch and the partition's next sequence on a batch at its first drain. */
    void stamp(ProducerBatch batch, ProducerIdAndEpoch current, boolean transactional) {
        TxnPartitionEntry entry = partitions.computeIfAbsent(batch.topicPartition(),
                k -> new TxnPartitionEntry(current));
        if (!entry.producerIdAndEpoch.equals(current) && entry.inflight.isEmpty()) {
            // Kafka's maybeUpdateProducerIdAndEpoch: the old epoch's batches are all done; restart at 0
            entry.startSequencesAtBeginning(current);
        }
        batch.setProducerState(current, entry.nextSequence, transactional, nextOrdinal++);
        entry.nextSequence = Sequences.increment(entry.nextSequence, batch.recordCount());
        entry.inflight.add(batch);
        changes++;
    }

    /**
     * The broker stored the batch (or reported it a duplicate): advance the last acknowledged
     * sequence (Kafka's {@code maybeUpdateLastAckedSequence}: only forward, only in the current
     * epoch) and take the batch out of the partition's in-flight batches. Earlier batches still in
     * flight stay there: each completes by its own answer, its retry (answered as a duplicate) or
     * its delivery timeout, as in Kafka.
     */
    void complete(ProducerBatch batch, long baseOffset) {
        TxnPartitionEntry entry = partitions.get(batch.topicPartition());
        if (entry == null || !batch.hasSequence()) {
            return;
        }
        if (batch.producerIdAndEpoch().equals(entry.producerIdAndEpoch) && batch.ordinal() > entry.lastAckedOrdinal) {
            entry.lastAckedSequence = batch.lastSequence();
            entry.lastAckedOrdinal = batch.ordinal();
            if (baseOffset >= 0) {
                entry.lastAckedOffset = baseOffset + batch.recordCount() - 1;
            }
        }
        entry.inflight.remove(batch);
        changes++;
    }

    /** The batch failed for good: it leaves the partition's in-flight batches. Returns the partition's entry, or null. */
    TxnPartitionEntry fail(ProducerBatch batch) {
        TxnPartitionEntry entry = partitions.get(batch.topicPartition());
        if (entry != null) {
            entry.inflight.remove(batch);
        }
        changes++;
        return entry;
    }

    /** A failed batch may or may not have been written: its partition's sequence is unresolved (latest failure wins). */
    void markUnresolved(TopicPartition tp, ProducerBatch batch) {
        unresolvedSequences.merge(tp, batch, (a, b) -> a.ordinal() > b.ordinal() ? a : b);
    }

    /** The failed batch that left the partition's sequence unresolved, or null. */
    ProducerBatch unresolved(TopicPartition tp) {
        return unresolvedSequences.get(tp);
    }

    /**
     * Kafka's {@code isNextSequenceForUnresolvedPartition}: the partition has an unresolved failure
     * and {@code sequence} directly follows that failed batch.
     */
    boolean isNextAfterUnresolved(TopicPartition tp, int sequence) {
        ProducerBatch unresolved = unresolvedSequences.get(tp);
        return unresolved != null && sequence == Sequences.increment(unresolved.lastSequence(), 1);
    }

    /** Kafka's {@code isNextSequence}: {@code sequence} directly follows the last acknowledged one. */
    boolean isNextSequence(TopicPartition tp, int sequence) {
        TxnPartitionEntry entry = partitions.get(tp);
        return entry != null && entry.isNextSequence(sequence);
    }

    /** The partition is to be renumbered from 0 under the next epoch. */
    void requestRewrite(TopicPartition tp) {
        partitionsToRewriteSequences.add(tp);
        changes++;
    }

    boolean hasPartitionsToRewrite() {
        return !partitionsToRewriteSequences.isEmpty();
    }

    /** Whether a request carrying a batch of a partition to renumber is still outstanding. */
    boolean anyToRewrite(Predicate<TopicPartition> outstanding) {
        return partitionsToRewriteSequences.stream().anyMatch(outstanding);
    }

    /**
     * Kafka's {@code maybeResolveSequences}: once nothing of a partition with an unresolved failure
     * is in flight, the failure resolved itself if every sequence stamped was acknowledged after all.
     * Returns the partitions where it did not (their sequence has a gap; they need a new epoch).
     */
    List<TopicPartition> resolve(Predicate<TopicPartition> outstanding) {
        List<TopicPartition> gaps = new ArrayList<>();
        Iterator<Map.Entry<TopicPartition, ProducerBatch>> it = unresolvedSequences.entrySet().iterator();
        while (it.hasNext()) {
            TopicPartition tp = it.next().getKey();
            TxnPartitionEntry entry = partitions.get(tp);
            if (!entry.inflight.isEmpty() || outstanding.test(tp)) {
                continue;
            }
            it.remove();
            changes++;
            if (!entry.isNextSequence(entry.nextSequence)) {
                gaps.add(tp);
            }
        }
        return gaps;
    }

    /** Renumbers every partition waiting for it from 0 under {@code next}; none is unresolved afterwards. */
    void rewritePartitions(ProducerIdAndEpoch next) {
        for (TopicPartition tp : partitionsToRewriteSequences) {
            TxnPartitionEntry entry = partitions.get(tp);
            if (entry != null) {
                entry.startSequencesAtBeginning(next);
            }
            unresolvedSequences.remove(tp);
        }
        partitionsToRewriteSequences.clear();
        changes++;
    }

    /** KIP-890 part 2: every partition with nothing in flight starts again at 0 under {@code next}. */
    void restartIdlePartitions(ProducerIdAndEpoch next) {
        for (TxnPartitionEntry entry : partitions.values()) {
            if (entry.inflight.isEmpty()) {
                entry.startSequencesAtBeginning(next);
            }
        }
    }

    /** Next sequence to stamp on the partition (0 if nothing was sent to it). */
    int sequenceNumber(TopicPartition tp) {
        TxnPartitionEntry e = partitions.get(tp);
        return e == null ? 0 : e.nextSequence;
    }

    /** The last sequence the broker acknowledged for the partition, or -1. */
    int lastAckedSequence(TopicPartition tp) {
        TxnPartitionEntry e = partitions.get(tp);
        return e == null ? TxnPartitionEntry.NO_LAST_ACKED_SEQUENCE : e.lastAckedSequence;
    }

    boolean hasInflightBatches(TopicPartition tp) {
        TxnPartitionEntry e = partitions.get(tp);
        return e != null && !e.inflight.isEmpty();
    }

    /** Grows on every change; part of {@link TransactionManager#changeCount()}. */
    long changeCount() {
        return changes;
    }
}
