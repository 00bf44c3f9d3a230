package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.History;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real idempotent producer whose Produce answers are lost at the broker's socket (applied, answer
 * dropped, connection closed): the production broker deduplicates the retries, the dedup-window-1
 * variant stores a record twice, and NoDuplicate says so. And a real transactional producer that goes on
 * writing and commits after a second instance with the same transactional.id initialised: the production
 * broker fences it, the no-fencing variant stores and commits its records, and ZombieFenced says so. And a
 * retry that reaches a restarted broker: the production broker recovers the producer's state and drops it,
 * the no-recovery variant appends it again.
 */
class WireVariantsTest {
    private static final TopicPartition TP = new TopicPartition("dups", 0);

    @TempDir
    Path dir;

    private Verdict runWithLostAnswer(BrokerConfig config) throws Exception {
        History history = new History();
        try (WireHarness h = WireHarness.start(dir, 1, 2, config, history)) {
            Properties props = h.producerProps();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
            // One record per batch and per request, so several requests are in flight at the loss.
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, "1");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            h.server.dropAnswerToProduce(3);
            try (WireHarness.RecordingProducer p = new WireHarness.RecordingProducer(props, history, 1)) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (long id = 0; id < 40; id++) {
                    sent.add(p.send(TP, id));
                }
                for (Future<RecordMetadata> f : sent) {
                    try {
                        f.get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        // reported to the History as ProducerSendFailed: indeterminate, allowed
                    }
                }
            }
            h.fetchInto(history, TP, IsolationLevel.READ_UNCOMMITTED);
        }
        return Invariant.NO_DUPLICATE.checker().check(history);
    }

    @Test
    void theProductionBrokerDeduplicatesRetriesOfALostAnswer() throws Exception {
        Verdict v = runWithLostAnswer(BrokerConfig.DEFAULT);
        assertThat(v.holds()).as(v.toString()).isTrue();
    }

    @Test
    void aDedupWindowOfOneStoresARetryTwice() throws Exception {
        Verdict v = runWithLostAnswer(BrokerVariant.WINDOW_1.apply(BrokerConfig.DEFAULT));
        assertThat(v.holds()).as(v.toString()).isFalse();
        assertThat(v.offendingIds()).isNotEmpty();
    }

    /**
     * Instance 1 begins a transaction and writes a record; instance 2 with the same transactional.id initialises;
     * then instance 1, now a zombie, writes another record and commits. Both read back with real consumers.
     */
    private History zombieWritesAfterANewInstanceInitialised(BrokerConfig config) throws Exception {
        History history = new History();
        TopicPartition tp = new TopicPartition("zombie", 0);
        try (WireHarness h = WireHarness.start(dir, 1, 2, config, history)) {
            Properties props = h.producerProps();
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "zombie-id");
            props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
            try (WireHarness.RecordingProducer zombie = new WireHarness.RecordingProducer(props, history, 1)) {
                zombie.producer.initTransactions();
                zombie.begin();
                zombie.send(tp, 0).get(20, TimeUnit.SECONDS);
                try (WireHarness.RecordingProducer fresh = new WireHarness.RecordingProducer(props, history, 2)) {
                    fresh.producer.initTransactions();
                    try {
                        zombie.send(tp, 1).get(20, TimeUnit.SECONDS);
                        zombie.end(true);
                    } catch (java.util.concurrent.ExecutionException | org.apache.kafka.common.KafkaException e) {
                        // fenced: what the production broker must do (the send is recorded as ProducerSendFailed)
                    }
                }
            }
            h.fetchInto(history, tp, IsolationLevel.READ_UNCOMMITTED);
            h.fetchInto(history, tp, IsolationLevel.READ_COMMITTED);
        }
        return history;
    }

    private static List<Long> committedIds(History history) {
        return history.events().stream().filter(e -> e instanceof ConsumerFetch f
                        && f.isolation() == IsolationLevel.READ_COMMITTED)
                .flatMap(e -> ((ConsumerFetch) e).recordIds().stream()).toList();
    }

    @Test
    void theProductionBrokerFencesAZombieTransactionalProducer() throws Exception {
        History history = zombieWritesAfterANewInstanceInitialised(BrokerConfig.DEFAULT);
        Verdict v = Invariant.ZOMBIE_FENCED.checker().check(history);
        assertThat(v.holds()).as(v.toString()).isTrue();
        assertThat(history.events()).as("the zombie's send is refused")
                .anyMatch(e -> e instanceof ProducerSendFailed f && f.recordId() == 1L);
        assertThat(committedIds(history)).as("the new instance's init aborted the zombie's transaction").isEmpty();
    }

    @Test
    void withoutFencingAZombieWritesAndCommitsAfterTheNewInstanceInitialised() throws Exception {
        History history = zombieWritesAfterANewInstanceInitialised(BrokerVariant.NO_FENCING.apply(BrokerConfig.DEFAULT));
        Verdict v = Invariant.ZOMBIE_FENCED.checker().check(history);
        assertThat(v.holds()).as(v.toString()).isFalse();
        assertThat(v.offendingIds()).contains(1L);
        assertThat(committedIds(history)).as("the zombie's commit went through").containsExactly(0L, 1L);
    }

    /**
     * A real idempotent producer's first record is appended, its answer lost (connection closed); before the client
     * reconnects (reconnect.backoff.ms 5 s) the broker is shut down and started again on the same data and port, so
     * the client's retry of the written batch reaches the restarted broker.
     */
    private History retryAfterARestart(BrokerConfig config) throws Exception {
        History history = new History();
        java.util.concurrent.CountDownLatch appended = new java.util.concurrent.CountDownLatch(1);
        dev.deliverycheck.env.EventSink sink = e -> {
            history.emit(e);
            if (e instanceof dev.deliverycheck.event.BrokerAppend) {
                appended.countDown();
            }
        };
        WireHarness first = WireHarness.start(dir, 1, 2, config, sink);
        WireHarness second = null;
        try {
            Properties props = first.producerProps();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "5000");
            props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "40000");
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            int port = first.server.port();
            first.server.dropAnswerToProduce(1);
            try (WireHarness.RecordingProducer p = new WireHarness.RecordingProducer(props, history, 1)) {
                Future<RecordMetadata> lost = p.send(TP, 0);
                assertThat(appended.await(30, TimeUnit.SECONDS)).as("the first batch was appended").isTrue();
                first.close();
                first = null;
                second = WireHarness.start(dir, 1, 2, config, sink, port);
                lost.get(40, TimeUnit.SECONDS);
                p.send(TP, 1).get(30, TimeUnit.SECONDS);
            }
            second.fetchInto(history, TP, IsolationLevel.READ_UNCOMMITTED);
        } finally {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }
        return history;
    }

    @Test
    void theProductionBrokerRecoversProducerStateAndDropsARetryAfterARestart() throws Exception {
        History history = retryAfterARestart(BrokerConfig.DEFAULT);
        Verdict v = Invariant.NO_DUPLICATE.checker().check(history);
        assertThat(v.holds()).as(v.toString()).isTrue();
        assertThat(history.events()).filteredOn(e -> e instanceof ConsumerFetch)
                .singleElement().satisfies(e -> assertThat(((ConsumerFetch) e).recordIds()).containsExactly(0L, 1L));
    }

    @Test
    void withoutProducerStateRecoveryARetryAfterARestartIsAppendedAgain() throws Exception {
        History history = retryAfterARestart(BrokerVariant.NO_RECOVERY.apply(BrokerConfig.DEFAULT));
        Verdict v = Invariant.NO_DUPLICATE.checker().check(history);
        assertThat(v.holds()).as(v.toString()).isFalse();
        assertThat(v.offendingIds()).containsExactly(0L);
    }
}
