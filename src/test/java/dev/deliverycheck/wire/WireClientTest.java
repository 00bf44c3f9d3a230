package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.Checkers;
import dev.deliverycheck.check.History;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real Kafka 4.4 Java client against deliverycheck's broker over the wire: plain acks=all,
 * idempotent, and transactional with commits and aborts over several partitions under
 * transaction versions 1 and 2; a real consumer reads the partitions back, and the project's
 * checkers judge the History built from the client's view and the broker's events.
 */
class WireClientTest {
    private static final String TOPIC = "orders";

    @TempDir
    Path dir;

    private static void assertAllHold(Mode mode, History history) {
        List<Verdict> verdicts = Checkers.forMode(mode).checkAll(history);
        assertThat(verdicts).as(history.toString()).allSatisfy(v -> assertThat(v.holds()).as(v.toString()).isTrue());
        assertThat(verdicts).hasSize(mode.invariants().size());
    }

    private static List<TopicPartition> partitions(int n) {
        List<TopicPartition> out = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            out.add(new TopicPartition(TOPIC, p));
        }
        return out;
    }

    private void sendAndCheck(Mode mode, boolean idempotent) throws Exception {
        History history = new History();
        try (WireHarness h = WireHarness.start(dir, 3, 1, BrokerConfig.DEFAULT, history)) {
            Properties props = h.producerProps();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
            Map<TopicPartition, List<Long>> sent = new HashMap<>();
            try (WireHarness.RecordingProducer p = new WireHarness.RecordingProducer(props, history, 1)) {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (long id = 0; id < 600; id++) {
                    TopicPartition tp = new TopicPartition(TOPIC, (int) (id % 3));
                    sent.computeIfAbsent(tp, k -> new ArrayList<>()).add(id);
                    acks.add(p.send(tp, id));
                }
                for (Future<RecordMetadata> f : acks) {
                    f.get(20, TimeUnit.SECONDS);
                }
            }
            for (TopicPartition tp : partitions(3)) {
                assertThat(h.fetchInto(history, tp, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(sent.get(tp));
            }
            boolean withProducerId = history.events().stream().filter(e -> e instanceof BrokerAppend)
                    .allMatch(e -> ((BrokerAppend) e).producerId() >= 0);
            assertThat(withProducerId).isEqualTo(idempotent);
        }
        assertAllHold(mode, history);
    }

    @Test
    void plainAcksAllRecordsAreStoredOnceInOrder() throws Exception {
        sendAndCheck(Mode.AT_LEAST_ONCE, false);
    }

    @Test
    void idempotentRecordsAreStoredOnceInOrder() throws Exception {
        sendAndCheck(Mode.IDEMPOTENT, true);
    }

    /** Compressed batches are decompressed on Produce (codecs of kafka-clients' runtime dependencies) and stored plain. */
    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void compressedBatchesAreStoredAndReadBack(String codec) throws Exception {
        History history = new History();
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        List<Long> sent = new ArrayList<>();
        try (WireHarness h = WireHarness.start(dir, 1, 2, BrokerConfig.DEFAULT, history)) {
            Properties props = h.producerProps();
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
            try (WireHarness.RecordingProducer p = new WireHarness.RecordingProducer(props, history, 1)) {
                for (long id = 0; id < 200; id++) {
                    sent.add(id);
                    p.send(tp, id);
                }
                p.producer.flush();
            }
            assertThat(h.fetchInto(history, tp, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(sent);
        }
        assertAllHold(Mode.IDEMPOTENT, history);
    }

    @ParameterizedTest(name = "transaction version {0}")
    @ValueSource(ints = {1, 2})
    void transactionsCommitAndAbortAcrossPartitions(int transactionVersion) throws Exception {
        History history = new History();
        int partitions = 4;
        int transactions = 6;
        Map<TopicPartition, List<Long>> committed = new HashMap<>();
        Map<TopicPartition, List<Long>> all = new HashMap<>();
        try (WireHarness h = WireHarness.start(dir, partitions, transactionVersion, BrokerConfig.DEFAULT, history)) {
            Properties props = h.producerProps();
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + transactionVersion);
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
            try (WireHarness.RecordingProducer p = new WireHarness.RecordingProducer(props, history, 1)) {
                p.producer.initTransactions();
                long id = 0;
                for (int t = 0; t < transactions; t++) {
                    boolean commit = t % 3 != 1;
                    p.begin();
                    for (int i = 0; i < 40; i++, id++) {
                        TopicPartition tp = new TopicPartition(TOPIC, (int) (id % partitions));
                        all.computeIfAbsent(tp, k -> new ArrayList<>()).add(id);
                        if (commit) {
                            committed.computeIfAbsent(tp, k -> new ArrayList<>()).add(id);
                        }
                        p.send(tp, id);
                    }
                    p.producer.flush();
                    p.end(commit);
                }
            }
            for (TopicPartition tp : partitions(partitions)) {
                assertThat(h.fetchInto(history, tp, IsolationLevel.READ_COMMITTED)).as("read_committed " + tp)
                        .isEqualTo(committed.get(tp));
                assertThat(h.fetchInto(history, tp, IsolationLevel.READ_UNCOMMITTED)).as("read_uncommitted " + tp)
                        .isEqualTo(all.get(tp));
            }
        }
        // Version 2 bumps the epoch at every EndTxn (KIP-890 part 2); version 1 keeps one epoch.
        long epochs = history.events().stream().filter(e -> e instanceof BrokerAppend)
                .map(e -> ((BrokerAppend) e).producerEpoch()).distinct().count();
        assertThat(epochs).isEqualTo(transactionVersion == 2 ? transactions : 1);
        assertAllHold(Mode.EXACTLY_ONCE, history);
    }
}
