package dev.deliverycheck.wire.bench;

import dev.deliverycheck.protocol.Record;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Measures what the real Kafka 4.4 {@code KafkaProducer}'s sender (its I/O thread,
 * {@code kafka-producer-network-thread}) spends on a Produce request of a controlled shape: {@code partitions}
 * batches of {@code recordsPerBatch} records each. The application appends the shape's records (with
 * {@code linger.ms} far away, so nothing leaves early), then {@code flush()}es, which sends them as one request
 * (one broker leads every partition, and the request is far below {@code max.request.size}); repeated
 * {@code flushes} times. The sender thread's CPU time over those flushes, divided by the requests the client's
 * {@code request-total} metric counts, is the sender's cost per request of that shape: building and writing it,
 * reading and parsing its answer, completing its batches and their records' futures, plus the wake-ups that
 * new batches cause — all the sender's own work, without the time it waits for the broker or for a core.
 *
 * <p>Invariant: the producer's settings are those of {@link PacedKafkaProducerRun} (idempotent, acks=all) except
 * {@code linger.ms} and {@code batch.size}, which only keep the shape exact; the probe closes its producer.
 */
public final class ClientCostProbe implements AutoCloseable {
    /** Far enough that no batch leaves before the flush. */
    private static final int LINGER_MS = 60_000;
    /** Large enough that a shape's batch (≤ 64 records of ≤ 1 KB) is never split. */
    private static final int BATCH_SIZE = 256 * 1024;
    private static final AtomicLong CLIENTS = new AtomicLong();

    /**
     * One shape's figures.
     *
     * @param cpuUsPerRequest  the sender thread's CPU time per request, µs
     * @param wallUsPerRequest elapsed time per flush (the request's whole round trip through the client), µs
     * @param requestsPerFlush requests the client sent per flush (1 when the shape held; reported, not assumed)
     */
    public record Result(int partitions, int recordsPerBatch, int valueBytes, double cpuUsPerRequest,
                         double wallUsPerRequest, double requestsPerFlush) {
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final long senderThreadId;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final AtomicLong failed = new AtomicLong();
    private long records;

    private ClientCostProbe(KafkaProducer<byte[], byte[]> producer, String topic, long senderThreadId) {
        this.producer = producer;
        this.topic = topic;
        this.senderThreadId = senderThreadId;
    }

    /** A producer for {@code topic} (which must exist with at least as many partitions as the shapes use). */
    public static ClientCostProbe open(String bootstrap, String topic) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure a thread's CPU time");
        }
        if (!mx.isThreadCpuTimeEnabled()) {
            mx.setThreadCpuTimeEnabled(true);
        }
        String clientId = "deliverycheck-client-cost-" + ProcessHandle.current().pid() + "-" + CLIENTS.incrementAndGet();
        Properties p = PacedKafkaProducerRun.settings(bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        try {
            producer.partitionsFor(topic);
            String name = "kafka-producer-network-thread | " + clientId;
            long id = -1;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(name)) {
                    id = t.getId();
                }
            }
            if (id < 0) {
                throw new IllegalStateException("the producer's sender thread '" + name + "' was not found");
            }
            return new ClientCostProbe(producer, topic, id);
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** Sends {@code warmup} unreported flushes of the shape, then times {@code flushes} of them. */
    public Result measure(int partitions, int recordsPerBatch, int valueBytes, int warmup, int flushes) {
        byte[] value = new byte[valueBytes];
        for (int i = 0; i < warmup; i++) {
            oneFlush(partitions, recordsPerBatch, value);
        }
        double requestsBefore = metric("request-total");
        long cpuBefore = threads.getThreadCpuTime(senderThreadId);
        long t0 = System.nanoTime();
        for (int i = 0; i < flushes; i++) {
            oneFlush(partitions, recordsPerBatch, value);
        }
        long wall = System.nanoTime() - t0;
        long cpu = threads.getThreadCpuTime(senderThreadId) - cpuBefore;
        double requests = metric("request-total") - requestsBefore;
        if (cpuBefore < 0 || cpu < 0 || !(requests > 0)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "no sender CPU time or no requests measured (cpu %d ns, %.0f requests)", cpu, requests));
        }
        return new Result(partitions, recordsPerBatch, valueBytes, cpu / 1000.0 / requests, wall / 1000.0 / flushes,
                requests / flushes);
    }

    private void oneFlush(int partitions, int recordsPerBatch, byte[] value) {
        for (int r = 0; r < recordsPerBatch; r++) {
            for (int p = 0; p < partitions; p++) {
                ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, p, null, null, value);
                rec.headers().add(new RecordHeader(Record.ID_HEADER, Record.idHeader(records++).value()));
                producer.send(rec, (md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
            }
        }
        producer.flush();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " probe record(s) were not acknowledged");
        }
    }

    private double metric(String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics")) {
                Object v = e.getValue().metricValue();
                return v instanceof Number num ? num.doubleValue() : Double.NaN;
            }
        }
        throw new IllegalStateException("the producer has no metric " + name);
    }

    @Override
    public void close() {
        producer.close();
    }
}
