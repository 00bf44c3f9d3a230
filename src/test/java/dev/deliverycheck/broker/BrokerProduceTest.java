package dev.deliverycheck.broker;

import static dev.deliverycheck.broker.Cluster.batch;
import static dev.deliverycheck.broker.Cluster.plain;
import static dev.deliverycheck.broker.Cluster.tp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.BrokerAck;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerDuplicate;
import dev.deliverycheck.event.BrokerFlush;
import dev.deliverycheck.event.BrokerRecoverPartition;
import dev.deliverycheck.event.BrokerReject;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.FetchRequest;
import dev.deliverycheck.protocol.FetchResponse;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BrokerProduceTest {
    static final int CLIENT = 100;
    static final TopicPartition P0 = tp(0);

    private static ProduceRequest produce(int correlationId, int acks, RecordBatch... batches) {
        return new ProduceRequest(correlationId, null, (short) acks, 30_000, List.of(batches));
    }

    @Test
    void acksAreSentOnlyAfterTheFlushInPoll() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT);
        Broker b = c.brokers[0];
        b.receive(CLIENT, produce(1, -1, plain(P0, 10, 11)));

        assertThat(c.events(BrokerAppend.class)).singleElement().satisfies(a -> {
            assertThat(a.baseOffset()).isZero();
            assertThat(a.recordIds()).containsExactly(10L, 11L);
        });
        assertThat(c.network).isEmpty();
        assertThat(c.events(BrokerAck.class)).isEmpty();
        assertThat(b.nextWakeupMs()).isEqualTo(c.clock.milliseconds());
        assertThat(b.highWatermark(P0)).isZero();
        assertThat(c.read(P0, IsolationLevel.READ_UNCOMMITTED)).as("readers see only durable data").isEmpty();

        b.poll();

        assertThat(c.events(BrokerFlush.class)).containsExactly(new BrokerFlush(0, P0, 2));
        assertThat(c.events(BrokerAck.class)).containsExactly(new BrokerAck(0, CLIENT, 1, P0, 0, Errors.NONE));
        c.deliverAll();
        assertThat(c.lastResponse(CLIENT, ProduceResponse.class).results().get(P0))
                .isEqualTo(ProduceResponse.PartitionResult.ok(0));
        assertThat(b.nextWakeupMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.read(P0, IsolationLevel.READ_UNCOMMITTED)).containsExactly(10L, 11L);
    }

    @Test
    void withAFlushLatencyTheFsyncWaitsAndACrashInTheWindowLosesOnlyUnackedData() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT.withFlushLatencyMs(5));
        Broker b = c.brokers[0];
        long t0 = c.clock.milliseconds();
        b.receive(CLIENT, produce(1, -1, plain(P0, 1)));
        c.clock.advanceTo(t0 + 3);
        b.receive(CLIENT, produce(2, -1, plain(P0, 2)));
        assertThat(b.nextWakeupMs()).as("due when the oldest append has waited 5 ms").isEqualTo(t0 + 5);
        b.poll();
        assertThat(c.events(BrokerFlush.class)).isEmpty();
        assertThat(b.idle()).as("a flush is due later, but the broker is not idle").isFalse();
        c.clock.advanceTo(t0 + 5);
        b.poll();
        assertThat(c.events(BrokerFlush.class)).containsExactly(new BrokerFlush(0, P0, 2));
        assertThat(c.events(BrokerAck.class)).hasSize(2);

        b.receive(CLIENT, produce(3, -1, plain(P0, 3)));
        c.clock.advanceTo(t0 + 9);
        b.poll();
        c.crashAndRestart(0);
        assertThat(c.read(P0, IsolationLevel.READ_UNCOMMITTED)).containsExactly(1L, 2L);
        assertThat(c.events(BrokerAck.class)).hasSize(2);

        c.brokers[0].receive(CLIENT, produce(4, -1, plain(P0, 4)));
        c.brokers[0].shutdown();
        assertThat(c.events(BrokerAck.class)).as("a clean shutdown flushes at once").hasSize(3);
    }

    @Test
    void manyProducesShareOneFlush() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT);
        for (int i = 0; i < 5; i++) {
            c.brokers[0].receive(CLIENT, produce(i, 1, plain(P0, i)));
        }
        c.brokers[0].poll();
        assertThat(c.events(BrokerFlush.class)).hasSize(1);
        assertThat(c.disks[0].flushCount()).isEqualTo(1);
        assertThat(c.events(BrokerAck.class)).extracting(BrokerAck::baseOffset).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void acksZeroNeverAnswersButStillStores() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT);
        c.brokers[0].receive(CLIENT, produce(1, 0, plain(P0, 1)));
        c.deliverAll();
        assertThat(c.inbox).isEmpty();
        assertThat(c.events(BrokerAck.class)).isEmpty();
        assertThat(c.read(P0, IsolationLevel.READ_UNCOMMITTED)).containsExactly(1L);
    }

    @Test
    void aCrashBeforeTheFlushLosesOnlyUnackedData() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT);
        c.brokers[0].receive(CLIENT, produce(1, -1, plain(P0, 1)));
        c.deliverAll();
        c.brokers[0].receive(CLIENT, produce(2, -1, plain(P0, 2)));
        c.crashAndRestart(0);
        c.deliverAll();
        assertThat(c.responses(CLIENT, ProduceResponse.class)).hasSize(1);
        assertThat(c.read(P0, IsolationLevel.READ_UNCOMMITTED)).containsExactly(1L);
        assertThat(c.events(BrokerRecoverPartition.class)).containsExactly(new BrokerRecoverPartition(0, P0, 1, 0, 0));
        assertThat(c.brokers[0].logEndOffset(P0)).isEqualTo(1);
    }

    @Test
    void aRetryOfAnAckedBatchAfterACrashIsADuplicateWithTheOriginalOffset() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT);
        long pid = 7;
        c.brokers[0].receive(CLIENT, produce(1, -1, batch(P0, pid, 0, 0, false, 1, 2)));
        c.brokers[0].receive(CLIENT, produce(2, -1, batch(P0, pid, 0, 2, false, 3)));
        c.deliverAll();
        c.crashAndRestart(0);
        assertThat(c.events(BrokerRecoverPartition.class).get(0).producersRestored()).isEqualTo(1);

        c.brokers[0].receive(CLIENT, produce(3, -1, batch(P0, pid, 0, 0, false, 1, 2)));
        c.deliverAll();
        assertThat(c.events(BrokerDuplicate.class)).containsExactly(new BrokerDuplicate(0, P0, pid, (short) 0, 0, 0));
        assertThat(c.lastResponse(CLIENT, ProduceResponse.class).results().get(P0).baseOffset()).isZero();
        assertThat(c.read(P0, IsolationLevel.READ_UNCOMMITTED)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aDuplicateOfAnUnflushedBatchWaitsForTheOriginalToBeDurable() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT);
        c.brokers[0].receive(CLIENT, produce(1, -1, batch(P0, 7, 0, 0, false, 1)));
        c.brokers[0].receive(CLIENT, produce(2, -1, batch(P0, 7, 0, 0, false, 1)));
        assertThat(c.events(BrokerDuplicate.class)).hasSize(1);
        assertThat(c.network).isEmpty();
        c.deliverAll();
        assertThat(c.responses(CLIENT, ProduceResponse.class)).extracting(r -> r.results().get(P0))
                .containsExactly(ProduceResponse.PartitionResult.ok(0), ProduceResponse.PartitionResult.ok(0));
    }

    @Test
    void losingProducerStateOnRestartIsVisibleAsADuplicate() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT.withProducerStateRecovery(false));
        c.brokers[0].receive(CLIENT, produce(1, -1, batch(P0, 7, 0, 0, false, 1)));
        c.deliverAll();
        c.crashAndRestart(0);
        c.brokers[0].receive(CLIENT, produce(2, -1, batch(P0, 7, 0, 0, false, 1)));
        c.deliverAll();
        assertThat(c.read(P0, IsolationLevel.READ_UNCOMMITTED)).containsExactly(1L, 1L);
    }

    @Test
    void producerStateAfterACrashGivesTheSameDecisionsAsBefore() {
        BrokerConfig small = BrokerConfig.DEFAULT.withLogSegmentBytes(400);
        Cluster c = new Cluster(1, 1, small);
        long pid = 42;
        int seq = 0;
        List<RecordBatch> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            RecordBatch b = batch(P0, pid, 0, seq, false, i * 2L, i * 2L + 1);
            sent.add(b);
            c.brokers[0].receive(CLIENT, produce(i, -1, b));
            seq += 2;
            c.deliverAll();
        }
        assertThat(c.disks[0].list("snapshot/")).as("segment rolls took snapshots").isNotEmpty();
        var before = c.brokers[0].producerState(P0, pid).orElseThrow();

        c.crashAndRestart(0);

        assertThat(c.brokers[0].producerState(P0, pid)).contains(before);
        for (int i = 25; i < 30; i++) {
            c.brokers[0].receive(CLIENT, produce(100 + i, -1, sent.get(i)));
        }
        c.brokers[0].receive(CLIENT, produce(200, -1, sent.get(24)));
        c.brokers[0].receive(CLIENT, produce(201, -1, batch(P0, pid, 0, seq, false, 999)));
        c.deliverAll();
        assertThat(c.events(BrokerDuplicate.class)).hasSize(5);
        assertThat(c.events(BrokerReject.class)).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        List<Long> ids = c.read(P0, IsolationLevel.READ_UNCOMMITTED);
        assertThat(ids).hasSize(61).doesNotHaveDuplicates().endsWith(999L);
    }

    @Test
    void cleanShutdownSnapshotsAndRestartNeedsNoReplay() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT);
        c.brokers[0].receive(CLIENT, produce(1, -1, batch(P0, 7, 0, 0, false, 1)));
        c.brokers[0].shutdown();
        assertThat(c.disks[0].list("snapshot/")).singleElement().asString().endsWith("00000000000000000001.snapshot");
        c.brokers[0].receive(CLIENT, produce(2, -1, plain(P0, 5)));
        assertThat(c.brokers[0].logEndOffset(P0)).as("a shut-down broker ignores requests").isEqualTo(1);
        c.deliverAll();
        assertThat(c.responses(CLIENT, ProduceResponse.class)).hasSize(1);
        c.crashAndRestart(0);
        assertThat(c.brokers[0].producerState(P0, 7)).isPresent();
    }

    @Test
    void malformedRequestsGetErrorsAndNeverTouchStoredData() {
        Cluster c = new Cluster(2, 2, BrokerConfig.DEFAULT);
        Broker b0 = c.brokers[0];
        b0.receive(CLIENT, produce(1, -1, plain(P0, 1)));
        c.deliverAll();
        List<Record> big = List.of(new Record(0, null, new byte[2_000_000], List.of()));
        Object[][] cases = {
                {produce(2, 2, plain(P0, 9)), P0, Errors.INVALID_REQUIRED_ACKS},
                {produce(3, -1, plain(new TopicPartition("nope", 0), 9)), new TopicPartition("nope", 0),
                        Errors.UNKNOWN_TOPIC_OR_PARTITION},
                {produce(4, -1, plain(tp(5), 9)), tp(5), Errors.UNKNOWN_TOPIC_OR_PARTITION},
                {produce(5, -1, plain(tp(1), 9)), tp(1), Errors.NOT_LEADER_OR_FOLLOWER},
                {produce(6, -1, RecordBatch.marker(P0, 1, (short) 0, ControlType.COMMIT)), P0, Errors.INVALID_REQUEST},
                {produce(7, -1, RecordBatch.plain(P0, List.of())), P0, Errors.CORRUPT_MESSAGE},
                {produce(8, -1, RecordBatch.plain(P0, big)), P0, Errors.MESSAGE_TOO_LARGE},
                {produce(9, -1, batch(P0, 7, -3, 0, false, 9)), P0, Errors.CORRUPT_MESSAGE},
                {produce(10, -1, batch(P0, 7, 0, -5, false, 9)), P0, Errors.CORRUPT_MESSAGE},
                {produce(11, -1, batch(P0, -1, 0, 0, false, 9)), P0, Errors.CORRUPT_MESSAGE},
                {produce(12, -1, batch(P0, 7, 0, 0, true, 9)), P0, Errors.INVALID_REQUEST},
                {produce(13, -1, plain(P0, 9), plain(P0, 10)), P0, Errors.INVALID_REQUEST},
        };
        for (Object[] k : cases) {
            ProduceRequest r = (ProduceRequest) k[0];
            b0.receive(CLIENT, r);
            c.deliverAll();
            ProduceResponse response = c.lastResponse(CLIENT, ProduceResponse.class);
            assertThat(response.correlationId()).isEqualTo(r.correlationId());
            assertThat(response.results().get((TopicPartition) k[1]).error()).as("case %d", r.correlationId())
                    .isEqualTo(k[2]);
        }
        assertThat(c.read(P0, IsolationLevel.READ_UNCOMMITTED)).containsExactly(1L);
        assertThat(b0.logEndOffset(P0)).isEqualTo(1);
    }

    @Test
    void oneBadPartitionDoesNotSpoilTheOthersInTheSameRequest() {
        Cluster c = new Cluster(1, 2, BrokerConfig.DEFAULT);
        c.brokers[0].receive(CLIENT, produce(0, -1, batch(tp(1), 7, 0, 0, false, 5)));
        c.deliverAll();
        // a gap after the producer's sequence 0: out of order (an unknown producer may start anywhere)
        c.brokers[0].receive(CLIENT, produce(1, -1, plain(tp(0), 1), batch(tp(1), 7, 0, 3, false, 2)));
        c.deliverAll();
        ProduceResponse r = c.lastResponse(CLIENT, ProduceResponse.class);
        assertThat(r.results().get(tp(0))).isEqualTo(ProduceResponse.PartitionResult.ok(0));
        assertThat(r.results().get(tp(1)).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void fetchValidatesAndPaginates() {
        Cluster c = new Cluster(2, 2, BrokerConfig.DEFAULT);
        c.brokers[0].receive(CLIENT, produce(1, -1, plain(P0, 1, 2, 3)));
        c.brokers[0].receive(CLIENT, produce(2, -1, plain(P0, 4, 5)));
        c.deliverAll();
        FetchResponse page = c.brokers[0].fetch(new FetchRequest(3, P0, 1, 3, IsolationLevel.READ_UNCOMMITTED));
        assertThat(page.error()).isEqualTo(Errors.NONE);
        assertThat(page.records()).extracting(f -> f.offset()).containsExactly(1L, 2L, 3L);
        assertThat(page.highWatermark()).isEqualTo(5);
        assertThat(c.brokers[0].fetch(new FetchRequest(3, P0, 2, 2, IsolationLevel.READ_UNCOMMITTED)).records())
                .extracting(f -> f.record().recordId()).containsExactly(3L, 4L);
        assertThat(c.brokers[0].fetch(new FetchRequest(4, P0, 99, 10, IsolationLevel.READ_UNCOMMITTED)).records()).isEmpty();
        assertThat(c.brokers[0].fetch(new FetchRequest(5, P0, -1, 10, IsolationLevel.READ_UNCOMMITTED)).error())
                .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(c.brokers[0].fetch(new FetchRequest(6, P0, 0, 0, IsolationLevel.READ_UNCOMMITTED)).error())
                .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(c.brokers[0].fetch(new FetchRequest(7, tp(1), 0, 10, IsolationLevel.READ_UNCOMMITTED)).error())
                .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(c.brokers[0].fetch(new FetchRequest(8, tp(9), 0, 10, IsolationLevel.READ_UNCOMMITTED)).error())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        // the same logic answers a FetchRequest message
        c.brokers[0].receive(CLIENT, new FetchRequest(9, P0, 0, 100, IsolationLevel.READ_COMMITTED));
        c.deliverAll();
        assertThat(c.lastResponse(CLIENT, FetchResponse.class).records()).hasSize(5);
    }

    @Test
    void corruptDataFoundAtReadTimeIsReportedNotServed() {
        Cluster c = new Cluster(1, 1, BrokerConfig.DEFAULT);
        c.brokers[0].receive(CLIENT, produce(1, -1, plain(P0, 1, 2)));
        c.deliverAll();
        String segment = c.disks[0].list("log/").get(0);
        c.disks[0].corrupt(segment, 30);
        FetchResponse r = c.brokers[0].fetch(new FetchRequest(1, P0, 0, 10, IsolationLevel.READ_UNCOMMITTED));
        assertThat(r.error()).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(r.records()).isEmpty();
        c.crashAndRestart(0);
        assertThat(c.brokers[0].recoveryReport(P0).problem().isCorruption()).isTrue();
        assertThat(c.read(P0, IsolationLevel.READ_UNCOMMITTED)).isEmpty();
    }

    @Test
    void producerIdsAreUniqueAcrossBrokersAndRestarts() {
        Cluster c = new Cluster(3, 3, BrokerConfig.DEFAULT);
        Set<Long> pids = new HashSet<>();
        int n = 0;
        for (int round = 0; round < 3; round++) {
            for (int b = 0; b < 3; b++) {
                for (int i = 0; i < 150; i++) {
                    c.send(CLIENT, b, new InitProducerIdRequest(n++, null, 60_000));
                }
                c.crashAndRestart(b);
            }
        }
        c.deliverAll();
        List<InitProducerIdResponse> responses = c.responses(CLIENT, InitProducerIdResponse.class);
        assertThat(responses).hasSize(n).allSatisfy(r -> {
            assertThat(r.error()).isEqualTo(Errors.NONE);
            assertThat(r.producerEpoch()).isZero();
            pids.add(r.producerId());
        });
        assertThat(pids).hasSize(n);
        assertThat(c.events(CoordinatorInitProducerId.class)).hasSize(n);
    }
}
