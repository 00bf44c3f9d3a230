package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.History;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code no-kip890} broker variant against a real transactional KafkaProducer (transaction version 1, where
 * the client adds its partitions and the leader's KIP-890 part 1 check is what stops a late write): the producer
 * writes record 0 and aborts; then a Produce of record 1 with the producer's id, epoch and next sequence arrives,
 * as a network that held a request of the aborted transaction until after the abort would deliver it (played by a
 * raw connection: the real client never lets a transaction end with a batch in flight); then the producer commits
 * a second transaction. The production broker refuses the late batch, which the coordinator does not know to be in
 * a transaction (INVALID_TXN_STATE); the variant appends it, the second transaction's record 2, which carries the
 * same sequence, is taken for its duplicate and never stored, and the second transaction's COMMIT marker commits
 * record 1: a {@code read_committed} reader sees a record of the aborted transaction and not the committed one, and
 * AtomicCommit says so.
 */
class WireLateProduceTest {
    private static final TopicPartition TP = new TopicPartition("late", 0);
    private static final String TRANSACTIONAL_ID = "late-tx";

    @TempDir
    Path dir;

    private record Outcome(History history, Errors lateAnswer) {
        List<Long> read(IsolationLevel isolation) {
            return history.events().stream().filter(e -> e instanceof ConsumerFetch f && f.isolation() == isolation)
                    .flatMap(e -> ((ConsumerFetch) e).recordIds().stream()).toList();
        }
    }

    private Outcome lateProduceBetweenTwoTransactions(BrokerConfig config) throws Exception {
        History history = new History();
        Errors lateAnswer;
        try (WireHarness h = WireHarness.start(dir, 1, 1, config, history)) {
            Properties props = h.producerProps();
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
            try (WireHarness.RecordingProducer p = new WireHarness.RecordingProducer(props, history, 1)) {
                p.producer.initTransactions();
                p.begin();
                p.send(TP, 0).get(20, TimeUnit.SECONDS);
                BrokerAppend first = history.events().stream().filter(e -> e instanceof BrokerAppend)
                        .map(BrokerAppend.class::cast).filter(a -> a.recordIds().contains(0L)).findFirst().orElseThrow();
                // record 1 belongs to the first transaction: its request is the one the network holds back
                history.emit(new ProducerSend(1, 1L, TP, 0));
                p.end(false);
                lateAnswer = sendLate(h.server.port(), first.producerId(), first.producerEpoch(),
                        first.baseSequence() + 1);
                p.begin();
                p.send(TP, 2).get(20, TimeUnit.SECONDS);
                p.end(true);
            }
            h.fetchInto(history, TP, IsolationLevel.READ_UNCOMMITTED);
            h.fetchInto(history, TP, IsolationLevel.READ_COMMITTED);
        }
        return new Outcome(history, lateAnswer);
    }

    /** A transactional Produce v9 of record 1 with the given producer id, epoch and sequence; its answer's error. */
    private static Errors sendLate(int port, long producerId, short epoch, int sequence) throws Exception {
        Header[] headers = {new RecordHeader(Record.ID_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(1L).array())};
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, sequence,
                new SimpleRecord(System.currentTimeMillis(), "k1".getBytes(), "value-1".getBytes(), headers));
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName(TP.topic());
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(TP.partition())
                .setRecords(records));
        ProduceRequestData produce = new ProduceRequestData().setTransactionalId(TRANSACTIONAL_ID).setAcks((short) -1)
                .setTimeoutMs(10_000);
        produce.topicData().add(topic);
        try (RawClient raw = new RawClient(port)) {
            ProduceResponse answer = (ProduceResponse) raw.call(ApiKeys.PRODUCE, (short) 9, produce);
            return Errors.forCode(answer.data().responses().iterator().next().partitionResponses().get(0).errorCode());
        }
    }

    @Test
    void theProductionBrokerRefusesAProduceOfAnAbortedTransactionThatArrivesLate() throws Exception {
        Outcome o = lateProduceBetweenTwoTransactions(BrokerConfig.DEFAULT);
        assertThat(o.lateAnswer()).isEqualTo(Errors.INVALID_TXN_STATE);
        Verdict v = Invariant.ATOMIC_COMMIT.checker().check(o.history());
        assertThat(v.holds()).as(v.toString()).isTrue();
        assertThat(o.read(IsolationLevel.READ_COMMITTED)).containsExactly(2L);
    }

    @Test
    void withoutTheKip890CheckALateProduceJoinsTheNextTransaction() throws Exception {
        Outcome o = lateProduceBetweenTwoTransactions(BrokerVariant.NO_KIP890.apply(BrokerConfig.DEFAULT));
        assertThat(o.lateAnswer()).isEqualTo(Errors.NONE);
        Verdict v = Invariant.ATOMIC_COMMIT.checker().check(o.history());
        assertThat(v.holds()).as(v.toString()).isFalse();
        assertThat(v.offendingIds()).contains(1L);
        assertThat(o.read(IsolationLevel.READ_COMMITTED)).containsExactly(1L);
    }
}
