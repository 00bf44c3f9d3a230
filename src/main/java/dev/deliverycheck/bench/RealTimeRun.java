package dev.deliverycheck.bench;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.local.LocalCluster;
import dev.deliverycheck.local.TrafficListener;
import dev.deliverycheck.producer.ByteArraySerializer;
import dev.deliverycheck.local.KafkaStyleProducer;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.sim.SimulatedDisk;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of a {@link Workload} in real time on a {@link LocalCluster}: the real producer with its
 * I/O thread, the real brokers on the broker thread (in-memory disks), the system clock. The
 * calling thread is the application: it paces {@code send()} calls to the offered rate (sleeping
 * until each is due, catching up after a pause), or sends as fast as {@code send()} returns when
 * the rate is 0; then it flushes.
 *
 * <p>Timing is real, so results vary with the machine's load; the window and warm-up exist so the
 * JIT has compiled the hot paths before measuring. "Blocked" time here is all time spent inside
 * {@code send()}, waiting for memory or not.
 */
public final class RealTimeRun {
    public static final String TOPIC = "bench";

    private RealTimeRun() {
    }

    /**
     * Commits; if the commit fails, records the failure and goes on as an application would:
     * aborts the transaction, or — when the producer cannot even abort (a fatal error) — replaces
     * it with a new instance of the same transactional.id.
     */
    private static KafkaStyleProducer<byte[], byte[]> commit(KafkaStyleProducer<byte[], byte[]> producer, int records,
                                                              Recorder recorder, LocalCluster cluster, Workload w) {
        try {
            producer.commitTransaction();
            recorder.committed(records, System.nanoTime());
            return producer;
        } catch (RuntimeException e) {
            recorder.transactionFailed(e, System.nanoTime());
        }
        try {
            producer.abortTransaction();
            return producer;
        } catch (RuntimeException fatal) {
            producer.close(java.time.Duration.ZERO);
            KafkaStyleProducer<byte[], byte[]> fresh = cluster.newProducer(w.producer(), new ByteArraySerializer(),
                    new ByteArraySerializer(), w.seed());
            fresh.initTransactions();
            return fresh;
        }
    }

    public static Measurement run(Workload w) {
        AtomicReference<Recorder> current = new AtomicReference<>();
        TrafficListener forward = (source, destination, message) -> {
            Recorder r = current.get();
            if (r != null) {
                r.onSend(source, destination, message);
            }
        };
        try (LocalCluster cluster = new LocalCluster(ClusterMetadata.of(w.brokers(), TOPIC, w.partitions()),
                BrokerConfig.DEFAULT, b -> new SimulatedDisk(), EventSink.NONE, forward)) {
            KafkaStyleProducer<byte[], byte[]> producer = cluster.newProducer(w.producer(), new ByteArraySerializer(),
                    new ByteArraySerializer(), w.seed());
            boolean transactional = w.recordsPerTransaction() > 0;
            if (w.producer().transactional()) {
                producer.initTransactions();
            }
            long start = System.nanoTime();
            long from = start + w.warmupNs();
            long stop = from + w.measureNs();
            Recorder recorder = new Recorder(System::nanoTime, from, stop, w.brokers(), transactional);
            current.set(recorder);
            byte[] value = new byte[w.valueBytes()];
            double intervalNs = w.recordsPerSecond() == 0 ? 0 : 1e9 / w.recordsPerSecond();
            long id = 0;
            int inTransaction = 0;
            while (true) {
                long now = System.nanoTime();
                if (now >= stop) {
                    break;
                }
                if (intervalNs > 0) {
                    long due = start + (long) (id * intervalNs);
                    if (due > now) {
                        LockSupport.parkNanos(due - now);
                        continue;
                    }
                }
                if (transactional && inTransaction == 0) {
                    producer.beginTransaction();
                }
                byte[] key = w.keyed() ? ByteBuffer.allocate(Long.BYTES).putLong(id * 0x9E3779B97F4A7C15L).array() : null;
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC, null, key, value,
                        List.of(Record.idHeader(id)));
                long sendNs = System.nanoTime();
                producer.send(record, (metadata, error) -> recorder.completed(sendNs, System.nanoTime(), error));
                long returned = System.nanoTime();
                recorder.sent(sendNs);
                recorder.blocked(sendNs, returned);
                id++;
                if (transactional && ++inTransaction == w.recordsPerTransaction()) {
                    producer = commit(producer, inTransaction, recorder, cluster, w);
                    inTransaction = 0;
                }
            }
            if (transactional && inTransaction > 0) {
                producer = commit(producer, inTransaction, recorder, cluster, w);
            }
            producer.flush();
            current.set(null);
            if (cluster.brokerThreadFailure() != null) {
                throw new IllegalStateException("the broker thread failed", cluster.brokerThreadFailure());
            }
            return recorder.result();
        }
    }
}
