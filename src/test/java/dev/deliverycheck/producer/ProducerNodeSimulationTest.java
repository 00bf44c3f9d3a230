package dev.deliverycheck.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.producer.testkit.FakeBroker;
import dev.deliverycheck.producer.testkit.LossyNetwork;
import dev.deliverycheck.sim.VirtualClock;
import dev.deliverycheck.producer.testkit.RecordingEvents;
import dev.deliverycheck.producer.testkit.Records;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The node end to end on a lossy, delaying network against {@link FakeBroker}s (Kafka's append
 * rules): the three non-transactional modes give the outcomes DESIGN.md's matrix expects, and a
 * seed reproduces a run event for event.
 */
class ProducerNodeSimulationTest {
    private static final ClusterMetadata CLUSTER = ClusterMetadata.of(2, "t", 4);

    private record Outcome(int sent, int acked, int failed, int duplicates, int lost, int reordered, List<Event> events,
                           int requestsLost, int responsesLost) {
    }

    private static Outcome run(DeliveryMode mode, long seed, int records, double requestLoss, double responseLoss) {
        return run(mode, seed, records, requestLoss, responseLoss, 20);
    }

    /** {@code maxDelayMs} above request.timeout.ms (1000) lets answers arrive after their request timed out. */
    private static Outcome run(DeliveryMode mode, long seed, int records, double requestLoss, double responseLoss,
                               int maxDelayMs) {
        Map<String, Object> config = new HashMap<>(mode.preset());
        config.put("request.timeout.ms", 1000);
        config.put("delivery.timeout.ms", 600_000);
        config.put("linger.ms", 2);
        config.put("batch.size", 2000);
        VirtualClock clock = new VirtualClock(0);
        SeededRandom random = new SeededRandom(seed);
        AtomicLong producerIds = new AtomicLong(1000);
        List<FakeBroker> brokers = List.of(new FakeBroker(0, producerIds), new FakeBroker(1, producerIds));
        LossyNetwork net = new LossyNetwork(clock, random.split(), brokers, 100, maxDelayMs);
        RecordingEvents events = new RecordingEvents();
        ProducerNode<String, String> node = new ProducerNode<>(100, ProducerConfig.of(config), new StringSerializer(),
                new StringSerializer(), CLUSTER, clock, net, random.split(), events);
        net.attach(node);
        net.faults(requestLoss, responseLoss);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            futures.add(node.send(Records.keyed("t", i, "key-" + (i % 13), "value-" + i), null));
            if (i % 5 == 4) {
                net.runUntil(clock.milliseconds() + 1);
            }
        }
        node.beginFlush();
        net.runUntilQuiet(clock.milliseconds() + 3_600_000);
        assertThat(futures).as("every send completes").allMatch(CompletableFuture::isDone);
        int acked = (int) futures.stream().filter(f -> !f.isCompletedExceptionally()).count();

