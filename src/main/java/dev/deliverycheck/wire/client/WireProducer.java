package dev.deliverycheck.wire.client;

import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.local.KafkaStyleProducer;
import dev.deliverycheck.producer.Callback;
import dev.deliverycheck.producer.Producer;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.producer.RecordMetadata;
import dev.deliverycheck.producer.Serializer;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * deliverycheck's producer on the Kafka wire: the unchanged {@code ProducerNode} behind {@link KafkaStyleProducer}
 * (its I/O thread, the system clock), with a {@link KafkaWireTransport} instead of the in-process one, so the same
 * producer logic talks to deliverycheck's wire broker or to an Apache Kafka broker over TCP.
 *
 * <p>Invariants: answers and dropped connections reach the producer in the order the transport saw them, also
 * those that arrive while the producer is still being constructed (its I/O thread may send InitProducerId at
 * once); {@link #close(Duration)} closes the producer first (it sends what it has, within the timeout) and then
 * every connection.
 */
public final class WireProducer<K, V> implements Producer<K, V> {
    private final KafkaStyleProducer<K, V> producer;
    private final KafkaWireTransport transport;

    private WireProducer(KafkaStyleProducer<K, V> producer, KafkaWireTransport transport) {
        this.producer = producer;
        this.transport = transport;
    }

    /**
     * Bootstraps from {@code bootstrap} (bounded by {@code bootstrapTimeout}) and starts the producer.
     *
     * @param metadata the topics the producer writes; they must exist on the broker with these partition counts. Its
     *                 transaction version is replaced by the one the broker finalized ({@code transaction.version}
     *                 in ApiVersions): 2 makes the producer send no AddPartitionsToTxn and take the epoch (and
     *                 producer id) each EndTxn answer returns, exactly as the in-process producer does.
     * @throws KafkaClientException when the broker cannot be used (one line)
     */
    public static <K, V> WireProducer<K, V> connect(String bootstrap, int nodeId, ProducerConfig config,
                                                    Serializer<K> keySerializer, Serializer<V> valueSerializer,
                                                    ClusterMetadata metadata, long seed, EventSink events,
                                                    Duration bootstrapTimeout) {
        Inbox inbox = new Inbox();
        KafkaWireTransport transport = KafkaWireTransport.connect(bootstrap, metadata, config.transactionalId(),
                "deliverycheck-" + nodeId, bootstrapTimeout, inbox);
        try {
            // The transaction flow is the broker's choice, as Kafka's client reads it from ApiVersions
            ClusterMetadata advertised = metadata.withTransactionVersion(transport.transactionVersion());
            KafkaStyleProducer<K, V> p = new KafkaStyleProducer<>(nodeId, config, keySerializer, valueSerializer,
                    advertised, transport, new SeededRandom(seed), events);
            inbox.attach(p);
            return new WireProducer<>(p, transport);
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /** Holds what arrives before the producer exists, then hands everything on in arrival order. */
    private static final class Inbox implements KafkaWireTransport.Receiver {
        private KafkaStyleProducer<?, ?> producer;
        private final List<Object[]> held = new ArrayList<>();

        synchronized void attach(KafkaStyleProducer<?, ?> p) {
            for (Object[] m : held) {
                if (m[1] == null) {
                    p.disconnected((Integer) m[0]);
                } else {
                    p.deliver((Integer) m[0], (Message) m[1]);
                }
            }
            held.clear();
            producer = p;
        }

        @Override
        public synchronized void receive(int source, Message message) {
            if (producer == null) {
                held.add(new Object[] {source, message});
            } else {
                producer.deliver(source, message);
            }
        }

        @Override
        public synchronized void disconnected(int peer) {
            if (producer == null) {
                held.add(new Object[] {peer, null});
            } else {
                producer.disconnected(peer);
            }
        }
    }

    public int nodeId() {
        return producer.nodeId();
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return producer.send(record);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        return producer.send(record, callback);
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close(Duration timeout) {
        try {
            producer.close(timeout);
        } finally {
            transport.close();
        }
    }

    @Override
    public void initTransactions() {
        producer.initTransactions();
    }

    @Override
    public void beginTransaction() {
        producer.beginTransaction();
    }

    @Override
    public void commitTransaction() {
        producer.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        producer.abortTransaction();
    }
}
