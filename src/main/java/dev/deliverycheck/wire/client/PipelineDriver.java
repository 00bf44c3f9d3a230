package dev.deliverycheck.wire.client;

import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.producer.ByteArraySerializer;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Record;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One timed run of a producer against a broker over TCP, for the side-by-side pipeline benchmark: deliverycheck's
 * producer on the wire ({@link WireProducer}) or the real {@code KafkaProducer} 4.4.0, with the same records
 * (100-byte values, no key, the 8-byte record-id header) and the same settings (Kafka's names: idempotent,
 * {@code acks=all}, the given {@code linger.ms} and {@code batch.size}, everything else at its default), the
 * application sending as fast as {@code send()} returns. Counts the acknowledgements that complete in the
 * measurement window after a warm-up, and each one's latency from {@code send()} to its callback.
 *
 * <p>Invariant: the producer is closed when {@link #run} returns or throws; the run never lasts longer than warm-up +
 * window + the producer's own {@code delivery.timeout.ms} for the final flush.
 */
public final class PipelineDriver {
    /** The producer under test. */
    public enum Client { OURS, REAL }

    /** What one run measured: acknowledged records/s in the window, latency percentiles in milliseconds. */
    public record Result(double recordsPerSecond, long acked, long failed, double p50Ms, double p99Ms) {
    }

    private PipelineDriver() {
    }

    /** Runs {@code client} against the broker at {@code bootstrap}, topic {@code topic} with {@code partitions}. */
    public static Result run(Client client, String bootstrap, String topic, int partitions, int valueBytes,
                             long lingerMs, int batchSize, double warmupSeconds, double measureSeconds) {
        Window window = new Window(warmupSeconds, measureSeconds);
        byte[] value = new byte[valueBytes];
        if (client == Client.REAL) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class);
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class);
            p.putAll(settings(lingerMs, batchSize));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                window.start();
                long id = 0;
                while (window.open()) {
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, null, value);
                    r.headers().add(new RecordHeader(Record.ID_HEADER, Record.idHeader(id++).value()));
                    long sent = System.nanoTime();
                    producer.send(r, (md, e) -> window.completed(sent, e == null));
                }
                producer.flush();
            }
        } else {
            WireProducer<byte[], byte[]> producer = WireProducer.connect(bootstrap, 100,
                    new dev.deliverycheck.producer.ProducerConfig(settings(lingerMs, batchSize)), new ByteArraySerializer(),
                    new ByteArraySerializer(), ClusterMetadata.of(1, topic, partitions), 1L, EventSink.NONE,
                    Duration.ofSeconds(30));
            try {
                window.start();
                long id = 0;
                while (window.open()) {
                    long sent = System.nanoTime();
                    producer.send(new dev.deliverycheck.producer.ProducerRecord<>(topic, null, null, value,
                            List.of(Record.idHeader(id++))), (md, e) -> window.completed(sent, e == null));
                }
                producer.flush();
            } finally {
                producer.close(Duration.ofSeconds(10));
            }
        }
        return window.result();
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions (replication factor 1) and waits, at most 30 s, until
     * every partition's leader answers for it; IllegalStateException when the broker does not.
     */
    public static void createTopic(String bootstrap, String topic, int partitions) {
        Map<String, Object> conf = Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(conf)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1))).all()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new org.apache.kafka.common.TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            admin.listOffsets(latest).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrap + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }

    /** The settings both clients get, by Kafka's names. */
    static Map<String, Object> settings(long lingerMs, int batchSize) {
        return Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, Long.toString(lingerMs),
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchSize));
    }

    /** The measurement window and what completed in it; callbacks come from one producer I/O thread at a time. */
    private static final class Window {
        private final long warmupNs;
        private final long measureNs;
        private long from;
        private long stop;
        private final AtomicLong failed = new AtomicLong();
        private long[] latencies = new long[1 << 16];
        private int count;

        Window(double warmupSeconds, double measureSeconds) {
            this.warmupNs = (long) (warmupSeconds * 1e9);
            this.measureNs = (long) (measureSeconds * 1e9);
        }

        void start() {
            from = System.nanoTime() + warmupNs;
            stop = from + measureNs;
        }

        boolean open() {
            return System.nanoTime() < stop;
        }

        synchronized void completed(long sentNs, boolean ok) {
            long now = System.nanoTime();
            if (now < from || now >= stop) {
                return;
            }
            if (!ok) {
                failed.incrementAndGet();
                return;
            }
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = now - sentNs;
        }

        synchronized Result result() {
            long[] sorted = Arrays.copyOf(latencies, count);
            Arrays.sort(sorted);
            return new Result(count / (measureNs / 1e9), count, failed.get(), percentile(sorted, 0.50),
                    percentile(sorted, 0.99));
        }

        private static double percentile(long[] sorted, double q) {
            if (sorted.length == 0) {
                return 0;
            }
            int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
            return Math.round(sorted[Math.max(0, i)] / 1e4) / 100.0;
        }
    }
}
