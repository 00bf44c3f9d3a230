package dev.deliverycheck.wire.harness;

import dev.deliverycheck.check.Checkers;
import dev.deliverycheck.check.History;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.wire.observe.ConsumerReads;
import dev.deliverycheck.wire.observe.CoordinatorObserver;
import dev.deliverycheck.wire.observe.HistoryBuilder;
import dev.deliverycheck.wire.observe.LogScan;
import dev.deliverycheck.wire.observe.Timeline;
import dev.deliverycheck.wire.proxy.FaultPlan;
import dev.deliverycheck.wire.proxy.FaultProxy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.errors.RetriableException;

/**
 * One schedule run against real Kafka: a fresh topic, a fresh proxy armed with the schedule's faults, the real
 * producer driven through the workload steps, then the settling phase (faults off, broker back, open
 * transactions committed, producers flushed and closed), the raw scan and the reads, and the verdicts.
 *
 * <p>Invariants: every producer, the proxy and the admin client are closed when {@link #run} returns or throws;
 * the whole run is bounded by {@link #DEADLINE}.
 */
public final class RealRun {
    /** No run takes longer; a run that does is reported as an error, never waited for. */
    static final Duration DEADLINE = Duration.ofSeconds(120);

    /** The outcome of one run: its history, the verdicts, the faults the proxy applied and its wall time. */
    public record Outcome(History history, List<Verdict> verdicts, List<String> appliedFaults, double seconds) {
        public Verdict verdict(String invariant) {
            return verdicts.stream().filter(v -> v.invariant().tlaName().equals(invariant)).findFirst().orElse(null);
        }
    }

    /** The broker stopped answering (and the harness did not stop it): the run cannot be judged. */
    public static final class TargetFailure extends RuntimeException {
        TargetFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Target target;
    private final ProducerSettings settings;
    private final Client client;

    public RealRun(Target target, ProducerSettings settings) {
        this(target, settings, Client.REAL);
    }

    /** Runs with {@code client}: the real Java client, or deliverycheck's producer over the wire. */
    public RealRun(Target target, ProducerSettings settings, Client client) {
        this.target = target;
        this.settings = settings;
        this.client = client;
        check(settings, client);
    }

    /** IllegalArgumentException (one line) when {@code client} cannot take {@code settings}: bad input, before any run. */
    public static void check(ProducerSettings settings, Client client) {
        if (client == Client.OURS) {
            OurWorkload.config(settings, null);
        }
    }

    public Outcome run(RealSchedule schedule) {
        long start = System.nanoTime();
        String topic = "dc-" + schedule.mode().cliName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        createTopic(topic, schedule.partitions());
        Timeline timeline = new Timeline();
        FaultPlan plan = new FaultPlan(schedule.faults());
        ClientWorkload workload;
        try (FaultProxy proxy = new FaultProxy(target.address(), plan, new CoordinatorObserver(timeline),
                target.managed() ? target::crash : null)) {
            String transactionalId = settings.transactionalId() == null ? null : settings.transactionalId() + "-" + topic;
            workload = client == Client.OURS
                    ? new OurWorkload(proxy.bootstrap(), settings, transactionalId, topic, schedule.partitions(), timeline, target,
                            plan)
                    : new Workload(proxy.bootstrap(), settings, transactionalId, topic, schedule.partitions(), timeline, target,
                            plan);
            runBounded(workload, schedule);
        } catch (IOException e) {
            throw new TargetFailure("cannot open the fault proxy: " + e.getMessage(), e);
        }
        target.restartIfDown();
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < schedule.partitions(); p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        List<LogScan.Batch> batches = new ArrayList<>();
        List<ConsumerFetch> reads = new ArrayList<>();
        awaitNoOpenTransaction(topic, schedule.partitions(), SETTLE_TIMEOUT);
        try {
            for (TopicPartition tp : partitions) {
                batches.addAll(LogScan.scan(target.address(), tp));
            }
            reads.addAll(ConsumerReads.read(target.bootstrap(), partitions, IsolationLevel.READ_UNCOMMITTED));
            reads.addAll(ConsumerReads.read(target.bootstrap(), partitions, IsolationLevel.READ_COMMITTED));
        } catch (IOException | RuntimeException e) {
            throw new TargetFailure("the broker at " + target.bootstrap() + " stopped answering while the run was read back: "
                    + e.getMessage(), e);
        }
        History history = HistoryBuilder.build(timeline, batches, reads);
        List<Verdict> verdicts = Checkers.forMode(schedule.mode()).checkAll(history);
        return new Outcome(history, verdicts, plan.applied().stream().map(f -> f.toLine()).toList(),
                (System.nanoTime() - start) / 1e9);
    }