        Map<Long, Integer> copies = new HashMap<>();
        int reordered = 0;
        for (FakeBroker b : brokers) {
            for (Map.Entry<TopicPartition, List<FakeBroker.Stored>> e : b.logs().entrySet()) {
                long previous = -1;
                Set<Long> seen = new HashSet<>();
                for (FakeBroker.Stored s : e.getValue()) {
                    long id = s.record().recordId();
                    copies.merge(id, 1, Integer::sum);
                    if (seen.add(id) && id < previous) {
                        reordered++;
                    }
                    previous = Math.max(previous, id);
                }
            }
        }
        int duplicates = copies.values().stream().mapToInt(c -> c - 1).sum();
        int lost = records - copies.size();
        return new Outcome(records, acked, records - acked, duplicates, lost, reordered, events.all(), net.requestsLost,
                net.responsesLost);
    }

    @Test
    void idempotentDeliversEveryRecordExactlyOnceInOrderDespiteLostRequestsAndAcks() {
        Outcome o = run(DeliveryMode.IDEMPOTENT, 7, 2000, 0.05, 0.10);
        assertThat(o.requestsLost()).isPositive();
        assertThat(o.responsesLost()).isPositive();
        assertThat(o.acked()).isEqualTo(2000);
        assertThat(o.duplicates()).isZero();
        assertThat(o.lost()).isZero();
        assertThat(o.reordered()).isZero();
        assertThat(o.events()).as("lost ACKs were retried").anyMatch(e -> e instanceof dev.deliverycheck.event.ProducerRetry);
    }

    @Test
    void idempotentHoldsAcrossSeeds() {
        for (long seed = 1; seed <= 6; seed++) {
            Outcome o = run(DeliveryMode.IDEMPOTENT, seed, 600, 0.1, 0.1);
            assertThat(o.duplicates()).as("seed " + seed).isZero();
            assertThat(o.lost()).as("seed " + seed).isZero();
            assertThat(o.reordered()).as("seed " + seed).isZero();
            assertThat(o.acked()).as("seed " + seed).isEqualTo(600);
        }
    }

    @Test
    void atLeastOnceLosesNothingButDuplicatesWhenAcksAreLost() {
        Outcome o = run(DeliveryMode.AT_LEAST_ONCE, 1, 2000, 0.0, 0.10);
        assertThat(o.acked()).isEqualTo(2000);
        assertThat(o.lost()).isZero();
        assertThat(o.duplicates()).isPositive();
    }

    @Test
    void atMostOnceNeverDuplicatesButLosesRecordsWhenRequestsAreLost() {
        Outcome o = run(DeliveryMode.AT_MOST_ONCE, 1, 2000, 0.05, 0.10);
        assertThat(o.duplicates()).isZero();
        assertThat(o.lost()).isPositive();
        assertThat(o.failed()).isGreaterThan(o.lost()).as("a lost ACK fails a record that was stored");
    }

    @Test
    void theSameSeedGivesTheSameRunEventForEvent() {
        Outcome a = run(DeliveryMode.IDEMPOTENT, 11, 500, 0.1, 0.1);
        Outcome b = run(DeliveryMode.IDEMPOTENT, 11, 500, 0.1, 0.1);
        assertThat(a.events()).isEqualTo(b.events());
        Outcome c = run(DeliveryMode.IDEMPOTENT, 12, 500, 0.1, 0.1);
        assertThat(c.events()).isNotEqualTo(a.events());
    }

    @Test
    void transactionsCommitAndAbortUnderLossAndWriteEachRecordOnce() {
        assertThat(runTransactions(3, 20)).isPositive();
    }

    /** Runs 40 transactions (every fourth aborted) on a lossy network; returns the responses lost. */
    private static int runTransactions(long seed, int maxDelayMs) {
        Map<String, Object> config = new HashMap<>(DeliveryMode.EXACTLY_ONCE.preset("tx-sim"));
        config.put("request.timeout.ms", 1000);
        config.put("delivery.timeout.ms", 600_000);
        VirtualClock clock = new VirtualClock(0);
        SeededRandom random = new SeededRandom(seed);
        AtomicLong producerIds = new AtomicLong(1);
        List<FakeBroker> brokers = List.of(new FakeBroker(0, producerIds), new FakeBroker(1, producerIds));
        LossyNetwork net = new LossyNetwork(clock, random.split(), brokers, 100, maxDelayMs);
        RecordingEvents events = new RecordingEvents();
        ProducerNode<String, String> node = new ProducerNode<>(100, ProducerConfig.of(config), new StringSerializer(),
                new StringSerializer(), CLUSTER, clock, net, random.split(), events);
        net.attach(node);
        net.faults(0.05, 0.1);
        CompletableFuture<Void> init = node.initTransactions();
        net.runUntil(60_000);
        assertThat(init).isCompleted();
        long id = 0;
        Map<Integer, Boolean> outcomes = new LinkedHashMap<>();
        for (int txn = 0; txn < 40; txn++) {
            node.beginTransaction();
            for (int r = 0; r < 5; r++) {
                node.send(Records.keyless("t", id++, "v"), null);
            }
            boolean commit = txn % 4 != 3;
            CompletableFuture<Void> end = commit ? node.commitTransaction() : node.abortTransaction();
            long deadline = clock.milliseconds() + 600_000;
            while (!end.isDone() && clock.milliseconds() < deadline) {
                net.step(deadline);
            }
            assertThat(end).as("seed " + seed + " transaction " + txn).isCompleted();
            outcomes.put(txn, commit);
        }
        assertThat(node.transactionState()).isEqualTo(dev.deliverycheck.producer.internals.TransactionManager.State.READY);
        Map<Long, Integer> copies = new HashMap<>();
        brokers.forEach(b -> b.logs().values().forEach(l -> l.forEach(s -> copies.merge(s.record().recordId(), 1, Integer::sum))));
        assertThat(copies.values()).as("seed " + seed).allMatch(c -> c == 1);
        for (int txn = 0; txn < 40; txn++) {
            if (outcomes.get(txn)) {
                for (long r = txn * 5L; r < txn * 5L + 5; r++) {
                    assertThat(copies).as("seed " + seed + " record " + r + " of committed transaction " + txn).containsKey(r);
                }
            }
        }
        return net.responsesLost;
    }
}
