package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.History;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerDuplicate;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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

    /** What a restart run left: the History, and the produce outcomes (BrokerAppend, BrokerDuplicate) of each broker. */
    private record RestartRun(History history, List<Event> firstBroker, List<Event> restartedBroker) {
    }

    private static EventSink recording(History history, List<Event> produceOutcomes, CountDownLatch appended) {
        return e -> {
            history.emit(e);
            if (e instanceof BrokerAppend || e instanceof BrokerDuplicate) {
                produceOutcomes.add(e);
            }
            if (e instanceof BrokerAppend) {
                appended.countDown();
            }
        };
    }

    /**
     * A real idempotent producer's first record is appended and the broker crashes before answering
     * ({@link WireServer#crashAtAnswerToProduce}: its listener closes before the connection does); then a broker
     * starts again on the same data and port. The client learns of the loss only after the first broker stopped
     * accepting, so its retry of the written batch can reach only the restarted broker: conditions order the
     * steps, no client backoff or sleep holds the retry off. The client's request timeout (60 s) is only the bound
     * on a local append's answer; {@link RestartRun#firstBroker} shows that nothing but the first batch reached it.
     */
    private RestartRun retryAfterARestart(BrokerConfig config) throws Exception {
        History history = new History();
        List<Event> atFirst = new CopyOnWriteArrayList<>();
        List<Event> atRestarted = new CopyOnWriteArrayList<>();
        CountDownLatch appended = new CountDownLatch(1);
        WireHarness first = WireHarness.start(dir, 1, 2, config, recording(history, atFirst, appended));
        WireHarness second = null;
        try {
            Properties props = first.producerProps();
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
            int port = first.server.port();
            first.server.crashAtAnswerToProduce(1);
            try (WireHarness.RecordingProducer p = new WireHarness.RecordingProducer(props, history, 1)) {
                Future<RecordMetadata> lost = p.send(TP, 0);
                assertThat(appended.await(60, TimeUnit.SECONDS)).as("the first batch was appended").isTrue();
                // Whether the crash hook or this close stops the first server, its listener goes before the
                // client's connection does; close also flushes the append, so the restart recovers it.
                first.close();
                first = null;
                second = WireHarness.start(dir, 1, 2, config, recording(history, atRestarted, new CountDownLatch(1)), port);
                lost.get(120, TimeUnit.SECONDS);
                p.send(TP, 1).get(60, TimeUnit.SECONDS);
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
        assertThat(atFirst).as("only the first batch reached the first broker; its retry did not")
                .singleElement().satisfies(e -> assertThat(((BrokerAppend) e).recordIds()).containsExactly(0L));
        return new RestartRun(history, atFirst, atRestarted);
    }

    @Test
    void theProductionBrokerRecoversProducerStateAndDropsARetryAfterARestart() throws Exception {
        RestartRun run = retryAfterARestart(BrokerConfig.DEFAULT);
        Verdict v = Invariant.NO_DUPLICATE.checker().check(run.history());
        assertThat(v.holds()).as(v.toString()).isTrue();
        assertThat(run.restartedBroker()).as("the retry reached the restarted broker, which knew it")
                .first().isInstanceOf(BrokerDuplicate.class);
        assertThat(run.history().events()).filteredOn(e -> e instanceof ConsumerFetch)
                .singleElement().satisfies(e -> assertThat(((ConsumerFetch) e).recordIds()).containsExactly(0L, 1L));
    }

    @Test
    void withoutProducerStateRecoveryARetryAfterARestartIsAppendedAgain() throws Exception {
        RestartRun run = retryAfterARestart(BrokerVariant.NO_RECOVERY.apply(BrokerConfig.DEFAULT));
        Verdict v = Invariant.NO_DUPLICATE.checker().check(run.history());
        assertThat(v.holds()).as(v.toString()).isFalse();
        assertThat(v.offendingIds()).containsExactly(0L);
        assertThat(run.restartedBroker()).as("the retry reached the restarted broker, which appended it again")
                .first().isInstanceOfSatisfying(BrokerAppend.class, a -> assertThat(a.recordIds()).containsExactly(0L));
    }
}
