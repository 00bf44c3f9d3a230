package dev.deliverycheck.wire.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.ProducerAddPartitions;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerInitProducerId;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.producer.StringSerializer;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.wire.observe.ConsumerReads;
import dev.deliverycheck.wire.proxy.Exchange;
import dev.deliverycheck.wire.proxy.FaultPlan;
import dev.deliverycheck.wire.proxy.FaultProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One transactional {@link WireProducer} through an observing fault proxy (no faults) to a broker, running
 * {@link #ROUNDS} transactions over two partitions: commit, abort, commit, commit, abort, commit (an abort after a
 * commit, two commits in a row, a commit after an abort; the aborted ones flushed first, so their records are in
 * the log). What was committed and aborted is read back with a real {@code KafkaConsumer} at both isolation levels,
 * and the proxy's view says which request versions went out and what the EndTxn answers carried.
 */
final class TransactionRounds {
    static final int ROUNDS = 6;
    static final int RECORDS_PER_ROUND = 4;

    private final String topic;
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    /** Api key and version of every request the broker answered, in the proxy's order. */
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** The (producer id, epoch) of every successful EndTxn v5+ answer, in order. */
    private final List<long[]> endTxnAnswers = Collections.synchronizedList(new ArrayList<>());

    private TransactionRounds(String topic) {
        this.topic = topic;
    }

    static boolean aborted(int round) {
        return round % 3 == 1;
    }

