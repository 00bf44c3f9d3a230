package dev.deliverycheck.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.producer.ByteArraySerializer;
import dev.deliverycheck.producer.DeliveryMode;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.producer.RecordMetadata;
import dev.deliverycheck.protocol.FetchRequest;
import dev.deliverycheck.protocol.FetchResponse;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalClusterTest {
    private static final String TOPIC = "t";

    private static ProducerRecord<byte[], byte[]> record(long id) {
        return new ProducerRecord<>(TOPIC, null, null, new byte[100], List.of(Record.idHeader(id)));
    }

    /** Record id → how many times it is in the logs of every partition. */
    private static Map<Long, Integer> idsInLogs(LocalCluster cluster, int partitions) {
        Map<Long, Integer> seen = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            for (FetchResponse.FetchedRecord f : cluster.read(new TopicPartition(TOPIC, p))) {
                seen.merge(f.record().recordId(), 1, Integer::sum);
            }
        }
        return seen;
    }

    /**
     * The read_committed reads of every partition once each has no open transaction (its last
     * stable offset has reached its high watermark). Polls the condition; fails after {@code limit}.
     */
    private static List<FetchResponse> awaitNoOpenTransaction(LocalCluster cluster, int partitions, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            List<FetchResponse> reads = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(TOPIC, p);
                reads.add(cluster.broker(cluster.metadata().leaderFor(tp))
                        .fetch(new FetchRequest(0, tp, 0, Integer.MAX_VALUE, IsolationLevel.READ_COMMITTED)));
            }
            if (reads.stream().allMatch(r -> r.lastStableOffset() == r.highWatermark())) {
                return reads;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a transaction is still open after " + limit + ": " + reads.stream()
                        .map(r -> r.topicPartition() + " lso=" + r.lastStableOffset() + " hw=" + r.highWatermark())
                        .toList());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void everyRecordSentIsAcknowledgedAndInTheLogOnce() throws Exception {
        AtomicInteger produceRequests = new AtomicInteger();
        int n = 2000;
        try (LocalCluster cluster = LocalCluster.inMemory(3, TOPIC, 8, (source, destination, message) -> {
            if (message instanceof ProduceRequest) {
                produceRequests.incrementAndGet();
            }
        })) {
            KafkaStyleProducer<byte[], byte[]> producer = cluster.newProducer(
                    ProducerConfig.defaults().with(ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(),
                    new ByteArraySerializer(), 1);
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (long id = 0; id < n; id++) {
                futures.add(producer.send(record(id)));
            }
            producer.flush();
            for (Future<RecordMetadata> f : futures) {
                assertThat(f.isDone()).isTrue();
                assertThat(f.get().offset()).isGreaterThanOrEqualTo(0);
            }
            Map<Long, Integer> seen = idsInLogs(cluster, 8);
            assertThat(seen).hasSize(n);
            assertThat(seen.values()).containsOnly(1);
            assertThat(produceRequests.get()).isPositive();
            assertThat(cluster.brokerThreadFailure()).isNull();
        }
    }

    @Test
    void transactionsCommitThroughTheCoordinatorAndReadCommittedSeesThem() {
        try (LocalCluster cluster = LocalCluster.inMemory(2, TOPIC, 4)) {
            KafkaStyleProducer<byte[], byte[]> producer = cluster.newProducer(
                    ProducerConfig.of(DeliveryMode.EXACTLY_ONCE.preset("local-test")), new ByteArraySerializer(),
                    new ByteArraySerializer(), 2);
            producer.initTransactions();
            long id = 0;
            for (int t = 0; t < 3; t++) {
                producer.beginTransaction();
                for (int r = 0; r < 10; r++) {
                    producer.send(record(id++));
                }
                if (t == 1) {
                    producer.abortTransaction();
                } else {
                    producer.commitTransaction();
                }
            }
            // commitTransaction() returns when the coordinator has answered EndTxn, which (as in Kafka)
            // is before the markers reach the partition leaders: wait until no partition has an open
            // transaction (last stable offset = high watermark) before reading read_committed.
            List<FetchResponse> reads = awaitNoOpenTransaction(cluster, 4, Duration.ofSeconds(20));
            List<Long> committed = new ArrayList<>();
            reads.forEach(r -> r.records().forEach(f -> committed.add(f.record().recordId())));
            // the aborted transaction (ids 10..19) is invisible; an abort may also fail records never sent
            assertThat(committed).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L,
                    20L, 21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L);
            assertThat(idsInLogs(cluster, 4).keySet()).containsAll(committed);
        }
    }

    @Test
    void producersGetConsecutiveIdsFromOneHundred() {
        try (LocalCluster cluster = LocalCluster.inMemory(1, TOPIC, 1)) {
            ProducerConfig config = ProducerConfig.defaults();
            assertThat(cluster.newProducer(config, new ByteArraySerializer(), new ByteArraySerializer(), 1).nodeId())
                    .isEqualTo(100);
            assertThat(cluster.newProducer(config, new ByteArraySerializer(), new ByteArraySerializer(), 1).nodeId())
                    .isEqualTo(101);
        }
    }
}
