package dev.deliverycheck.local;

import dev.deliverycheck.env.Clock;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.RandomSource;
import dev.deliverycheck.env.SystemClock;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.producer.Callback;
import dev.deliverycheck.producer.Producer;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerNode;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.producer.RecordMetadata;
import dev.deliverycheck.producer.Serializer;
import dev.deliverycheck.producer.errors.ProducerException;
import dev.deliverycheck.producer.errors.TimeoutException;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Message;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer for real: a {@link ProducerNode} on the system clock, driven by a background I/O
 * thread (Kafka's sender thread), behind the blocking {@link Producer} API. Incoming messages
 * arrive through {@link #deliver}, from any thread.
 *
 * <p>Invariants: the node is only ever touched while holding {@link #lock}, so its single-threaded
 * state machine stays single-threaded; the I/O thread polls whenever a message arrives, an API call
 * changed something, or the node's {@code nextWakeupMs} comes due, and otherwise sleeps on a
 * condition; blocking calls wait without the lock.
 */
public final class KafkaStyleProducer<K, V> implements Producer<K, V> {
    /** Longest the I/O thread sleeps when the node has no deadline at all. */
    private static final long IDLE_WAIT_MS = 1000;

    private final ProducerNode<K, V> node;
    private final Clock clock;
    private final long maxBlockMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeup = lock.newCondition();
    private final Condition progress = lock.newCondition();
    private final Deque<Incoming> incoming = new ArrayDeque<>();
    private final Thread ioThread;
    private boolean running = true;

    /** A message from {@code source}, or (message null) the news that the connection to {@code source} closed. */
    private record Incoming(int source, Message message) {
    }

    public KafkaStyleProducer(int nodeId, ProducerConfig config, Serializer<K> keySerializer,
                              Serializer<V> valueSerializer, ClusterMetadata metadata, Transport transport,
                              RandomSource random, EventSink events) {
        this.clock = SystemClock.INSTANCE;
        this.maxBlockMs = config.maxBlockMs();
        this.node = new ProducerNode<>(nodeId, config, keySerializer, valueSerializer, metadata, clock, transport,
                random, events);
        this.ioThread = new Thread(this::runLoop, "deliverycheck-producer-" + nodeId + "-io");
        this.ioThread.setDaemon(true);
        this.ioThread.start();
    }

    public int nodeId() {
        return node.nodeId();
    }

    /** Hands in a message from the network; thread-safe, never blocks on I/O. */
    public void deliver(int source, Message message) {
        enqueue(source, java.util.Objects.requireNonNull(message, "message"));
    }

    private void enqueue(int source, Message message) {
        lock.lock();
        try {
            incoming.addLast(new Incoming(source, message));
            wakeup.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands in the news that the connection to {@code peer} closed (a transport over real sockets saw it drop);
     * thread-safe, never blocks on I/O. The node fails the requests in flight to the peer as Kafka's NetworkClient
     * does, after the messages delivered before it.
     */
    public void disconnected(int peer) {
        enqueue(peer, null);
    }

    private void runLoop() {
        lock.lock();
        try {
            while (running) {
                while (!incoming.isEmpty()) {
                    Incoming m = incoming.pollFirst();
                    if (m.message() == null) {
                        node.disconnected(m.source());
                    } else {
                        node.receive(m.source(), m.message());
                    }
                }
                node.poll();
                progress.signalAll();
                long now = clock.milliseconds();
                long wake = node.nextWakeupMs();
                if (!running || !incoming.isEmpty() || wake <= now) {
                    continue;
                }
                long waitMs = wake == Long.MAX_VALUE ? IDLE_WAIT_MS : Math.min(IDLE_WAIT_MS, wake - now);
                wakeup.await(waitMs, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running = false;
            progress.signalAll();
            lock.unlock();
        }
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    /** Appends the record; blocks (up to {@code max.block.ms}) only while the buffer memory is exhausted. */
    @Override
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        lock.lock();
        try {
            CompletableFuture<RecordMetadata> future = node.send(record, callback);
            if (node.senderWakeupNeeded()) {
                wakeup.signal();
            }
            while (!future.isDone() && node.memoryWaiterCount() > 0 && running) {
                progress.await(IDLE_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            return future;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProducerException("interrupted while waiting for buffer memory", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        CompletableFuture<Void> done = call(node::beginFlush);
        done.handle((v, e) -> null).join();
    }

    @Override
    public void close(Duration timeout) {
        lock.lock();
        try {
            if (node.isClosed()) {
                return;
            }
            node.beginClose();
            wakeup.signal();
            long timeoutMs = timeout.toMillis() < 0 ? 0 : timeout.toMillis();
            long deadline = clock.milliseconds() + Math.min(timeoutMs, Long.MAX_VALUE / 2);
            while (running && !node.isQuiescent() && Thread.currentThread() != ioThread) {
                long left = deadline - clock.milliseconds();
                if (left <= 0) {
                    break;
                }
                progress.await(Math.min(left, IDLE_WAIT_MS), TimeUnit.MILLISECONDS);
            }
            node.close();
            running = false;
            wakeup.signal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.close();
            running = false;
            wakeup.signal();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != ioThread) {
            try {
                ioThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void initTransactions() {
        await(call(node::initTransactions), "InitProducerId");
    }

    @Override
    public void beginTransaction() {
        lock.lock();
        try {
            node.beginTransaction();
            wakeup.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void commitTransaction() {
        await(call(node::commitTransaction), "EndTxn(commit)");
    }

    @Override
    public void abortTransaction() {
        await(call(node::abortTransaction), "EndTxn(abort)");
    }

    private <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> action) {
        lock.lock();
        try {
            CompletableFuture<T> f = action.get();
            wakeup.signal();
            return f;
        } finally {
            lock.unlock();
        }
    }

    /** Kafka's transactional calls block up to {@code max.block.ms}; calling again waits for the same result. */
    private void await(CompletableFuture<Void> result, String what) {
        try {
            result.get(maxBlockMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("Timeout expired after " + maxBlockMs + " ms (max.block.ms) while awaiting " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ProducerException(what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProducerException("interrupted while awaiting " + what, e);
        }
    }
}
