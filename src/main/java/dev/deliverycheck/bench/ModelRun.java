package dev.deliverycheck.bench;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.producer.ProducerNode;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.producer.RecordMetadata;
import dev.deliverycheck.protocol.Record;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One run of a {@link Workload} in the bench simulator ({@link ModelCluster} under a
 * {@link CostModel}): an application sends at the workload's rate for warm-up plus measurement
 * window, then the run continues up to the drain time so records sent in the window can complete.
 * Deterministic: the same workload, model and slowdowns give the same result.
 */
public final class ModelRun {
    /**
     * The application sends every record due within this much of now in one go: at high rates
     * this saves the simulator a producer poll per record; no record is sent more than this
     * early, and latency is measured from the actual send.
     */
    static final long SEND_QUANTUM_NS = 10_000;

    private final Workload workload;
    private final ModelCluster cluster;
    private final ProducerNode<byte[], byte[]> producer;
    private final Recorder recorder;
    private final byte[] value;
    private final long intervalNs;
    private final long stopNs;
    private long nextSendNs;
    private long nextId;
    private CompletableFuture<RecordMetadata> blockedOn;
    private long blockedSinceNs;

    private ModelRun(Workload workload, CostModel cost, double[] slowdown, BrokerConfig brokerConfig) {
        if (workload.recordsPerSecond() <= 0) {
            throw new IllegalArgumentException("the bench simulator needs a finite offered load (records per second > 0)");
        }
        if (workload.recordsPerTransaction() > 0) {
            throw new IllegalArgumentException("the bench simulator runs non-transactional loads only");
        }
        if (slowdown.length != workload.brokers()) {
            throw new IllegalArgumentException("one slowdown factor per broker: " + slowdown.length + " for "
                    + workload.brokers() + " brokers");
        }
        this.workload = workload;
        this.cluster = new ModelCluster(workload.partitions(), cost, slowdown, brokerConfig, workload.seed());
        long from = workload.warmupNs();
        this.stopNs = from + workload.measureNs();
        this.recorder = new Recorder(cluster::nowNs, from, stopNs, workload.brokers(), false);
        cluster.listen(recorder);
        this.producer = cluster.addProducer(workload.producer(), workload.seed());
        this.value = new byte[workload.valueBytes()];
        this.intervalNs = Math.max(1, Math.round(1e9 / workload.recordsPerSecond()));
        cluster.afterEachEvent(this::checkUnblocked);
    }

    /** Runs the workload with equally fast brokers. */
    public static Measurement run(Workload workload, CostModel cost) {
        return run(workload, cost, ModelCluster.uniform(workload.brokers()));
    }

    /** Runs the workload; broker {@code b}'s service times are multiplied by {@code slowdown[b]}. */
    public static Measurement run(Workload workload, CostModel cost, double[] slowdown) {
        return run(workload, cost, slowdown, BrokerConfig.DEFAULT);
    }

    /** As above, with the brokers' settings. */
    public static Measurement run(Workload workload, CostModel cost, double[] slowdown, BrokerConfig brokerConfig) {
        return new ModelRun(workload, cost, slowdown, brokerConfig).execute();
    }

    private Measurement execute() {
        long[][] busy = new long[2][];
        cluster.at(0, this::sendDue);
        cluster.at(workload.warmupNs(), () -> busy[0] = cluster.brokerBusyNs());
        cluster.runUntil(stopNs);
        busy[1] = cluster.brokerBusyNs();
        cluster.runUntil(() -> !producer.hasIncomplete(), stopNs + workload.drainNs());
        double[] share = new double[busy[1].length];
        for (int b = 0; b < share.length; b++) {
            share[b] = Math.min(1.0, (double) (busy[1][b] - busy[0][b]) / workload.measureNs());
        }
        return recorder.result(share);
    }

    private void sendDue() {
        long now = cluster.nowNs();
        while (now < stopNs) {
            if (!sendOne(now)) {
                return;
            }
            long next = Math.max(nextSendNs + intervalNs, now);
            nextSendNs = next;
            if (next > now + SEND_QUANTUM_NS || next >= stopNs) {
                cluster.at(next, this::sendDue);
                return;
            }
        }
    }

    /** Sends one record now; false when the application is now blocked waiting for buffer memory. */
    private boolean sendOne(long now) {
        long id = nextId++;
        byte[] key = workload.keyed() ? ByteBuffer.allocate(Long.BYTES).putLong(id * 0x9E3779B97F4A7C15L).array() : null;
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(ModelCluster.TOPIC, null, key, value,
                List.of(Record.idHeader(id)));
        CompletableFuture<RecordMetadata> f = producer.send(record,
                (metadata, error) -> recorder.completed(now, cluster.nowNs(), error));
        recorder.sent(now);
        if (!f.isDone() && producer.memoryWaiterCount() > 0) {
            // Kafka's send() blocks the application until the record got buffer memory
            blockedOn = f;
            blockedSinceNs = now;
            return false;
        }
        return true;
    }

    private void checkUnblocked() {
        if (blockedOn != null && (blockedOn.isDone() || producer.memoryWaiterCount() == 0)) {
            long now = cluster.nowNs();
            recorder.blocked(blockedSinceNs, now);
            blockedOn = null;
            nextSendNs = Math.max(nextSendNs + intervalNs, now);
            cluster.at(nextSendNs, this::sendDue);
        }
    }
}
