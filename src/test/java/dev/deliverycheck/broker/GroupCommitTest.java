package dev.deliverycheck.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.log.PartitionLog;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.sim.SimulatedDisk;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The group commit's answer order: a complete answer to a node waits behind an earlier answer to
 * the same node that still waits for its flush (Kafka answers a connection's requests in order);
 * answers to other nodes do not wait.
 */
class GroupCommitTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final Map<TopicPartition, Long> durable = new HashMap<>();
    private final List<Integer> sent = new ArrayList<>();
    private final GroupCommit commit = new GroupCommit(0, 5, List.of(), new SimulatedDisk(), event -> { },
            tp -> durable.getOrDefault(tp, 0L), reply -> sent.add(reply.correlationId));

    private static PendingReply awaitingFlush(int destination, int correlationId, TopicPartition tp, long upTo) {
        PendingReply r = new PendingReply(PendingReply.Kind.PRODUCE, destination, correlationId, true);
        r.awaitFlush(tp, upTo - 1, upTo);
        return r;
    }

    private static PendingReply refused(int destination, int correlationId, TopicPartition tp) {
        PendingReply r = new PendingReply(PendingReply.Kind.PRODUCE, destination, correlationId, true);
        r.fail(tp, dev.deliverycheck.protocol.Errors.NOT_ENOUGH_REPLICAS, null);
        return r;
    }

    @Test
    void aCompleteAnswerWaitsBehindTheSameNodesEarlierAnswer() {
        commit.track(awaitingFlush(7, 3, P0, 1));
        commit.track(refused(7, 4, P1));
        assertThat(sent).isEmpty();

        durable.put(P0, 1L);
        commit.releaseReplies();
        assertThat(sent).containsExactly(3, 4);
    }

    @Test
    void anotherNodesAnswerDoesNotWait() {
        commit.track(awaitingFlush(7, 3, P0, 1));
        commit.track(refused(8, 1, P1));
        assertThat(sent).containsExactly(1);
    }

    @Test
    void anAnswerNobodyWaitsForDoesNotHoldTheNext() {
        PendingReply acksZero = new PendingReply(PendingReply.Kind.PRODUCE, 7, 3, false);
        acksZero.awaitFlush(P0, 0, 1);
        commit.track(acksZero);
        commit.track(refused(7, 4, P1));
        assertThat(sent).containsExactly(4);
    }

    @Test
    void releasingAHeldAnswerReleasesTheOnesBehindIt() {
        PendingReply first = awaitingFlush(7, 3, P0, 1);
        commit.track(first);
        commit.track(refused(7, 4, P1));
        durable.put(P0, 1L);
        commit.releaseIfComplete(first);
        assertThat(sent).containsExactly(3, 4);
    }

    /**
     * Sending an answer can re-enter the group commit (the coordinator on this broker takes the
     * answer, writes, and tracks an answer of its own): releasing must not trip over the list it
     * is releasing from, and the new answer still waits behind the held ones to its node.
     * {@code simulate --mode exactly-once --seed 42 --ack-loss 0.1 --request-loss 0.1
     * --broker-crashes 2} died of a ConcurrentModificationException here.
     */
    @Test
    void anAnswerTrackedWhileAnswersAreReleasedWaitsItsTurn() {
        List<Integer> order = new ArrayList<>();
        GroupCommit[] self = new GroupCommit[1];
        self[0] = new GroupCommit(0, 5, List.of(), new SimulatedDisk(), event -> { }, tp -> durable.getOrDefault(tp, 0L), reply -> {
            order.add(reply.correlationId);
            if (reply.correlationId == 3) {
                self[0].track(refused(7, 9, P1));
            }
        });
        self[0].track(awaitingFlush(7, 3, P0, 1));
        self[0].track(awaitingFlush(7, 4, P0, 2));
        self[0].track(awaitingFlush(8, 5, P0, 1));

        durable.put(P0, 1L);
        self[0].releaseReplies();
        assertThat(order).containsExactly(3, 5);

        durable.put(P0, 2L);
        self[0].releaseReplies();
        assertThat(order).containsExactly(3, 5, 4, 9);
        assertThat(self[0].idle()).isTrue();
    }

    /**
     * The due partitions are fsynced with one flushAll, and none is marked flushed (its high watermark raised, so an
     * answer could leave) until that call has returned; a crash afterwards keeps every flushed batch.
     */
    @Test
    void duePartitionsAreFlushedWithOneFlushAllAndMarkedDurableOnlyAfterIt() {
        SimulatedDisk disk = new SimulatedDisk();
        Partition p0 = Partition.open(disk, P0, BrokerConfig.DEFAULT);
        Partition p1 = Partition.open(disk, P1, BrokerConfig.DEFAULT);
        List<List<String>> calls = new ArrayList<>();
        List<Long> watermarksDuringFlush = new ArrayList<>();
        Storage recording = new ForwardingDisk(disk) {
            @Override
            public void flushAll(Collection<String> names) {
                calls.add(List.copyOf(names));
                watermarksDuringFlush.add(p0.highWatermark());
                watermarksDuringFlush.add(p1.highWatermark());
                super.flushAll(names);
            }
        };
        List<Object> events = new ArrayList<>();
        GroupCommit flusher = new GroupCommit(0, 0, List.of(p0, p1), recording, events::add, tp -> 0L, r -> { });
        p0.append(RecordBatch.plain(P0, List.of(Record.withId(1, 0, null, new byte[] {1}))));
        flusher.appended(p0, 0);
        p1.append(RecordBatch.plain(P1, List.of(Record.withId(2, 0, null, new byte[] {2}))));
        flusher.appended(p1, 0);

        flusher.flushDue(0);

        assertThat(calls).containsExactly(List.of(PartitionLog.segmentName(P0, 0), PartitionLog.segmentName(P1, 0)));
        assertThat(watermarksDuringFlush).containsExactly(0L, 0L);
        assertThat(p0.highWatermark()).isEqualTo(1);
        assertThat(p1.highWatermark()).isEqualTo(1);
        assertThat(events).hasSize(2);
        disk.crash();
        assertThat(Partition.open(disk, P0, BrokerConfig.DEFAULT).logEndOffset()).isEqualTo(1);
        assertThat(Partition.open(disk, P1, BrokerConfig.DEFAULT).logEndOffset()).isEqualTo(1);
    }

    /** A {@link Storage} that hands every call to another, for a test to watch one of them. */
    private static class ForwardingDisk implements Storage {
        private final Storage disk;

        ForwardingDisk(Storage disk) {
            this.disk = disk;
        }

        @Override
        public List<String> list(String prefix) {
            return disk.list(prefix);
        }

        @Override
        public boolean exists(String name) {
            return disk.exists(name);
        }

        @Override
        public long size(String name) {
            return disk.size(name);
        }

        @Override
        public void append(String name, byte[] bytes) {
            disk.append(name, bytes);
        }

        @Override
        public byte[] read(String name, long position, int length) {
            return disk.read(name, position, length);
        }

        @Override
        public void flush(String name) {
            disk.flush(name);
        }

        @Override
        public void flushAll(Collection<String> names) {
            disk.flushAll(names);
        }

        @Override
        public void truncate(String name, long size) {
            disk.truncate(name, size);
        }

        @Override
        public void delete(String name) {
            disk.delete(name);
        }

        @Override
        public void writeAtomically(String name, byte[] contents) {
            disk.writeAtomically(name, contents);
        }
    }
}
