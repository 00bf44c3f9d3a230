package dev.deliverycheck.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.event.BrokerDuplicate;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.FetchRequest;
import dev.deliverycheck.protocol.FetchResponse;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.sim.SimulatedDisk;
import dev.deliverycheck.sim.VirtualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random schedules of sends, polls, lost answers, retries and crashes with torn writes,
 * against one broker and a minimal idempotent client (max 5 batches in flight per partition,
 * retries in sequence order; after a crash broke its connection it resends what is unacknowledged
 * before anything new, as Kafka's client puts its failed in-flight batches back ahead of the queued
 * ones -- the broker accepts any first sequence from a producer it has no state for, as Kafka does,
 * so a new batch sent first would be stored ahead of an earlier one the crash lost). Whatever the schedule, once everything is acknowledged each record
 * is in its partition exactly once and in send order, and every acknowledgement was durable.
 */
class RandomCrashScheduleTest {
    static final int CLIENT = 100;
    static final int PARTITIONS = 2;

    @Test
    void idempotenceAndDurabilityHoldUnderRandomCrashes() {
        int duplicatesSeen = 0;
        for (long seed = 0; seed < 30; seed++) {
            duplicatesSeen += run(seed);
        }
        assertThat(duplicatesSeen).as("the schedules exercised deduplication").isPositive();
    }

    /** One schedule; returns how many duplicates the broker caught. */
    private static int run(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ClusterMetadata metadata = ClusterMetadata.of(1, "t", PARTITIONS);
        BrokerConfig config = BrokerConfig.DEFAULT.withLogSegmentBytes(350);
        SimulatedDisk disk = new SimulatedDisk(new SeededRandom(seed));
        Deque<Message> inbox = new ArrayDeque<>();
        List<Event> events = new ArrayList<>();
        VirtualClock clock = new VirtualClock(1_000);
        Broker[] broker = {new Broker(0, metadata, config, disk, clock, (d, m) -> inbox.add(m), events::add)};

        broker[0].receive(CLIENT, new InitProducerIdRequest(0, null, 60_000));
        InitProducerIdResponse init = (InitProducerIdResponse) inbox.poll();
        long pid = init.producerId();

        List<List<RecordBatch>> unacked = new ArrayList<>();
        List<List<Long>> sentOrder = new ArrayList<>();
        int[] nextSeq = new int[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            unacked.add(new ArrayList<>());
            sentOrder.add(new ArrayList<>());
        }
        Map<Integer, RecordBatch> requests = new HashMap<>();
        Map<Long, RecordBatch> ackedAt = new HashMap<>();
        long nextId = 0;
        int correlation = 1;
        boolean reconnected = false;

        for (int step = 0; step < 300; step++) {
            int action = random.nextInt(100);
            if (action < 40) {
                int p = random.nextInt(PARTITIONS);
                if (reconnected) {
                    correlation = retryAll(broker[0], unacked, requests, correlation);
                    reconnected = false;
                }
                if (unacked.get(p).size() < 5) {
                    List<Record> records = new ArrayList<>();
                    int count = 1 + random.nextInt(3);
                    for (int i = 0; i < count; i++) {
                        long id = nextId++;
                        records.add(Record.withId(id, 0, null, new byte[] {(byte) id}));
                        sentOrder.get(p).add(id);
                    }
                    RecordBatch b = new RecordBatch(new TopicPartition("t", p), pid, (short) 0, nextSeq[p], false,
                            null, records);
                    nextSeq[p] += count;
                    unacked.get(p).add(b);
                    requests.put(correlation, b);
                    broker[0].receive(CLIENT, new ProduceRequest(correlation++, null, (short) -1, 30_000, List.of(b)));
                }
            } else if (action < 70) {
                broker[0].poll();
                deliver(inbox, requests, unacked, ackedAt, random.nextInt(10) == 0);
            } else if (action < 85) {
                correlation = retryAll(broker[0], unacked, requests, correlation);
                reconnected = false;
            } else if (action < 92) {
                inbox.clear();                              // answers lost in the network
            } else {
                inbox.clear();                              // the crash takes in-flight answers too
                disk.crash();
                broker[0] = new Broker(0, metadata, config, disk, clock, (d, m) -> inbox.add(m), events::add);
                reconnected = true;
            }
        }
        for (int round = 0; round < 50 && unacked.stream().anyMatch(l -> !l.isEmpty()); round++) {
            correlation = retryAll(broker[0], unacked, requests, correlation);
            broker[0].poll();
            deliver(inbox, requests, unacked, ackedAt, false);
        }
        assertThat(unacked).as("seed %d: everything acknowledged in the end", seed).allSatisfy(l -> assertThat(l).isEmpty());

        disk.crash();
        Broker reopened = new Broker(0, metadata, config, disk, clock, (d, m) -> { }, e -> { });
        for (int p = 0; p < PARTITIONS; p++) {
            FetchResponse r = reopened.fetch(new FetchRequest(0, new TopicPartition("t", p), 0, Integer.MAX_VALUE,
                    IsolationLevel.READ_UNCOMMITTED));
            List<Long> ids = r.records().stream().map(f -> f.record().recordId()).toList();
            assertThat(ids).as("seed %d partition %d: each record once, in send order", seed, p)
                    .isEqualTo(sentOrder.get(p));
        }
        // every acknowledgement named the offset where its batch really is, durably
        ackedAt.forEach((key, b) -> {
            long offset = key % 1_000_000L;
            FetchResponse r = reopened.fetch(new FetchRequest(0, b.topicPartition(), offset, 1,
                    IsolationLevel.READ_UNCOMMITTED));
            assertThat(r.records()).singleElement().satisfies(f -> {
                assertThat(f.offset()).isEqualTo(offset);
                assertThat(f.record().recordId()).isEqualTo(b.recordIds().get(0));
            });
        });
        return (int) events.stream().filter(e -> e instanceof BrokerDuplicate).count();
    }

