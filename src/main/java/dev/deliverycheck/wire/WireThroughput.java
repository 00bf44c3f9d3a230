package dev.deliverycheck.wire;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.protocol.Record;
import java.io.IOException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real Kafka Java client against the wire broker on loopback, as fast as {@code send()}
 * returns: 100-byte values (plus the 8-byte record-id header the project's own client sends),
 * no key, the client's defaults otherwise (Kafka 4: idempotent, {@code acks=all},
 * {@code linger.ms=5}, {@code batch.size=16384}). Counts the acknowledgements that complete in the
 * measurement window after a warm-up.
 */
public final class WireThroughput {
    public static final String TOPIC = "bench";

    private WireThroughput() {
    }

    /** What one run measured. */
    public record Result(double recordsPerSecond, long acked, long failed) {
    }

    public static Result run(Storage storage, int partitions, double warmupSeconds, double measureSeconds)
            throws IOException {
        try (WireBroker broker = new WireBroker(storage, BrokerConfig.DEFAULT, partitions, 2, EventSink.NONE);
             WireServer server = new WireServer(broker, 0)) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + server.port());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            AtomicLong acked = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            byte[] value = new byte[100];
            long start = System.nanoTime();
            long from = start + (long) (warmupSeconds * 1e9);
            long stop = from + (long) (measureSeconds * 1e9);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                long id = 0;
                while (System.nanoTime() < stop) {
                    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(TOPIC, null, null, value);
                    r.headers().add(new RecordHeader(Record.ID_HEADER, Record.idHeader(id++).value()));
                    producer.send(r, (md, e) -> {
                        long now = System.nanoTime();
                        if (now >= from && now < stop) {
                            (e == null ? acked : failed).incrementAndGet();
                        }
                    });
                }
                producer.flush();
            }
            return new Result(acked.get() / measureSeconds, acked.get(), failed.get());
        }
    }
}
