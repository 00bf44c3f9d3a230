package dev.deliverycheck.local;

import dev.deliverycheck.broker.Broker;
import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.env.SystemClock;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.Serializer;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.FetchRequest;
import dev.deliverycheck.protocol.FetchResponse;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.sim.SimulatedDisk;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * A real-time cluster inside one JVM: the real {@link Broker}s on the system clock, owned by a
 * single broker thread, and {@link KafkaStyleProducer} clients (each with its own I/O thread),
 * connected by an in-process transport of queues.
 *
 * <p>Invariants: only the broker thread calls a broker's {@code receive} and {@code poll}, so each
 * broker state machine stays single-threaded (readers use the brokers' synchronized views); every
 * message sent to a broker enters one FIFO inbox, so the requests of a connection are handled one
 * at a time in the order they were sent, and the broker thread hands every message of the inbox
 * to its broker before it polls (group commit: one flush per partition for all appends of a
 * round); a message to a producer is handed to that producer's {@code deliver} in send order;
 * a message to a node that does not exist is dropped, as a refused connection would be.
 */
public final class LocalCluster implements AutoCloseable {
    public static final int FIRST_PRODUCER_ID = 100;
    /** How long the broker thread sleeps when no broker has a timer due. */
    private static final long IDLE_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ClusterMetadata metadata;
    private final Broker[] brokers;
    private final EventSink events;
    private final TrafficListener listener;
    private final Map<Integer, ProducerSlot> producers = new ConcurrentHashMap<>();
    private final List<KafkaStyleProducer<?, ?>> created = new ArrayList<>();
    private final AtomicInteger nextProducerId = new AtomicInteger(FIRST_PRODUCER_ID);
    private final ReentrantLock inboxLock = new ReentrantLock();
    private final Condition arrived = inboxLock.newCondition();
    private final ArrayDeque<Envelope> inbox = new ArrayDeque<>();
    private final Thread brokerThread;
    private boolean brokerThreadWaiting;
    private volatile boolean running = true;
    private volatile Throwable brokerThreadFailure;

    private record Envelope(int source, int destination, Message message) {
    }

    /**
     * Starts the brokers of {@code metadata} (broker {@code b} on {@code storage.apply(b)}) and the
     * broker thread.
     *
     * @param events   receives broker and producer events from several threads: must be thread-safe
     * @param listener sees every message sent
     */
    public LocalCluster(ClusterMetadata metadata, BrokerConfig brokerConfig, IntFunction<Storage> storage,
                        EventSink events, TrafficListener listener) {
        // what the brokers serve is what they advertise to producers
        metadata = metadata.withTransactionVersion(brokerConfig.transactionVersion());
        this.metadata = metadata;
        this.events = events;
        this.listener = listener;
        int n = metadata.brokerIds().size();
        for (int b = 0; b < n; b++) {
            if (metadata.brokerIds().get(b) != b) {
                throw new IllegalArgumentException("broker ids must be 0.." + (n - 1) + ", got " + metadata.brokerIds());
            }
        }
        this.brokers = new Broker[n];
        for (int b = 0; b < n; b++) {
            final int id = b;
            brokers[b] = new Broker(b, metadata, brokerConfig, storage.apply(b), SystemClock.INSTANCE,
                    (destination, message) -> route(id, destination, message), events);
        }
        this.brokerThread = new Thread(this::runBrokers, "deliverycheck-local-brokers");
        this.brokerThread.setDaemon(true);
        this.brokerThread.start();
    }

    /** {@code brokers} brokers on in-memory disks, one topic, default broker settings, no events. */
    public static LocalCluster inMemory(int brokers, String topic, int partitions) {
        return inMemory(brokers, topic, partitions, TrafficListener.NONE);
    }

    public static LocalCluster inMemory(int brokers, String topic, int partitions, TrafficListener listener) {
        return new LocalCluster(ClusterMetadata.of(brokers, topic, partitions), BrokerConfig.DEFAULT,
                b -> new SimulatedDisk(), EventSink.NONE, listener);
    }

    public ClusterMetadata metadata() {
        return metadata;
    }

    /**
     * A new producer client with the next id (100, 101, ...), connected to this cluster. The
     * cluster closes it on {@link #close} if the caller has not.
     */
    public <K, V> KafkaStyleProducer<K, V> newProducer(ProducerConfig config, Serializer<K> keySerializer,
                                                       Serializer<V> valueSerializer, long seed) {
        requireRunning();
        int id = nextProducerId.getAndIncrement();
        ProducerSlot slot = new ProducerSlot();
        producers.put(id, slot);
        KafkaStyleProducer<K, V> producer = new KafkaStyleProducer<>(id, config, keySerializer, valueSerializer,
                metadata, (destination, message) -> route(id, destination, message), new SeededRandom(seed), events);
        slot.attach(producer);
        synchronized (created) {
            created.add(producer);
        }
        return producer;
    }

    /** Read-only access (fetch, offsets, producer state) to a broker; its methods are synchronized. */
    public Broker broker(int id) {
        return brokers[id];
    }

    /** Every data record of a partition up to its high watermark (READ_UNCOMMITTED), from offset 0. */
    public List<FetchResponse.FetchedRecord> read(TopicPartition tp) {
        FetchResponse r = brokers[metadata.leaderFor(tp)].fetch(
                new FetchRequest(0, tp, 0, Integer.MAX_VALUE, IsolationLevel.READ_UNCOMMITTED));
        return r.records();
    }

    /** Why the broker thread stopped, if it failed; null while it runs or after a clean close. */
    public Throwable brokerThreadFailure() {
        return brokerThreadFailure;
    }

    // ---- transport -------------------------------------------------------------------------------

    private void route(int source, int destination, Message message) {
        listener.onSend(source, destination, message);
        if (destination >= 0 && destination < brokers.length) {
            inboxLock.lock();
            try {
                inbox.addLast(new Envelope(source, destination, message));
                if (brokerThreadWaiting) {
                    arrived.signal();
                }
            } finally {
                inboxLock.unlock();
            }
            return;
        }
        ProducerSlot slot = producers.get(destination);
        if (slot != null) {
            slot.deliver(source, message);
        }
    }

    // ---- the broker thread -----------------------------------------------------------------------

    private void runBrokers() {
        List<Envelope> round = new ArrayList<>();
        try {
            while (running) {
                long waitNs = untilNextBrokerTimerNs();
                inboxLock.lock();
                try {
                    if (inbox.isEmpty() && waitNs > 0 && running) {
                        brokerThreadWaiting = true;
                        arrived.awaitNanos(waitNs);
                        brokerThreadWaiting = false;
                    }
                    round.addAll(inbox);
                    inbox.clear();
                } finally {
                    inboxLock.unlock();
                }
                for (Envelope e : round) {
                    brokers[e.destination()].receive(e.source(), e.message());
                }
                round.clear();
                long now = SystemClock.INSTANCE.milliseconds();
                for (Broker b : brokers) {
                    if (b.nextWakeupMs() <= now) {
                        b.poll();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            brokerThreadFailure = e;
            running = false;
        }
    }

    private long untilNextBrokerTimerNs() {
        long now = SystemClock.INSTANCE.milliseconds();
        long next = Long.MAX_VALUE;
        for (Broker b : brokers) {
            next = Math.min(next, b.nextWakeupMs());
        }
        if (next == Long.MAX_VALUE) {
            return IDLE_WAIT_NS;
        }
        return Math.min(IDLE_WAIT_NS, TimeUnit.MILLISECONDS.toNanos(Math.max(0, next - now)));
    }

    private void requireRunning() {
        if (!running) {
            throw new IllegalStateException("the local cluster is closed"
                    + (brokerThreadFailure == null ? "" : " (broker thread failed: " + brokerThreadFailure + ")"));
        }
    }

    /**
     * Closes every producer this cluster made (each sends what it has buffered, up to 5 s), stops
     * the broker thread, and shuts the brokers down cleanly (flush and producer-state snapshot).
     */
    @Override
    public void close() {
        List<KafkaStyleProducer<?, ?>> toClose;
        synchronized (created) {
            toClose = new ArrayList<>(created);
        }
        for (KafkaStyleProducer<?, ?> p : toClose) {
            p.close(Duration.ofSeconds(5));
        }
        running = false;
        inboxLock.lock();
        try {
            arrived.signal();
        } finally {
            inboxLock.unlock();
        }
        try {
            brokerThread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Broker b : brokers) {
            b.shutdown();
        }
    }
}