    /** Resends every unacknowledged batch, lowest sequence first, one request each. */
    private static int retryAll(Broker broker, List<List<RecordBatch>> unacked, Map<Integer, RecordBatch> requests,
                                int correlation) {
        for (List<RecordBatch> partition : unacked) {
            for (RecordBatch b : partition) {
                requests.put(correlation, b);
                broker.receive(CLIENT, new ProduceRequest(correlation++, null, (short) -1, 30_000, List.of(b)));
            }
        }
        return correlation;
    }

    private static void deliver(Deque<Message> inbox, Map<Integer, RecordBatch> requests,
                                List<List<RecordBatch>> unacked, Map<Long, RecordBatch> ackedAt, boolean loseAll) {
        for (Message m = inbox.poll(); m != null; m = inbox.poll()) {
            if (loseAll) {
                continue;
            }
            ProduceResponse r = (ProduceResponse) m;
            RecordBatch b = requests.remove(r.correlationId());
            ProduceResponse.PartitionResult result = r.results().get(b.topicPartition());
            if (result.error() != Errors.NONE) {
                // an earlier batch was lost in a crash: this one is retried after it
                assertThat(result.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
                continue;
            }
            // The broker appends a producer's batches only in sequence, so an acknowledged batch proves
            // every earlier one is in the log before it (and durable): their own answers may have been lost.
            List<RecordBatch> partition = unacked.get(b.topicPartition().partition());
            int index = partition.indexOf(b);
            if (index >= 0) {
                partition.subList(0, index + 1).clear();
            }
            RecordBatch previous = ackedAt.put(b.topicPartition().partition() * 1_000_000L + result.baseOffset(), b);
            assertThat(previous == null || previous.equals(b)).as("two batches acknowledged at one offset").isTrue();
        }
    }
}
