package dev.deliverycheck.wire.client;

import dev.deliverycheck.env.Transport;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.Request;
import dev.deliverycheck.protocol.Response;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The producer's {@link Transport} over TCP to Kafka brokers (deliverycheck's wire broker or Apache Kafka): each
 * {@code protocol} request goes out as the Kafka request of {@link ClientCodec}, each answer comes back decoded to
 * the {@link Receiver}, from the broker id the producer sent to, at the versions of the transaction flow the
 * bootstrap broker finalized ({@link #transactionVersion()}). {@link KafkaBootstrap} maps the producer's static
 * broker ids to the brokers' addresses and finds the transaction coordinator, to which transactional requests
 * (InitProducerId with a transactional.id, AddPartitionsToTxn, EndTxn) go.
 *
 * <p>Invariants: {@link #send} never blocks (connecting and writing happen on the connection's thread); one open
 * connection per (broker id, address) at a time, requests on it in send order; a connection that fails is
 * reported once through {@link Receiver#disconnected} and replaced by a new one on the next send to that broker
 * after the report (a request sent between the failure and its report is dropped, and the report fails it, rather
 * than going out on a new connection and being failed, and resent, by the report of one it did not travel on;
 * a request the producer resends in the instant after the report reached it and before it was marked reported
 * is dropped too, and waits for request.timeout.ms);
 * {@link #disconnect} (the producer's own request timeout) closes the connections to the peer without reporting
 * it back; after {@link #close} nothing is sent and nothing is handed on, and every connection is closed.
 */
public final class KafkaWireTransport implements Transport, AutoCloseable {
    /** Where the answers and dropped connections go; called on connection threads, must not block for long. */
    public interface Receiver {
        void receive(int source, Message message);

        void disconnected(int peer);
    }

    private final KafkaBootstrap.Cluster cluster;
    private final String clientId;
    private final int connectTimeoutMs;
    private final Receiver receiver;
    private final Map<String, BrokerConnection> connections = new HashMap<>();
    private boolean closed;

    private KafkaWireTransport(KafkaBootstrap.Cluster cluster, String clientId, int connectTimeoutMs, Receiver receiver) {
        this.cluster = cluster;
        this.clientId = clientId;
        this.connectTimeoutMs = connectTimeoutMs;
        this.receiver = receiver;
    }

    /**
     * Bootstraps from {@code bootstrap} ("HOST:PORT") within {@code timeout}: checks that the broker serves the
     * versions the client speaks, that every topic of {@code metadata} exists with its partition count and leaders
     * where the producer's metadata puts them, and finds the coordinator of {@code transactionalId} (may be null).
     * The {@code transactionVersion} of {@code metadata} is not read: the broker's finalized feature decides it.
     *
     * @throws KafkaClientException with one line naming the problem, when any of that fails
     */
    public static KafkaWireTransport connect(String bootstrap, ClusterMetadata metadata, String transactionalId,
                                             String clientId, Duration timeout, Receiver receiver) {
        KafkaBootstrap.Cluster cluster = KafkaBootstrap.discover(bootstrap, metadata, transactionalId, clientId, timeout);
        return new KafkaWireTransport(cluster, clientId, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()), receiver);
    }

    /**
     * The {@code transaction.version} the bootstrap broker finalized and the client speaks (1 or 2): the producer's
     * metadata must carry it, so that its TransactionManager follows the same flow.
     */
    public int transactionVersion() {
        return cluster.versions().transactionVersion();
    }

    /** The address requests to broker {@code destination} of this kind go to. */
    InetSocketAddress addressFor(int destination, Message message) {
        boolean coordinated = message instanceof AddPartitionsToTxnRequest || message instanceof EndTxnRequest
                || message instanceof InitProducerIdRequest r && r.transactionalId() != null;
        if (coordinated && cluster.coordinator() != null) {
            return cluster.coordinator();
        }
        InetSocketAddress a = cluster.brokers().get(destination);
        return a != null ? a : cluster.bootstrap();
    }

    @Override
    public void send(int destination, Message message) {
        if (!(message instanceof Request request)) {
            throw new IllegalArgumentException("a producer sends requests, not " + message.getClass().getSimpleName());
        }
        InetSocketAddress address = addressFor(destination, message);
        String key = destination + "@" + address;
        synchronized (this) {
            if (closed) {
                return;
            }
            BrokerConnection c = connections.get(key);
            if (c != null && !c.isOpen() && !c.lossReported()) {
                // it just failed and its loss is on its way to the producer, which fails this request with the rest
                return;
            }
            if (c == null || !c.isOpen()) {
                c = open(destination, address);
                connections.put(key, c);
            }
            if (!c.send(request)) {
                // it failed since the check: the same
                return;
            }
        }
    }

    private BrokerConnection open(int destination, InetSocketAddress address) {
        return new BrokerConnection(address, clientId, cluster.versions(), connectTimeoutMs, new BrokerConnection.Listener() {
            @Override
            public void answer(Response response) {
                if (isOpen()) {
                    receiver.receive(destination, response);
                }
            }

            @Override
            public void lost(String why) {
                if (isOpen()) {
                    receiver.disconnected(destination);
                }
            }
        });
    }

    private synchronized boolean isOpen() {
        return !closed;
    }

    /** The producer gave up on its requests to {@code peer}: closes those connections, without reporting it back. */
    @Override
    public void disconnect(int peer) {
        List<BrokerConnection> toClose = new ArrayList<>();
        synchronized (this) {
            connections.entrySet().removeIf(e -> {
                if (e.getKey().startsWith(peer + "@")) {
                    toClose.add(e.getValue());
                    return true;
                }
                return false;
            });
        }
        toClose.forEach(BrokerConnection::close);
    }

    @Override
    public void close() {
        List<BrokerConnection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(connections.values());
            connections.clear();
        }
        toClose.forEach(BrokerConnection::close);
    }
}
