package dev.deliverycheck.wire.bench;

import dev.deliverycheck.protocol.Record;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real Kafka 4.4 {@code KafkaProducer} sending keyless records at a constant rate, with the client's
 * built-in partitioner (KIP-794 uniform sticky, adaptive) or its {@code RoundRobinPartitioner}: the
 * real-broker half of {@code bench partitioners}. KIP-480's setup: {@code acks=all}, {@code linger.ms=0}
 * (set explicitly: Kafka 4 defaults to 5), idempotent, everything else default.
 *
 * <p>The application thread sends every record whose due time has passed, then parks until the next one is
 * due (so records leave in small bursts of the timer's granularity, ~50-100 µs on Linux, rather than burning a
 * core on a 2-core machine). Latency runs from the {@code send()} call to the callback, for records sent in the
 * measurement window; throughput counts acknowledgements arriving in the window.
 *
 * <p>The schedule (when a record is due, which records fall in the window) runs on a {@link Pacer}: the system's
 * monotonic clock, or a test's virtual one, so the pacing arithmetic is checked without a speed assumption.
 * Latency is always wall-clock time ({@code System.nanoTime()}).
 *
 * <p>Invariants: the histogram is written only by the producer's I/O thread (where callbacks run) and read only
 * after {@code close()} has joined it; the n-th record is never sent before its due time {@code n / rate} after
 * the start, and a thread that fell behind sends the overdue records back to back (it never skips one due before
 * the window's end).
 */
public final class PacedKafkaProducerRun {
    /** Partitioners the real client offers here. */
    public enum Partitioner {
        /** Kafka 4.4's built-in partitioner for keyless records (no partitioner.class): uniform sticky. */
        BUILT_IN("built-in"),
        /** org.apache.kafka.clients.producer.RoundRobinPartitioner. */
        ROUND_ROBIN("round-robin");

        private final String label;

        Partitioner(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One run's figures, from its measurement window.
     *
     * @param recordsPerSecond  acknowledgements arriving in the window, per second
     * @param sent              records sent in the window
     * @param acked             of those, acknowledged before the run ended
     * @param failed            of those, failed
     * @param p50Ms             send-to-ack latency percentiles and mean of the acknowledged ones
     * @param requestsPerSecond requests the client sent in the window (its {@code request-total} metric)
     * @param recordsPerRequest records the client sent in the window per request ({@code record-send-total})
     */
    public record Result(double recordsPerSecond, long sent, long acked, long failed, double p50Ms, double p99Ms,
                         double meanMs, double requestsPerSecond, double recordsPerRequest) {
    }

    /** Where the schedule reads the time and waits for the next record's due time. */
    interface Pacer {
        /** The system's monotonic clock, parking the thread. */
        Pacer SYSTEM = new Pacer() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void parkNanos(long nanos) {
                LockSupport.parkNanos(nanos);
            }
        };

        long nanoTime();

        /** Waits about {@code nanos} (the clock may have moved less or more when it returns). */
        void parkNanos(long nanos);
    }

    private PacedKafkaProducerRun() {
    }

    /** This class's producer settings: idempotent, acks=all, linger.ms=0, byte-array records. */
    static Properties settings(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return p;
    }

    public static Result run(String bootstrap, String topic, Partitioner partitioner, double recordsPerSecond, int valueBytes,
                             double warmupSeconds, double measureSeconds, double drainSeconds) {
        return run(bootstrap, topic, partitioner, recordsPerSecond, valueBytes, warmupSeconds, measureSeconds, drainSeconds,
                Pacer.SYSTEM);
    }

    /** {@link #run} with the schedule on {@code pacer}. */
    static Result run(String bootstrap, String topic, Partitioner partitioner, double recordsPerSecond, int valueBytes,
                      double warmupSeconds, double measureSeconds, double drainSeconds, Pacer pacer) {
        Properties p = settings(bootstrap);
        if (partitioner == Partitioner.ROUND_ROBIN) {
            p.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, RoundRobinPartitioner.class.getName());
        }
        Histogram latencyUs = new Histogram(3);
        AtomicLong acked = new AtomicLong();
        AtomicLong ackedInWindow = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        byte[] value = new byte[valueBytes];
        long sent = 0;
        double requests;
        double recordsSent;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            // Metadata first, so the first records do not wait for it inside the window's warm-up.
            producer.partitionsFor(topic);
            long start = pacer.nanoTime();
            long from = start + (long) (warmupSeconds * 1e9);
            long to = from + (long) (measureSeconds * 1e9);
            long end = to + (long) (drainSeconds * 1e9);
            double intervalNs = 1e9 / recordsPerSecond;
            long n = 0;
            double requestsAtFrom = Double.NaN;
            double recordsAtFrom = Double.NaN;
            requests = Double.NaN;
            recordsSent = Double.NaN;
            while (true) {
                long now = pacer.nanoTime();
                if (now >= to) {
                    break;
                }
                if (Double.isNaN(requestsAtFrom) && now >= from) {
                    requestsAtFrom = metric(producer, "request-total");
                    recordsAtFrom = metric(producer, "record-send-total");
                }
                long due = start + (long) (n * intervalNs);
                if (due > now) {
                    pacer.parkNanos(due - now);
                    continue;
                }
                boolean inWindow = now >= from;
                long sentAt = System.nanoTime();
                if (inWindow) {
                    sent++;
                }
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, null, value);
                r.headers().add(new RecordHeader(Record.ID_HEADER, Record.idHeader(n).value()));
                n++;
                producer.send(r, (md, e) -> {
                    long ackAt = System.nanoTime();
                    long ackedAt = pacer.nanoTime();
                    if (e != null) {
                        if (inWindow) {
                            failed.incrementAndGet();
                        }
                        return;
                    }
                    if (inWindow) {
                        acked.incrementAndGet();
                        latencyUs.recordValue(Math.max(0, (ackAt - sentAt) / 1000));
                    }
                    if (ackedAt >= from && ackedAt < to) {
                        ackedInWindow.incrementAndGet();
                    }
                });
            }
            requests = metric(producer, "request-total") - requestsAtFrom;
            recordsSent = metric(producer, "record-send-total") - recordsAtFrom;
            // Drain: wait for the window's records (bounded by the drain time), then close.
            long deadline = end;
            while (acked.get() + failed.get() < sent && pacer.nanoTime() < deadline) {
                pacer.parkNanos(1_000_000);
            }
        }
        double p50 = latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getValueAtPercentile(50) / 1000.0;
        double p99 = latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getValueAtPercentile(99) / 1000.0;
        double mean = latencyUs.getTotalCount() == 0 ? 0 : latencyUs.getMean() / 1000.0;
        return new Result(ackedInWindow.get() / measureSeconds, sent, acked.get(), failed.get(), p50, p99, mean,
                requests / measureSeconds, requests > 0 ? recordsSent / requests : 0);
    }

    /**
     * The median round trip of {@code n} single 100-byte records sent one at a time ({@code send().get()}) to
     * partition 0 by the real client with this class's settings, after {@code warmup} unreported ones, in µs:
     * the same request a bare Produce of one record is, plus everything the client does around it.
     */
    public static double serialRoundTripUs(String bootstrap, String topic, int warmup, int n) {
        Properties p = settings(bootstrap);
        double[] rtt = new double[n];
        byte[] value = new byte[100];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = -warmup; i < n; i++) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, 0, null, null, value);
                r.headers().add(new RecordHeader(Record.ID_HEADER, Record.idHeader(i + warmup).value()));
                long t0 = System.nanoTime();
                try {
                    producer.send(r).get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while timing the client", e);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("the client's record was not acknowledged: " + e.getMessage(), e);
                }
                if (i >= 0) {
                    rtt[i] = (System.nanoTime() - t0) / 1000.0;
                }
            }
        }
        java.util.Arrays.sort(rtt);
        return n % 2 == 1 ? rtt[n / 2] : (rtt[n / 2 - 1] + rtt[n / 2]) / 2;
    }

    private static double metric(KafkaProducer<?, ?> producer, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
            if (e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics")) {
                Object v = e.getValue().metricValue();
                return v instanceof Number num ? num.doubleValue() : Double.NaN;
            }
        }
        throw new IllegalStateException(String.format(Locale.ROOT, "the producer has no metric %s", name));
    }
}