    /** Runs the rounds against the broker at {@code broker}; the topic must exist there with two partitions. */
    static TransactionRounds run(InetSocketAddress broker, String topic, String transactionalId) throws Exception {
        TransactionRounds t = new TransactionRounds(topic);
        try (FaultProxy proxy = new FaultProxy(broker, FaultPlan.none(), t::observe, null)) {
            Map<String, Object> conf = new HashMap<>();
            conf.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            conf.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            conf.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            conf.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "20");
            WireProducer<String, String> p = WireProducer.connect(proxy.bootstrap(), 100, new ProducerConfig(conf),
                    new StringSerializer(), new StringSerializer(), ClusterMetadata.of(1, topic, 2), 1L, t.events::add,
                    Duration.ofSeconds(30));
            try {
                p.initTransactions();
                for (int round = 0; round < ROUNDS; round++) {
                    p.beginTransaction();
                    for (int i = 0; i < RECORDS_PER_ROUND; i++) {
                        long id = (long) round * RECORDS_PER_ROUND + i;
                        p.send(new ProducerRecord<>(topic, i % 2, "k" + id, "v" + id, List.of(Record.idHeader(id))));
                    }
                    if (aborted(round)) {
                        p.flush();
                        p.abortTransaction();
                    } else {
                        p.commitTransaction();
                    }
                }
            } finally {
                p.close(Duration.ofSeconds(5));
            }
        }
        return t;
    }

    private void observe(Exchange e) {
        ApiKeys key = e.header().apiKey();
        requests.add(key.name + " v" + e.header().version());
        if (key == ApiKeys.END_TXN && e.header().version() >= 5) {
            EndTxnResponseData answer = new EndTxnResponseData(new ByteBufferAccessor(e.responseBody().duplicate()),
                    e.header().version());
            if (answer.errorCode() == 0) {
                endTxnAnswers.add(new long[] {answer.producerId(), answer.producerEpoch()});
            }
        }
    }

    /** The distinct "KEY vVERSION" of the requests the producer sent (bootstrap included). */
    Set<String> requestVersions() {
        synchronized (requests) {
            return new LinkedHashSet<>(requests);
        }
    }

    List<long[]> endTxnAnswers() {
        synchronized (endTxnAnswers) {
            return List.copyOf(endTxnAnswers);
        }
    }

    /** The ids of the records sent in the rounds that {@code committed} says, in send order. */
    static List<Long> ids(boolean committed) {
        List<Long> ids = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            if (aborted(round) != committed) {
                for (int i = 0; i < RECORDS_PER_ROUND; i++) {
                    ids.add((long) round * RECORDS_PER_ROUND + i);
                }
            }
        }
        return ids;
    }

    /** The ids a real consumer reads at {@code isolation}, partition 0's then partition 1's. */
    List<Long> read(String bootstrap, IsolationLevel isolation) {
        List<Long> ids = new ArrayList<>();
        for (ConsumerFetch f : ConsumerReads.read(bootstrap, List.of(new TopicPartition(topic, 0),
                new TopicPartition(topic, 1)), isolation)) {
            ids.addAll(f.recordIds());
        }
        return ids;
    }

    /** Partition 0's ids of {@code ids}, then partition 1's (the rounds send id i to partition i % 2). */
    static List<Long> byPartition(List<Long> ids) {
        List<Long> out = new ArrayList<>(ids.stream().filter(i -> i % 2 == 0).toList());
        out.addAll(ids.stream().filter(i -> i % 2 == 1).toList());
        return out;
    }

    /** Longest {@link #awaitNoOpenTransaction} waits for the last commit's markers. */
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** Pause between two asks of the broker's offsets (the consumer's own retry.backoff.ms). */
    private static final Duration ASK_AGAIN = Duration.ofMillis(100);

    /**
     * Waits (bounded) until the last stable offset of both partitions is their log end: the broker answers EndTxn
     * before the markers are written (Kafka's and deliverycheck's brokers alike), so a read_committed reader that
     * starts right after the last commit could find the transaction still open. A condition asked of the broker
     * again and again until it holds, not a pause that hopes it does.
     */
    private void awaitNoOpenTransaction(String bootstrap) throws InterruptedException {
        List<org.apache.kafka.common.TopicPartition> tps = List.of(new org.apache.kafka.common.TopicPartition(topic, 0),
                new org.apache.kafka.common.TopicPartition(topic, 1));
        long deadline = System.nanoTime() + SETTLE.toNanos();
        try (KafkaConsumer<byte[], byte[]> committed = endOffsetsReader(bootstrap, "read_committed");
             KafkaConsumer<byte[], byte[]> uncommitted = endOffsetsReader(bootstrap, "read_uncommitted")) {
            while (true) {
                Map<org.apache.kafka.common.TopicPartition, Long> stable = committed.endOffsets(tps);
                Map<org.apache.kafka.common.TopicPartition, Long> end = uncommitted.endOffsets(tps);
                if (stable.equals(end)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("a transaction on " + topic + " is still open after " + SETTLE.toSeconds()
                            + " s: last stable offsets " + stable + ", log ends " + end);
                }
                Thread.sleep(ASK_AGAIN.toMillis());
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> endOffsetsReader(String bootstrap, String isolation) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(p);
    }

    /**
     * Checks what a real consumer reads (once no transaction is open): read_committed exactly the committed rounds' records in order, none of the
     * aborted ones; read_uncommitted every record once.
     */
    void assertReads(String bootstrap) throws InterruptedException {
        awaitNoOpenTransaction(bootstrap);
        assertThat(read(bootstrap, IsolationLevel.READ_COMMITTED)).isEqualTo(byPartition(ids(true)));
        List<Long> all = new ArrayList<>(ids(true));
        all.addAll(ids(false));
        Collections.sort(all);
        assertThat(read(bootstrap, IsolationLevel.READ_UNCOMMITTED)).containsExactlyElementsOf(byPartition(all));
    }

    /**
     * The transaction-version-2 flow on the wire: Produce v12 and EndTxn v5, no AddPartitionsToTxn
     * (not as a request, not as a producer event), and every EndTxn bumped the epoch, the producer
     * sending its next EndTxn with the epoch the answer returned, under one producer id.
     */
    void assertTransactionVersion2Flow() {
        assertThat(requestVersions()).contains("Produce v12", "EndTxn v5")
                .noneMatch(r -> r.startsWith("AddPartitionsToTxn"))
                .doesNotContain("Produce v11", "EndTxn v4");
        assertThat(events(ProducerAddPartitions.class)).isEmpty();
        assertEveryTransactionEnded();
        long pid = initProducerId().producerId();
        short first = initProducerId().producerEpoch();
        assertThat(endTxnEpochs()).containsExactlyElementsOf(epochs(first, 0));
        assertThat(endTxnAnswers()).hasSize(ROUNDS).allSatisfy(a -> assertThat(a[0]).isEqualTo(pid))
                .extracting(a -> (short) a[1]).containsExactlyElementsOf(epochs(first, 1));
    }

    /** The epochs of the rounds' EndTxn, from {@code first + offset} up by one per round. */
    static List<Short> epochs(short first, int offset) {
        return IntStream.range(0, ROUNDS).mapToObj(i -> (short) (first + offset + i)).toList();
    }

    /** Every transaction ended successfully, as the producer reported it. */
    void assertEveryTransactionEnded() {
        assertThat(events(ProducerEndTxnResult.class)).hasSize(ROUNDS)
                .allSatisfy(r -> assertThat(r.error()).as("transaction %d", r.transactionIndex()).isNull())
                .extracting(ProducerEndTxnResult::commit)
                .containsExactly(true, false, true, true, false, true);
    }

    /** The epoch each EndTxn request carried, in order. */
    List<Short> endTxnEpochs() {
        return events(ProducerEndTxn.class).stream().map(ProducerEndTxn::producerEpoch).toList();
    }

    ProducerInitProducerId initProducerId() {
        return events(ProducerInitProducerId.class).get(0);
    }

    <E extends Event> List<E> events(Class<E> kind) {
        synchronized (events) {
            return events.stream().filter(kind::isInstance).map(kind::cast).toList();
        }
    }
}
