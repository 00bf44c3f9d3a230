package dev.deliverycheck.wire.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.producer.StringSerializer;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.FetchRequest;
import dev.deliverycheck.protocol.FetchResponse;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.sim.SimulatedDisk;
import dev.deliverycheck.wire.WireBroker;
import dev.deliverycheck.wire.WireServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * deliverycheck's producer over TCP to deliverycheck's wire broker (in-process, loopback): the same producer
 * logic, a different Transport. Records arrive once each, transactions commit and abort, a lost Produce answer is
 * retried (deduplicated with idempotence, duplicated without), and a broker the client cannot use is one clear
 * error within the bootstrap timeout.
 */
class WireProducerTest {
    private static final String TOPIC = "t";

    private WireBroker broker;
    private WireServer server;
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final List<WireProducer<String, String>> producers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // Transaction version 2, as `deliverycheck broker` and Kafka 4.4 run by default (version 1: WireProducerTransactionVersionTest)
        broker = new WireBroker(new SimulatedDisk(), BrokerConfig.DEFAULT, 1, 2, EventSink.NONE);
        broker.createTopic(TOPIC, 2);
        server = new WireServer(broker, 0);
    }

    @AfterEach
    void stop() {
        producers.forEach(p -> p.close(Duration.ZERO));
        if (server != null) {
            server.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private WireProducer<String, String> producer(Map<String, Object> settings) {
        Map<String, Object> conf = new HashMap<>(settings);
        conf.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        conf.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        conf.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        conf.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "20");
        WireProducer<String, String> p = WireProducer.connect("127.0.0.1:" + server.port(), 100 + producers.size(),
                new ProducerConfig(conf), new StringSerializer(), new StringSerializer(), ClusterMetadata.of(1, TOPIC, 2),
                1L, events::add, Duration.ofSeconds(10));
        producers.add(p);
        return p;
    }

    private List<Future<?>> sendAll(WireProducer<String, String> p, int from, int count) {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            futures.add(p.send(new ProducerRecord<>(TOPIC, i % 2, "k" + i, "v" + i, List.of(Record.idHeader(i)))));
        }
        return futures;
    }

    private List<Long> stored(IsolationLevel isolation) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            TopicPartition tp = new TopicPartition(TOPIC, p);
            FetchResponse r = (FetchResponse) broker.call(id -> new FetchRequest(id, tp, 0, Integer.MAX_VALUE, isolation), true)
                    .get(10, TimeUnit.SECONDS);
            r.records().forEach(f -> ids.add(f.record().recordId()));
        }
        Collections.sort(ids);
        return ids;
    }

    private static List<Long> range(int from, int count) {
        List<Long> ids = new ArrayList<>();
        for (long i = from; i < from + count; i++) {
            ids.add(i);
        }
        return ids;
    }

    @Test
    void idempotentProducerStoresEveryRecordOnceAndLearnsItsOffsets() throws Exception {
        WireProducer<String, String> p = producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, "2"));
        List<Future<?>> futures = sendAll(p, 0, 500);
        p.flush();
        for (Future<?> f : futures) {
            assertThat(f).isDone();
            f.get();
        }
        assertThat(stored(IsolationLevel.READ_UNCOMMITTED)).isEqualTo(range(0, 500));
        assertThat(events).filteredOn(e -> e instanceof ProducerSendAcked).hasSize(500)
                .allSatisfy(e -> assertThat(((ProducerSendAcked) e).offset()).isBetween(0L, 499L));
    }

    @Test
    void aLostProduceAnswerIsRetriedAndDeduplicatedWithIdempotence() throws Exception {
        server.dropAnswerToProduce(1);
        WireProducer<String, String> p = producer(Map.of());
        List<Future<?>> futures = sendAll(p, 0, 2);
        p.flush();
        for (Future<?> f : futures) {
            f.get();
        }
        assertThat(stored(IsolationLevel.READ_UNCOMMITTED)).isEqualTo(range(0, 2));
    }

    @Test
    void aLostProduceAnswerDuplicatesARecordWithoutIdempotence() throws Exception {
        server.dropAnswerToProduce(1);
        WireProducer<String, String> p = producer(Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.ACKS_CONFIG, "all"));
        Future<?> f = p.send(new ProducerRecord<>(TOPIC, 0, "k", "v", List.of(Record.idHeader(7))));
        p.flush();
        f.get();
        assertThat(stored(IsolationLevel.READ_UNCOMMITTED)).containsExactly(7L, 7L);
    }

    @Test
    void transactionsCommitAndAbortThroughTheCoordinator() throws Exception {
        WireProducer<String, String> p = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx"));
        p.initTransactions();
        p.beginTransaction();
        sendAll(p, 0, 10);
        p.commitTransaction();
        p.beginTransaction();
        sendAll(p, 10, 5);
        p.flush();
        p.abortTransaction();
        assertThat(stored(IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 10));
        assertThat(stored(IsolationLevel.READ_UNCOMMITTED)).isEqualTo(range(0, 15));
    }

    @Test
    void aTopicTheBrokerDoesNotHaveIsOneClearError() {
        Map<String, Object> conf = Map.of(ProducerConfig.LINGER_MS_CONFIG, "0");
        assertThatThrownBy(() -> WireProducer.connect("127.0.0.1:" + server.port(), 100, new ProducerConfig(conf),
                new StringSerializer(), new StringSerializer(), ClusterMetadata.of(1, "missing", 1), 1L, EventSink.NONE,
                Duration.ofMillis(500)))
                .isInstanceOf(KafkaClientException.class)
                .hasMessageContaining("missing").hasMessageContaining("in time");
        assertThatThrownBy(() -> WireProducer.connect("127.0.0.1:" + server.port(), 100, new ProducerConfig(conf),
                new StringSerializer(), new StringSerializer(), ClusterMetadata.of(1, TOPIC, 3), 1L, EventSink.NONE,
                Duration.ofSeconds(5)))
                .isInstanceOf(KafkaClientException.class).hasMessageContaining("has 2 partitions");
    }

    @Test
    void theBootstrapIsTriedAgainWhenItsConnectionDrops() throws Exception {
        dev.deliverycheck.wire.proxy.FaultPlan plan = new dev.deliverycheck.wire.proxy.FaultPlan(List.of(
                dev.deliverycheck.wire.proxy.Fault.parse("disconnect ApiVersions 1"),
                dev.deliverycheck.wire.proxy.Fault.parse("lose-response Metadata 1")));
        try (dev.deliverycheck.wire.proxy.FaultProxy proxy = new dev.deliverycheck.wire.proxy.FaultProxy(
                new java.net.InetSocketAddress("127.0.0.1", server.port()), plan, exchange -> { }, null)) {
            WireProducer<String, String> p = WireProducer.connect(proxy.bootstrap(), 100, new ProducerConfig(Map.of()),
                    new StringSerializer(), new StringSerializer(), ClusterMetadata.of(1, TOPIC, 2), 1L, EventSink.NONE,
                    Duration.ofSeconds(10));
            producers.add(p);
            assertThat(plan.applied()).hasSize(2);
            Future<?> f = p.send(new ProducerRecord<>(TOPIC, 0, "k", "v", List.of(Record.idHeader(1))));
            p.flush();
            f.get();
        }
        assertThat(stored(IsolationLevel.READ_UNCOMMITTED)).containsExactly(1L);
    }

    @Test
    void anUnreachableBootstrapIsOneClearError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int closedPort = port;
        assertThatThrownBy(() -> WireProducer.connect("127.0.0.1:" + closedPort, 100, new ProducerConfig(Map.of()),
                new StringSerializer(), new StringSerializer(), ClusterMetadata.of(1, TOPIC, 2), 1L, EventSink.NONE,
                Duration.ofSeconds(2)))
                .isInstanceOf(KafkaClientException.class).hasMessageContaining("127.0.0.1:" + closedPort);
    }
}
