package dev.deliverycheck.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.RecordMetadata;
import dev.deliverycheck.producer.StringSerializer;
import dev.deliverycheck.producer.errors.BufferExhaustedException;
import dev.deliverycheck.producer.errors.ProducerClosedException;
import dev.deliverycheck.producer.errors.TimeoutException;
import dev.deliverycheck.producer.testkit.FakeBroker;
import dev.deliverycheck.producer.testkit.RecordingEvents;
import dev.deliverycheck.producer.testkit.Records;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real-mode producer: an I/O thread, the system clock, and brokers answering on another thread. */
@Timeout(30)
class KafkaStyleProducerTest {
    private static final ClusterMetadata CLUSTER = ClusterMetadata.of(2, "t", 4);

    /** In-process network: requests are handled by {@link FakeBroker}s on their own thread. */
    private static final class ThreadedBrokers implements Transport {
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        final AtomicLong producerIds = new AtomicLong(1);
        final List<FakeBroker> brokers = List.of(new FakeBroker(0, producerIds), new FakeBroker(1, producerIds));
        volatile KafkaStyleProducer<String, String> producer;
        volatile boolean answering = true;

        @Override
        public void send(int destination, Message message) {
            if (!answering) {
                return;
            }
            thread.submit(() -> brokers.get(destination).handle((Request) message)
                    .ifPresent(r -> producer.deliver(destination, r)));
        }

        int stored() {
            int n = 0;
            for (FakeBroker b : brokers) {
                n += b.logs().values().stream().mapToInt(List::size).sum();
            }
            return n;
        }
    }

    private final ThreadedBrokers network = new ThreadedBrokers();
    private final RecordingEvents events = new RecordingEvents();
    private KafkaStyleProducer<String, String> producer;

    private KafkaStyleProducer<String, String> start(Object... kv) {
        Map<String, Object> config = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            config.put((String) kv[i], kv[i + 1]);
        }
        producer = new KafkaStyleProducer<>(100, ProducerConfig.of(config), new StringSerializer(), new StringSerializer(),
                CLUSTER, network, new SeededRandom(1), events);
        network.producer = producer;
        return producer;
    }

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close(Duration.ZERO);
        }
        network.thread.shutdownNow();
    }

    @Test
    void sendsFlushesAndClosesWithEveryRecordStoredOnce() throws Exception {
        start();
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(producer.send(Records.keyed("t", i, "k" + (i % 7), "v" + i)));
        }
        producer.flush();
        for (Future<RecordMetadata> f : futures) {
            assertThat(f.isDone()).isTrue();
            assertThat(f.get().offset()).isNotNegative();
        }
        assertThat(network.stored()).isEqualTo(1000);
        producer.close(Duration.ofSeconds(5));
        assertThat(events.names()).contains("ProducerInitProducerId");
    }

    @Test
    void transactionsCommitAndAbortThroughTheBlockingApi() throws Exception {
        start("transactional.id", "tx-real");
        producer.initTransactions();
        producer.beginTransaction();
        Future<RecordMetadata> committed = producer.send(Records.keyless("t", 1, "a"));
        producer.commitTransaction();
        assertThat(committed.get().offset()).isNotNegative();
        producer.beginTransaction();
        producer.send(Records.keyless("t", 2, "b"));
        producer.abortTransaction();
        assertThat(events.names()).contains("ProducerEndTxn", "ProducerEndTxnResult");
    }

    @Test
    void sendBlocksWhileMemoryIsExhaustedThenFailsAfterMaxBlockMs() {
        network.answering = false;
        start("enable.idempotence", false, "buffer.memory", 2000, "batch.size", 1000, "max.block.ms", 300,
                "linger.ms", 60_000);
        producer.send(Records.toPartition("t", 0, 1, "a"));
        producer.send(Records.toPartition("t", 1, 2, "b"));
        long start = System.nanoTime();
        Future<RecordMetadata> blocked = producer.send(Records.toPartition("t", 2, 3, "c"));
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waitedMs).isGreaterThanOrEqualTo(250);
        assertThat(blocked.isDone()).isTrue();
        assertThatThrownBy(blocked::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(BufferExhaustedException.class);
    }

    @Test
    void closeWithATimeoutFailsWhatIsStillOutstanding() {
        network.answering = false;
        start("enable.idempotence", false);
        Future<RecordMetadata> f = producer.send(Records.toPartition("t", 0, 1, "a"));
        producer.close(Duration.ofMillis(100));
        assertThatThrownBy(f::get).hasCauseInstanceOf(ProducerClosedException.class);
    }

    @Test
    void initTransactionsTimesOutAfterMaxBlockMsWhenTheCoordinatorIsSilent() {
        network.answering = false;
        start("transactional.id", "tx-silent", "max.block.ms", 200);
        assertThatThrownBy(producer::initTransactions).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("max.block.ms");
    }
}