    private void runBounded(ClientWorkload workload, RealSchedule schedule) {
        Thread worker = new Thread(() -> workload.runAndSettle(schedule.steps()), "real-run-" + schedule.seed());
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(DEADLINE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            workload.abandon();
            throw new TargetFailure("the run did not finish within " + DEADLINE.toSeconds() + " s (broker at "
                    + target.bootstrap() + " unresponsive?)", null);
        }
        if (workload.failure() != null) {
            Throwable f = workload.failure();
            if (f instanceof IllegalArgumentException usage) {
                throw usage;
            }
            if (f instanceof ClientWorkload.BrokerGone || !target.running()) {
                throw new TargetFailure("the broker at " + target.bootstrap() + " stopped answering during the run: "
                        + f.getMessage(), f);
            }
            throw new TargetFailure("the run failed: " + f, f);
        }
    }

    /** How long the last transaction's markers may take to be written once the run settled. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Waits (bounded by {@code timeout}) until no transaction is open on the run's topic: every partition's last
     * stable offset is its log end (read_committed and read_uncommitted ListOffsets agree). The broker answers
     * EndTxn before the markers are written (Kafka's and deliverycheck's alike), so a read_committed read that
     * starts right after the settling commit could stop at a last stable offset still below the commit's records
     * and report committed records as lost. A condition asked of the broker until it holds, not a pause; a
     * transaction still open at {@code timeout} (nothing the settling phase left should be) is a TargetFailure:
     * the run's read_committed read could not be judged.
     */
    void awaitNoOpenTransaction(String topic, int partitions, Duration timeout) {
        Map<org.apache.kafka.common.TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new org.apache.kafka.common.TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                try {
                    Map<org.apache.kafka.common.TopicPartition, Long> stable = ends(admin, latest,
                            org.apache.kafka.common.IsolationLevel.READ_COMMITTED);
                    Map<org.apache.kafka.common.TopicPartition, Long> end = ends(admin, latest,
                            org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED);
                    if (stable.equals(end)) {
                        return;
                    }
                    if (System.nanoTime() >= deadline) {
                        throw new TargetFailure("a transaction on " + topic + " is still open " + timeout.toSeconds()
                                + " s after the run settled (last stable offsets " + stable + ", log ends " + end + ")",
                                null);
                    }
                } catch (ExecutionException e) {
                    // a broker just restarted may not serve the partitions yet: ask again, bounded as above; one that
                    // did not answer within the Admin client's own timeout is gone
                    if (!(e.getCause() instanceof RetriableException)
                            || e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                            || System.nanoTime() >= deadline) {
                        throw e;
                    }
                }
                Thread.sleep(RETRY_BACKOFF.toMillis());
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            if (e instanceof TargetFailure f) {
                throw f;
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new TargetFailure("the broker at " + target.bootstrap() + " stopped answering while the run settled: "
                    + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetFailure("interrupted while waiting for the run's transactions to end", e);
        }
    }

    private static Map<org.apache.kafka.common.TopicPartition, Long> ends(Admin admin,
            Map<org.apache.kafka.common.TopicPartition, OffsetSpec> latest, org.apache.kafka.common.IsolationLevel isolation)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<org.apache.kafka.common.TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(15, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /**
     * How long a new topic may take until it is created and every partition's leader serves it. A
     * bound on a hang, not a speed: a broker JVM that has just started answers its first requests
     * slowly on a loaded machine (a flake hunt saw the 10 s the Admin call had before pass without
     * an answer from a live broker).
     */
    static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

    private void createTopic(String topic, int partitions) {
        Map<String, Object> conf = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TOPIC_READY_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(conf)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
                    .get(TOPIC_READY_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            awaitServed(admin, topic, partitions);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException || cause instanceof TimeoutException) {
                throw new TargetFailure("the broker at " + target.bootstrap() + " stopped answering while topic " + topic
                        + " was created and its leaders came up: " + cause.getMessage(), cause);
            }
            throw new TargetFailure("cannot create topic " + topic + " on " + target + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetFailure("interrupted while creating a topic", e);
        }
    }

    /**
     * Created is not yet served: until every partition's leader answers for it, a first Produce may be refused
     * (NOT_LEADER_OR_FOLLOWER), and a schedule that loses "the answer to Produce 1" would lose a refusal instead
     * of an applied write. ListOffsets goes to each leader. The Admin client does not retry it while the topic is
     * still missing from the metadata it holds (UnknownTopicOrPartition, seen in a clean-clone CI run), so every
     * retriable answer is asked again until {@link #TOPIC_READY_TIMEOUT}: a condition polled, bounded.
     */
    private static void awaitServed(Admin admin, String topic, int partitions)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<org.apache.kafka.common.TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new org.apache.kafka.common.TopicPartition(topic, p), OffsetSpec.latest());
        }
        long deadline = System.nanoTime() + TOPIC_READY_TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                admin.listOffsets(latest).all().get(Math.max(1, left), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() >= deadline) {
                    throw e;
                }
                Thread.sleep(RETRY_BACKOFF.toMillis());
            }
        }
    }

    /** Pause between two ListOffsets probes of a topic still coming up (the Admin client's own retry.backoff.ms). */
    private static final Duration RETRY_BACKOFF = Duration.ofMillis(100);
}
