package dev.deliverycheck.producer.internals;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The partitions of the current transaction, Kafka's three sets of its {@code TransactionManager}:
 * written to but not yet asked for ({@code newPartitionsInTransaction}), in an AddPartitionsToTxn
 * not yet answered ({@code pendingPartitionsInTransaction}) and added at the coordinator
 * ({@code partitionsInTransaction}); and whether the transaction has started at the coordinator
 * (a partition was added), which decides whether it ends with an EndTxn.
 *
 * <p>Invariants: a partition is in at most one of the three sets; it moves only new → pending →
 * added, or from pending back out when its AddPartitionsToTxn fails; the transaction has started
 * as soon as a partition was added, and not before.
 */
final class PartitionsInTransaction {
    private final Set<TopicPartition> newPartitions = new TreeSet<>();
    private final Set<TopicPartition> pendingPartitions = new TreeSet<>();
    private final Set<TopicPartition> partitions = new TreeSet<>();
    private boolean transactionStarted;

    /**
     * Registers a partition written in the transaction: added at once with {@code transactionV2}
     * (the transaction has started), otherwise new, to be asked for. Returns whether anything changed.
     */
    boolean maybeAdd(TopicPartition tp, boolean transactionV2) {
        if (partitions.contains(tp) || pendingPartitions.contains(tp)) {
            return false;
        }
        if (transactionV2) {
            partitions.add(tp);
            transactionStarted = true;
            return true;
        }
        return newPartitions.add(tp);
    }

    boolean hasNew() {
        return !newPartitions.isEmpty();
    }

    /** The new partitions, now pending: the ones the next AddPartitionsToTxn asks for. */
    List<TopicPartition> takeNew() {
        List<TopicPartition> added = new ArrayList<>(newPartitions);
        pendingPartitions.addAll(added);
        newPartitions.clear();
        return added;
    }

    /** The coordinator added the partitions: the transaction has started. */
    void added(List<TopicPartition> tps) {
        partitions.addAll(tps);
        tps.forEach(pendingPartitions::remove);
        transactionStarted = true;
    }

    /** The AddPartitionsToTxn for the partitions failed: they are no longer pending. */
    void notAdded(List<TopicPartition> tps) {
        tps.forEach(pendingPartitions::remove);
    }

    /** An abort: partitions written but not yet asked for are not asked for. */
    void clearNew() {
        newPartitions.clear();
    }

    /** The transaction ended: no partition, not started. */
    void clear() {
        partitions.clear();
        pendingPartitions.clear();
        newPartitions.clear();
        transactionStarted = false;
    }

    /** A new transaction begins: it has not started at the coordinator. */
    void notStarted() {
        transactionStarted = false;
    }

    boolean transactionStarted() {
        return transactionStarted;
    }

    /** Whether no partition was added yet. */
    boolean noneAdded() {
        return partitions.isEmpty();
    }

    boolean isAdded(TopicPartition tp) {
        return partitions.contains(tp);
    }

    boolean isPendingAdd(TopicPartition tp) {
        return newPartitions.contains(tp) || pendingPartitions.contains(tp);
    }
}
