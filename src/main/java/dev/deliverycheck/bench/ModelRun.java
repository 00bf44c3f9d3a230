package dev.deliverycheck.bench;

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

    private ModelRun(Workload workload, CostModel cost, double[] slowdown) {
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
        this.cluster = new ModelCluster(workload.partitions(), cost, slowdown);
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
    public static RunResult run(Workload workload, CostModel cost) {
        return run(workload, cost, ModelCluster.uniform(workload.brokers()));
    }

    /** Runs the workload; broker {@code b}'s service times are multiplied by {@code slowdown[b]}. */
    public static RunResult run(Workload workload, CostModel cost, double[] slowdown) {
        return new ModelRun(workload, cost, slowdown).execute();
    }

    private RunResult execute() {
        cluster.at(0, this::sendOne);
        cluster.runUntil(stopNs);
        cluster.runUntil(() -> !producer.hasIncomplete(), stopNs + workload.drainNs());
        return recorder.result();
    }

    private void sendOne() {
        long now = cluster.nowNs();
        if (now >= stopNs) {
            return;
        }
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
            return;
        }
        scheduleNext(now);
    }

    private void scheduleNext(long now) {
        nextSendNs = Math.max(nextSendNs + intervalNs, now);
        cluster.at(nextSendNs, this::sendOne);
    }

    private void checkUnblocked() {
        if (blockedOn != null && (blockedOn.isDone() || producer.memoryWaiterCount() == 0)) {
            long now = cluster.nowNs();
            recorder.blocked(blockedSinceNs, now);
            blockedOn = null;
            scheduleNext(now);
        }
    }
}
