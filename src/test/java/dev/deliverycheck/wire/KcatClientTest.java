package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.History;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerDuplicate;
import dev.deliverycheck.event.CoordinatorAddPartitions;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * librdkafka (through kcat, a client that shares no code with the Java client) against
 * deliverycheck's wire broker: an idempotent producer's records stored once, in order, with
 * sequences from 0; a transaction over several partitions committed with markers; and
 * librdkafka's own read_committed filter skipping an aborted transaction the Java producer wrote.
 */
class KcatClientTest {
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    @BeforeAll
    static void kcatIsInstalled() {
        Kcat.requireInstalled();
    }

    private static List<String> produce(WireHarness h, String topic, String partition, String... settings) {
        List<String> args = new ArrayList<>(List.of("-P", "-b", h.bootstrap(), "-t", topic, "-p", partition, "-K", ":",
                "-m", "20"));
        for (String s : settings) {
            args.add("-X");
            args.add(s);
        }
        return args;
    }

    private static String lines(String prefix, int from, int to) {
        StringBuilder in = new StringBuilder();
        for (int i = from; i < to; i++) {
            in.append("k").append(i).append(':').append(prefix).append(i).append('\n');
        }
        return in.toString();
    }

    private static List<String> values(WireHarness h, TopicPartition tp, IsolationLevel isolation) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : h.readAll(tp, isolation)) {
            out.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Waits (bounded) until no transaction is open on {@code topic}: the last stable offset is the log end. */
    private static void awaitNoOpenTransaction(WireHarness h, String topic) throws InterruptedException {
        List<org.apache.kafka.common.TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            tps.add(new org.apache.kafka.common.TopicPartition(topic, p));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (KafkaConsumer<byte[], byte[]> committed = h.consumer(IsolationLevel.READ_COMMITTED);
             KafkaConsumer<byte[], byte[]> uncommitted = h.consumer(IsolationLevel.READ_UNCOMMITTED)) {
            while (!committed.endOffsets(tps).equals(uncommitted.endOffsets(tps))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("a transaction on " + topic + " is still open after 20 s: last stable "
                            + committed.endOffsets(tps) + ", log end " + uncommitted.endOffsets(tps));
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void anIdempotentLibrdkafkaProducerStoresEveryRecordOnceInOrder() throws Exception {
        History history = new History();
        try (WireHarness h = WireHarness.start(dir, PARTITIONS, 2, BrokerConfig.DEFAULT, history)) {
            Kcat.Result first = Kcat.run(produce(h, "orders", "0", "enable.idempotence=true", "acks=all", "linger.ms=2",
                    "batch.num.messages=50"), lines("value-", 0, 400));
            assertThat(first.exitCode()).as(first.stderr()).isZero();
            Kcat.Result second = Kcat.run(produce(h, "orders", "0", "enable.idempotence=true", "acks=all"),
                    lines("value-", 400, 500));
            assertThat(second.exitCode()).as(second.stderr()).isZero();

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                expected.add("value-" + i);
            }
            assertThat(values(h, new TopicPartition("orders", 0), IsolationLevel.READ_UNCOMMITTED)).isEqualTo(expected);
        }
        List<BrokerAppend> appends = history.events().stream().filter(e -> e instanceof BrokerAppend)
                .map(e -> (BrokerAppend) e).toList();
        assertThat(appends).hasSizeGreaterThan(2);
        assertThat(history.events()).noneMatch(e -> e instanceof BrokerDuplicate);
        // Two kcat runs are two producers: each gets its own producer id and numbers its batches from 0.
        Map<Long, List<BrokerAppend>> byProducer = appends.stream()
                .collect(Collectors.groupingBy(BrokerAppend::producerId, java.util.LinkedHashMap::new, Collectors.toList()));
        assertThat(byProducer).hasSize(2).allSatisfy((pid, batches) -> assertThat(pid).isNotNegative());
        for (List<BrokerAppend> batches : byProducer.values()) {
            int next = 0;
            for (BrokerAppend b : batches) {
                assertThat(b.baseSequence()).as("batches of producer %d", b.producerId()).isEqualTo(next);
                next += b.recordIds().size();
            }
        }
    }

    @Test
    void aLibrdkafkaTransactionCommitsAcrossPartitionsWithMarkers() throws Exception {
        History history = new History();
        try (WireHarness h = WireHarness.start(dir, PARTITIONS, 2, BrokerConfig.DEFAULT, history)) {
            Kcat.Result run = Kcat.run(produce(h, "payments", "-1", "transactional.id=kcat-tx", "acks=all"),
                    lines("paid-", 0, 150));
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            awaitNoOpenTransaction(h, "payments");

            Set<String> seen = new HashSet<>();
            int partitionsUsed = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                List<String> read = values(h, new TopicPartition("payments", p), IsolationLevel.READ_COMMITTED);
                partitionsUsed += read.isEmpty() ? 0 : 1;
                List<Integer> numbers = read.stream().map(v -> Integer.parseInt(v.substring("paid-".length()))).toList();
                assertThat(numbers).as("partition %d keeps kcat's input order", p).isSorted();
                for (String v : read) {
                    assertThat(seen.add(v)).as("%s read once", v).isTrue();
                }
            }
            assertThat(seen).hasSize(150);
            assertThat(partitionsUsed).as("the random partitioner spread the transaction").isGreaterThan(1);
            // librdkafka 2.0 speaks transactions version 1: it adds its partitions itself.
            assertThat(history.events()).anyMatch(e -> e instanceof CoordinatorAddPartitions);
            long commitMarkers = history.events().stream().filter(e -> e instanceof CoordinatorWriteMarker m
                    && m.topicPartition().topic().equals("payments") && m.type() == ControlType.COMMIT).count();
            assertThat(commitMarkers).isEqualTo(partitionsUsed);
            assertThat(history.events()).filteredOn(e -> e instanceof BrokerAppend)
                    .allMatch(e -> ((BrokerAppend) e).transactional());
        }
    }

    @Test
    void librdkafkasReadCommittedFilterSkipsAnAbortedTransaction() throws Exception {
        History history = new History();
        Map<Integer, List<String>> committed = new HashMap<>();
        Map<Integer, List<String>> all = new HashMap<>();
        try (WireHarness h = WireHarness.start(dir, PARTITIONS, 2, BrokerConfig.DEFAULT, history)) {
            Properties props = h.producerProps();
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "java-tx");
            try (WireHarness.RecordingProducer p = new WireHarness.RecordingProducer(props, history, 1)) {
                p.producer.initTransactions();
                long id = 0;
                for (int t = 0; t < 3; t++) {
                    boolean commit = t != 1;
                    p.begin();
                    for (int i = 0; i < 30; i++, id++) {
                        int partition = (int) (id % PARTITIONS);
                        String value = "value-" + id;
                        all.computeIfAbsent(partition, k -> new ArrayList<>()).add(value);
                        if (commit) {
                            committed.computeIfAbsent(partition, k -> new ArrayList<>()).add(value);
                        }
                        p.send(new TopicPartition("ledger", partition), id);
                    }
                    p.producer.flush();
                    p.end(commit);
                }
            }
            awaitNoOpenTransaction(h, "ledger");
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(kcatRead(h, p, "read_committed")).as("read_committed partition %d", p)
                        .isEqualTo(committed.get(p));
                assertThat(kcatRead(h, p, "read_uncommitted")).as("read_uncommitted partition %d", p)
                        .isEqualTo(all.get(p));
            }
        }
    }

    private static List<String> kcatRead(WireHarness h, int partition, String isolation) throws Exception {
        Kcat.Result r = Kcat.run(List.of("-C", "-q", "-b", h.bootstrap(), "-t", "ledger", "-p", Integer.toString(partition),
                "-o", "beginning", "-e", "-f", "%s\n", "-m", "20", "-X", "isolation.level=" + isolation), "");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.lines();
    }
}
