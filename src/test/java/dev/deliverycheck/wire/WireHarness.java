package dev.deliverycheck.wire;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.broker.storage.FileStorage;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.ProducerBeginTxn;
import dev.deliverycheck.event.ProducerEndTxn;
import dev.deliverycheck.event.ProducerEndTxnResult;
import dev.deliverycheck.event.ProducerSend;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.event.ProducerSendFailed;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A wire broker on a temporary directory and a real Kafka client's view of it as a History: sends,
 * acknowledgements, transactions and whole-partition reads by a real KafkaConsumer become the
 * project's events, so the project's checkers judge what the real client and the broker did.
 */
final class WireHarness implements AutoCloseable {
    final WireBroker broker;
    final WireServer server;

    private WireHarness(WireBroker broker, WireServer server) {
        this.broker = broker;
        this.server = server;
    }

    static WireHarness start(Path dir, int partitions, int transactionVersion, BrokerConfig config, EventSink events)
            throws IOException {
        return start(new FileStorage(dir), partitions, transactionVersion, config, events);
    }

    static WireHarness start(Storage storage, int partitions, int transactionVersion, BrokerConfig config,
                             EventSink events) throws IOException {
        return start(storage, partitions, transactionVersion, config, events, 0);
    }

    /** A broker on {@code dir} served on {@code port}: a restart on the data and port of one closed before. */
    static WireHarness start(Path dir, int partitions, int transactionVersion, BrokerConfig config, EventSink events,
                             int port) throws IOException {
        return start(new FileStorage(dir), partitions, transactionVersion, config, events, port);
    }

    private static WireHarness start(Storage storage, int partitions, int transactionVersion, BrokerConfig config,
                                     EventSink events, int port) throws IOException {
        WireBroker b = new WireBroker(storage, config, partitions, transactionVersion, events);
        try {
            return new WireHarness(b, new WireServer(b, port));
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    String bootstrap() {
        return "127.0.0.1:" + server.port();
    }

    /** Client settings with short timeouts, so a broken broker fails a test quickly instead of hanging it. */
    Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "20");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, "20");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        return p;
    }

    KafkaConsumer<byte[], byte[]> consumer(IsolationLevel isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation == IsolationLevel.READ_COMMITTED
                ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        return new KafkaConsumer<>(p);
    }

    static ProducerRecord<byte[], byte[]> record(TopicPartition tp, long id) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(tp.topic(), tp.partition(),
                ("k" + id).getBytes(), ("value-" + id).getBytes());
        r.headers().add(new RecordHeader(Record.ID_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(id).array()));
        return r;
    }

    static long idOf(ConsumerRecord<byte[], byte[]> r) {
        org.apache.kafka.common.header.Header h = r.headers().lastHeader(Record.ID_HEADER);
        return h == null ? Record.NO_ID : ByteBuffer.wrap(h.value()).getLong();
    }

    /** A real producer whose sends, acknowledgements and transactions are recorded as events. */
    static final class RecordingProducer implements AutoCloseable {
        final KafkaProducer<byte[], byte[]> producer;
        private final EventSink events;
        private final int instance;
        private final String transactionalId;
        private int transactionIndex = -1;

        RecordingProducer(Properties props, EventSink events, int instance) {
            this.producer = new KafkaProducer<>(props);
            this.events = events;
            this.instance = instance;
            this.transactionalId = props.getProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        }

        Future<RecordMetadata> send(TopicPartition tp, long id) {
            events.emit(new ProducerSend(instance, id, tp, transactionalId == null ? -1 : transactionIndex));
            return producer.send(record(tp, id), (md, e) -> {
                if (e == null) {
                    events.emit(new ProducerSendAcked(instance, id, tp, md.offset()));
                } else {
                    events.emit(new ProducerSendFailed(instance, id, tp, e.toString()));
                }
            });
        }

        void begin() {
            producer.beginTransaction();
            events.emit(new ProducerBeginTxn(instance, ++transactionIndex));
        }

        void end(boolean commit) {
            events.emit(new ProducerEndTxn(instance, transactionalId, -1, (short) -1, transactionIndex, commit));
            String error = null;
            try {
                if (commit) {
                    producer.commitTransaction();
                } else {
                    producer.abortTransaction();
                }
            } catch (RuntimeException e) {
                error = e.toString();
                throw e;
            } finally {
                events.emit(new ProducerEndTxnResult(instance, transactionIndex, commit, error, -1, (short) -1));
            }
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Longest {@link #awaitIdle} waits for the broker to finish its own work. */
    private static final Duration IDLE_WAIT = Duration.ofSeconds(20);

    /**
     * Waits (bounded) until the broker has no work of its own left ({@code Broker.idle()}: nothing unflushed, no
     * answer held, no decided transaction whose markers are still being written), woken by each round of its
     * thread, never by a timer. The coordinator answers EndTxn before the markers are written, as Kafka's does, and
     * Fetch and ListOffsets read the partitions directly, so a reader that starts right after commitTransaction()
     * returns could otherwise see the transaction still open.
     */
    void awaitIdle() {
        long deadline = System.nanoTime() + IDLE_WAIT.toNanos();
        try {
            while (true) {
                long seen = broker.changeCount();
                if (broker.broker().idle()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || broker.failure() != null) {
                    throw new AssertionError("the broker still has work left after " + IDLE_WAIT.toSeconds()
                            + " s (markers unwritten or a flush pending)", broker.failure());
                }
                broker.awaitChange(seen, Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the broker to settle", e);
        }
    }

    /**
     * One partition read from offset 0 to its end offset by a real consumer (assign, no group), once the broker
     * settled ({@link #awaitIdle}).
     */
    List<ConsumerRecord<byte[], byte[]>> readAll(TopicPartition tp, IsolationLevel isolation) {
        awaitIdle();
        org.apache.kafka.common.TopicPartition ktp = new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(isolation)) {
            c.assign(List.of(ktp));
            c.seekToBeginning(List.of(ktp));
            long end = c.endOffsets(List.of(ktp)).get(ktp);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (c.position(ktp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("consumer stuck at " + c.position(ktp) + " below end offset " + end + " of " + tp);
                }
                c.poll(Duration.ofMillis(100)).records(ktp).forEach(out::add);
            }
        }
        return out;
    }

    /** Reads a partition with a real consumer and records it as a ConsumerFetch; returns the record ids. */
    List<Long> fetchInto(EventSink events, TopicPartition tp, IsolationLevel isolation) {
        List<Long> offsets = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(tp, isolation)) {
            offsets.add(r.offset());
            ids.add(idOf(r));
        }
        events.emit(new ConsumerFetch(tp, isolation, offsets, ids));
        return ids;
    }


    @Override
    public void close() {
        try {
            server.close();
        } finally {
            broker.close();
        }
    }
}
