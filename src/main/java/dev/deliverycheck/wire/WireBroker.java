package dev.deliverycheck.wire;

import dev.deliverycheck.broker.Broker;
import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.SystemClock;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.Request;
import dev.deliverycheck.protocol.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * One {@link Broker} (id 0, single copy) on a storage, driven in real time by one broker thread,
 * with the requests of every wire connection funnelled into it.
 *
 * <p>Invariants: only the broker thread calls the broker's {@code receive} and {@code poll}
 * (the state machine stays single-threaded; readers use its synchronized views); requests are
 * handed to the broker in the order {@link #call} was called, every message of a round before
 * the poll that flushes them (group commit); every call's future completes with the broker's
 * answer, or exceptionally once the broker thread has failed or closed, so no caller waits
 * forever. Topics are created on first use with the configured partition count and remembered
 * in the storage file {@value #TOPICS_FILE}, so a restart on the same storage recovers them.
 */
public final class WireBroker implements AutoCloseable {
    static final int BROKER_ID = 0;
    /** The node id every wire client speaks as: answers find their caller by correlation id. */
    static final int CLIENTS = 1;
    static final String TOPICS_FILE = "wire/topics";
    private static final long IDLE_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Broker broker;
    private final Storage storage;
    private final int defaultPartitions;
    private final int transactionVersion;
    private final Map<Integer, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextCorrelationId = new AtomicInteger(1);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Envelope> inbox = new ArrayDeque<>();
    private final Object changes = new Object();
    private long changeCount;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * Opens (recovers) the broker on {@code storage}.
     *
     * @param transactionVersion 1 or 2: with 2 the leader adds partitions to transactions on the
     *                           first transactional produce and EndTxn bumps the epoch (KIP-890 part 2)
     */
    public WireBroker(Storage storage, BrokerConfig config, int defaultPartitions, int transactionVersion,
                      EventSink events) {
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + defaultPartitions);
        }
        if (transactionVersion != 1 && transactionVersion != 2) {
            throw new IllegalArgumentException("transaction version must be 1 or 2, was " + transactionVersion);
        }
        this.storage = storage;
        this.defaultPartitions = defaultPartitions;
        this.transactionVersion = transactionVersion;
        BrokerConfig effective = config.withBumpEpochPerTxn(transactionVersion == 2 && config.bumpEpochPerTxn())
                .withAddPartitionsOnProduce(transactionVersion == 2);
        this.broker = new Broker(BROKER_ID, new ClusterMetadata(List.of(BROKER_ID), readTopics(), transactionVersion), effective, storage,
                SystemClock.INSTANCE, this::route, events);
        this.thread = new Thread(this::run, "deliverycheck-wire-broker");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private Map<String, Integer> readTopics() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        if (!storage.exists(TOPICS_FILE)) {
            return topics;
        }
        String text = new String(storage.readAll(TOPICS_FILE), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            topics.put(line.substring(0, space), Integer.parseInt(line.substring(space + 1)));
        }
        return topics;
    }

    /** Creates {@code topic} with the default partition count unless it exists; the list survives restarts. */
    public void ensureTopic(String topic) {
        createTopic(topic, defaultPartitions);
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions (CreateTopics); false, and nothing
     * changed, if it exists already. The list survives restarts.
     */
    public boolean createTopic(String topic, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        synchronized (broker) {
            if (broker.metadata().partitionCount(topic) > 0) {
                return false;
            }
            StringBuilder text = new StringBuilder();
            Map<String, Integer> all = new LinkedHashMap<>(broker.metadata().partitionsPerTopic());
            all.put(topic, partitions);
            all.forEach((t, n) -> text.append(t).append(' ').append(n).append('\n'));
            // The list is durable before any partition of the topic can take a write.
            storage.writeAtomically(TOPICS_FILE, text.toString().getBytes(StandardCharsets.UTF_8));
            broker.createTopic(topic, partitions);
            return true;
        }
    }

    /** Partitions of a topic created on first use (and by CreateTopics asking for the default, -1). */
    public int defaultPartitions() {
        return defaultPartitions;
    }

    public Broker broker() {
        return broker;
    }

    public int transactionVersion() {
        return transactionVersion;
    }

    public ClusterMetadata metadata() {
        return broker.metadata();
    }

    /**
     * Hands the request {@code make} builds (with a fresh correlation id) to the broker. The future
     * completes with the answer; with {@code expectsAnswer} false (acks=0) it completes with null
     * once the request is queued.
     */
    public CompletableFuture<Response> call(IntFunction<Request> make, boolean expectsAnswer) {
        int correlationId = nextCorrelationId.getAndIncrement();
        CompletableFuture<Response> answer = new CompletableFuture<>();
        if (!running) {
            answer.completeExceptionally(new IllegalStateException("broker stopped", failure));
            return answer;
        }
        if (expectsAnswer) {
            pending.put(correlationId, answer);
        }
        enqueue(CLIENTS, make.apply(correlationId));
        if (!expectsAnswer) {
            answer.complete(null);
        }
        if (!running && pending.remove(correlationId) != null) {
            answer.completeExceptionally(new IllegalStateException("broker stopped", failure));
        }
        return answer;
    }

    /** Waits until the broker thread finished a round after {@code seen}, at most {@code millis}; returns the new count. */
    public long awaitChange(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (changes) {
            while (changeCount == seen && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(changes, left);
            }
            return changeCount;
        }
    }

    public long changeCount() {
        synchronized (changes) {
            return changeCount;
        }
    }

    /** Why the broker thread stopped, or null. */
    public Throwable failure() {
        return failure;
    }

    private void route(int destination, Message message) {
        if (destination == BROKER_ID) {
            enqueue(BROKER_ID, message);
        } else if (destination == CLIENTS) {
            CompletableFuture<Response> f = pending.remove(message.correlationId());
            if (f != null && message instanceof Response r) {
                f.complete(r);
            }
        }
    }

    private void enqueue(int source, Message message) {
        lock.lock();
        try {
            inbox.addLast(new Envelope(source, message));
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    private record Envelope(int source, Message message) {
    }

    private void run() {
        List<Envelope> round = new ArrayList<>();
        try {
            while (running) {
                long waitNs = untilNextTimerNs();
                lock.lock();
                try {
                    if (inbox.isEmpty() && waitNs > 0 && running) {
                        arrived.awaitNanos(waitNs);
                    }
                    round.addAll(inbox);
                    inbox.clear();
                } finally {
                    lock.unlock();
                }
                for (Envelope e : round) {
                    broker.receive(e.source(), e.message());
                }
                boolean worked = !round.isEmpty();
                round.clear();
                if (broker.nextWakeupMs() <= SystemClock.INSTANCE.milliseconds()) {
                    broker.poll();
                    worked = true;
                }
                if (worked) {
                    synchronized (changes) {
                        changeCount++;
                        changes.notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            running = false;
            failAll();
            synchronized (changes) {
                changes.notifyAll();
            }
        }
    }

    private void failAll() {
        for (Integer id : List.copyOf(pending.keySet())) {
            CompletableFuture<Response> f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(new IllegalStateException("broker stopped", failure));
            }
        }
    }

    private long untilNextTimerNs() {
        long next = broker.nextWakeupMs();
        if (next == Long.MAX_VALUE) {
            return IDLE_WAIT_NS;
        }
        long now = SystemClock.INSTANCE.milliseconds();
        return Math.min(IDLE_WAIT_NS, TimeUnit.MILLISECONDS.toNanos(Math.max(0, next - now)));
    }

    /** Stops the broker thread and shuts the broker down cleanly (flush, producer-state snapshot). */
    @Override
    public void close() {
        running = false;
        lock.lock();
        try {
            arrived.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.shutdown();
        failAll();
    }
}
