package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link PartitionsInTransaction}: a partition moves new → pending → added, and the transaction starts with the first one added. */
class PartitionsInTransactionTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private final PartitionsInTransaction partitions = new PartitionsInTransaction();

    @Test
    void aPartitionIsAskedForOnceAndStartsTheTransactionWhenAdded() {
        assertThat(partitions.maybeAdd(P0, false)).isTrue();
        assertThat(partitions.maybeAdd(P0, false)).as("already new").isFalse();
        assertThat(partitions.isPendingAdd(P0)).isTrue();
        assertThat(partitions.takeNew()).containsExactly(P0);
        assertThat(partitions.hasNew()).isFalse();
        assertThat(partitions.maybeAdd(P0, false)).as("already pending").isFalse();
        assertThat(partitions.takeNew()).as("a pending partition is not asked for twice").isEmpty();
        assertThat(partitions.transactionStarted()).isFalse();

        partitions.added(List.of(P0));

        assertThat(partitions.isAdded(P0)).isTrue();
        assertThat(partitions.isPendingAdd(P0)).isFalse();
        assertThat(partitions.noneAdded()).isFalse();
        assertThat(partitions.transactionStarted()).isTrue();
        assertThat(partitions.maybeAdd(P0, false)).as("already added").isFalse();
    }

    @Test
    void aFailedAddLeavesThePartitionOutAndTheTransactionNotStarted() {
        partitions.maybeAdd(P0, false);
        partitions.notAdded(partitions.takeNew());
        assertThat(partitions.isPendingAdd(P0)).isFalse();
        assertThat(partitions.isAdded(P0)).isFalse();
        assertThat(partitions.transactionStarted()).isFalse();
        assertThat(partitions.maybeAdd(P0, false)).as("asked for again").isTrue();
    }

    @Test
    void transactionVersion2AddsAtOnceAndStarts() {
        assertThat(partitions.maybeAdd(P1, true)).isTrue();
        assertThat(partitions.isAdded(P1)).isTrue();
        assertThat(partitions.hasNew()).isFalse();
        assertThat(partitions.transactionStarted()).isTrue();
        assertThat(partitions.maybeAdd(P1, true)).isFalse();
    }

    @Test
    void anAbortDropsOnlyTheNewAndTheEndClearsEverything() {
        partitions.maybeAdd(P0, false);
        partitions.added(partitions.takeNew());
        partitions.maybeAdd(P1, false);
        partitions.clearNew();
        assertThat(partitions.isPendingAdd(P1)).isFalse();
        assertThat(partitions.isAdded(P0)).isTrue();
        TopicPartition p2 = new TopicPartition("t", 2);
        partitions.maybeAdd(p2, false);
        partitions.takeNew();
        partitions.maybeAdd(P1, false);

        partitions.clear();
        assertThat(partitions.isPendingAdd(p2)).as("pending").isFalse();
        assertThat(partitions.isPendingAdd(P1)).as("new").isFalse();
        assertThat(partitions.isAdded(P0)).isFalse();
        assertThat(partitions.noneAdded()).isTrue();
        assertThat(partitions.transactionStarted()).isFalse();
    }
}
