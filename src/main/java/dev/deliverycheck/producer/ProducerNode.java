package dev.deliverycheck.producer;

import dev.deliverycheck.env.Clock;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Node;
import dev.deliverycheck.env.RandomSource;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.producer.errors.ProducerClosedException;
import dev.deliverycheck.producer.errors.ProducerException;
import dev.deliverycheck.producer.errors.RecordTooLargeException;
import dev.deliverycheck.producer.internals.MemoryWaiter;
import dev.deliverycheck.producer.internals.ProducerBatch;
import dev.deliverycheck.producer.internals.ProducerEvents;
import dev.deliverycheck.producer.internals.RecordAccumulator;
import dev.deliverycheck.producer.internals.RecordCompletion;
import dev.deliverycheck.producer.internals.Sender;
import dev.deliverycheck.producer.internals.TransactionManager;
import dev.deliverycheck.producer.partitioner.Partitioner;
import dev.deliverycheck.producer.partitioner.Partitioners;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The producer as a deterministic, never-blocking {@link Node}: serializer → partitioner →
 * {@link RecordAccumulator} → {@link Sender}, plus the {@link TransactionManager} when idempotence
 * is on. A simulation drives it with {@link #send}, {@link #receive}, {@link #poll} and a clock it
 * moves itself, asking {@link #nextWakeupMs} when the next poll is due; {@code local.KafkaStyleProducer}
 * drives the same node with an I/O thread for real.
 *
 * <p>Invariants: every {@code send} that passes partitioning emits one {@code ProducerSend} and its
 * future later completes exactly once, emitting one {@code ProducerSendAcked} or
 * {@code ProducerSendFailed} — nothing is dropped silently; time comes only from the clock, chance
 * only from the {@link RandomSource}, the network only through the {@link Transport}, so the same
 * inputs give the same outputs. {@link #nextWakeupMs} never names a time at which {@link #poll}
 * would have nothing to do twice in a row, so a simulation that follows it cannot spin.
 *
 * <p>Not thread-safe: one caller at a time. A message handed to {@link #receive} while another call
 * of this node is running (a transport that answers synchronously) is queued and handled when
 * that call returns.
 */
public final class ProducerNode<K, V> implements Node {
    private final int nodeId;
    private final ProducerConfig config;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final ClusterMetadata metadata;
    private final Clock clock;
    private final ProducerEvents events;
    private final RecordAccumulator accumulator;
    private final TransactionManager transactionManager;
    private final Sender sender;
    /** Settings send() reads for every record, read once (the config's getters look them up by name). */
    private final long maxBlockMs;
    private final boolean partitionerIgnoreKeys;

    private boolean dirty = true;
    private long lastPollMs = Long.MIN_VALUE;
    private boolean closing;
    private boolean closed;
    private int depth;
    private final Deque<Object[]> deferredMessages = new ArrayDeque<>();

    private final SendCompletions completions;
    /** Tells {@link #completions} that a send number completed; one for all records. */
    private final LongConsumer sendDone;
    private boolean senderWakeupNeeded = true;
    private final RecordAppender appender;

    public ProducerNode(int nodeId, ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer,
                        ClusterMetadata metadata, Clock clock, Transport transport, RandomSource random,
                        EventSink events) {
        this.nodeId = nodeId;
        this.config = config;
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
        this.metadata = metadata;
        this.clock = clock;
        this.events = new ProducerEvents(nodeId, events);
        this.accumulator = new RecordAccumulator(config, metadata, random);
        this.completions = new SendCompletions(accumulator);
        this.sendDone = completions::done;
        Partitioner partitioner = Partitioners.create(config.partitioner(), random, config.batchSize(),
                config.partitionerIgnoreKeys(), config.adaptivePartitioningEnabled(),
                config.partitionerAvailabilityTimeoutMs(), accumulator);
        this.transactionManager = config.idempotenceEnabled()
                ? new TransactionManager(config.transactionalId(), config.transactionTimeoutMs(), config.retryBackoffMs(),
                metadata, this.events)
                : null;
        this.appender = new RecordAppender(config, metadata, clock, this.events, partitioner, accumulator,
                transactionManager);
        this.sender = new Sender(config, accumulator, transactionManager, transport, this.events);
        this.maxBlockMs = config.maxBlockMs();
        this.partitionerIgnoreKeys = config.partitionerIgnoreKeys();
    }

    public int nodeId() {
        return nodeId;
    }

    public ProducerConfig config() {
        return config;
    }

    // ---- send --------------------------------------------------------------------------------

    /**
     * Kafka's {@code send}, never blocking: serializes, partitions (emitting {@code ProducerSend}),
     * and appends to the accumulator — or, when the buffer memory is exhausted, queues the record
     * as a memory waiter that fails after {@code max.block.ms} of clock time if memory does not free
     * up. The future (and the callback, if not null) reports the outcome.
     *
     * @throws IllegalStateException after close, or for a transactional send outside a transaction
     * @throws IllegalArgumentException for an explicit partition the topic does not have
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        enter();
        try {
            if (closing || closed) {
                throw new IllegalStateException("Cannot perform operation after producer has been closed");
            }
            long nowMs = clock.milliseconds();
            dirty = true;
            senderWakeupNeeded = true;
            int numPartitions = metadata.partitionCount(record.topic());
            CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
            if (numPartitions < 0) {
                ProducerException e = new ProducerException("Topic " + record.topic() + " not present in metadata");
                if (callback != null) {
                    callback.onCompletion(null, e);
                }
                future.completeExceptionally(e);
                return future;
            }
            RuntimeException stateError = transactionManager == null ? null : transactionManager.sendError();
            byte[] key = keySerializer.serialize(record.topic(), record.key());
            byte[] value = valueSerializer.serialize(record.topic(), record.value());
            Record wire = new Record(nowMs, key, value, record.headers());
            boolean partitionerChose = record.partition() == null;
            TopicPartition tp = appender.topicPartition(record.topic(),
                    appender.choosePartition(record, key, wire, numPartitions), numPartitions);
            RecordCompletion completion = new RecordCompletion(wire.recordId(), tp, future, callback, completions.add(),
                    sendDone);
            events.send(completion.recordId(), tp, transactionManager == null ? -1 : transactionManager.sendTransactionIndex());
            if (stateError != null) {
                completion.fail(stateError, events);
                return future;
            }
            RecordTooLargeException tooLarge = appender.tooLarge(ProducerBatch.sizeAlone(wire));
            if (tooLarge != null) {
                completion.fail(tooLarge, events);
                return future;
            }
            boolean notify = partitionerChose && (key == null || partitionerIgnoreKeys);
            if (!accumulator.memoryWaiters().isEmpty() || !appender.append(tp, wire, completion, notify, nowMs)) {
                accumulator.memoryWaiters().add(new MemoryWaiter(tp, wire, completion, notify, nowMs, nowMs + maxBlockMs));
            } else if (transactionManager == null || !transactionManager.isTransactional()) {
                // Kafka's send() wakes the sender only when the append filled a batch or started one
                senderWakeupNeeded = appender.lastAppend().batchIsFull() || appender.lastAppend().newBatchCreated();
            }
            return future;
        } finally {
            exit();
        }
    }

    /**
     * Whether the last {@link #send} left work a real-time driver's I/O thread must do before the timer
     * {@link #nextWakeupMs} named before the send: false only after a non-transactional append to an open batch that
     * is still not full (Kafka's {@code send()} wakes its sender only when an append filled a batch or created one;
     * otherwise linger.ms decides). A simulation polls whenever {@link #nextWakeupMs} says and need not ask.
     */
    public boolean senderWakeupNeeded() {
        return senderWakeupNeeded;
    }

    /** {@link #send(ProducerRecord, Callback)} without a callback. */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    // ---- Node --------------------------------------------------------------------------------

    /** The connection to a broker closed: its in-flight requests fail now and are retried as Kafka would. */
    @Override
    public void disconnected(int peer) {
        guarded(() -> {
            if (!closed) {
                sender.handleDisconnect(peer, clock.milliseconds());
                dirty = true;
            }
        });
    }

    /** Hands in a message from node {@code source}; a response to nothing in flight is ignored. */
    @Override
    public void receive(int source, Message message) {
        if (depth > 0) {
            deferredMessages.addLast(new Object[] {source, message});
            return;
        }
        enter();
        try {
            if (!closed) {
                handle(source, message);
            }
        } finally {
            exit();
        }
    }

    private void handle(int source, Message message) {
        if (sender.receive(source, message, clock.milliseconds())) {
            dirty = true;
        }
    }

    /** One {@code Sender.runOnce} at {@code clock.milliseconds()}, after expiring memory waiters. */
    @Override
    public void poll() {
        enter();
        try {
            if (closed) {
                return;
            }
            long nowMs = clock.milliseconds();
            lastPollMs = nowMs;
            dirty = false;
            boolean progress = appender.expireMemoryWaiters(nowMs);
            progress |= sender.runOnce(nowMs);
            if (progress) {
                dirty = true;
            }
        } finally {
            exit();
        }
    }

    /**
     * The earliest clock time at which {@link #poll} has work: now, if something changed since the
     * last poll; else the next request timeout, delivery timeout, {@code max.block.ms} deadline,
     * linger or retry-backoff end, or transactional retry; {@link Long#MAX_VALUE} if none.
     */
    @Override
    public long nextWakeupMs() {
        if (closed) {
            return Long.MAX_VALUE;
        }
        if (dirty) {
            return clock.milliseconds();
        }
        long next = sender.nextRequestTimeoutMs();
        next = Math.min(next, sender.nextDeliveryDeadlineMs());
        next = Math.min(next, accumulator.memoryWaiters().nextDeadlineMs());
        next = Math.min(next, accumulator.nextSendableMs(lastPollMs));
        if (transactionManager != null) {
            next = Math.min(next, transactionManager.nextRetryMs(lastPollMs));
        }
        return next;
    }

    // ---- flush and close ---------------------------------------------------------------------

    /**
     * Kafka's {@code flush} without the wait: every batch becomes ready at once (later polls send
     * them), and the returned future completes when every record sent before this call completed.
     */
    public CompletableFuture<Void> beginFlush() {
        enter();
        try {
            CompletableFuture<Void> future = completions.beginFlush();
            dirty = true;
            return future;
        } finally {
            exit();
        }
    }

    /** Any record whose future has not completed yet (queued, waiting for memory, or in flight). */
    public boolean hasIncomplete() {
        return !completions.isEmpty();
    }

    /** Records whose future has not completed yet. */
    public int incompleteCount() {
        return completions.size();
    }

    /** Records waiting for buffer memory. */
    public int memoryWaiterCount() {
        return accumulator.memoryWaiters().size();
    }

    /**
     * Starts a graceful close (Kafka's {@code close} before its timeout): no new sends, every batch
     * ready at once, an ongoing transaction aborted. Poll until {@link #isQuiescent()}, then
     * {@link #close()}.
     */
    public void beginClose() {
        guarded(() -> {
            if (closing || closed) {
                return;
            }
            closing = true;
            accumulator.setClosing(true);
            if (transactionManager != null && transactionManager.isTransactional()
                    && (transactionManager.state() == TransactionManager.State.IN_TRANSACTION
                    || transactionManager.hasAbortableError())) {
                // Kafka's sender aborts an incomplete transaction on shutdown
                transactionManager.beginAbort();
            }
            dirty = true;
        });
    }

    /** Nothing left to do: closed, or no incomplete record, no request in flight, no transactional request pending. */
    public boolean isQuiescent() {
        return closed || !hasIncomplete() && !sender.hasInFlightRequests()
                && (transactionManager == null || !transactionManager.hasPendingRequests());
    }

    /**
     * Forced close: every record not yet completed fails with "Producer is closed forcefully.",
     * pending transactional calls fail, and the node ignores everything from now on.
     */
    public void close() {
        guarded(() -> {
            if (closed) {
                return;
            }
            closing = true;
            closed = true;
            ProducerClosedException error = new ProducerClosedException("Producer is closed forcefully.");
            sender.abortIncompleteBatches(error);
            if (transactionManager != null) {
                transactionManager.failPending(error);
            }
            completions.failFlushes(error);
            deferredMessages.clear();
        });
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- transactions ------------------------------------------------------------------------

    /** initTransactions(): InitProducerId to the transaction coordinator; completes when the producer is READY. */
    public CompletableFuture<Void> initTransactions() {
        return transactionCall(TransactionManager::initializeTransactions);
    }

    /** beginTransaction() (emits ProducerBeginTxn); throws IllegalStateException unless READY. */
    public void beginTransaction() {
        guarded(() -> {
            requireOpen();
            transactional().beginTransaction();
            dirty = true;
        });
    }

    /** commitTransaction(): flushes, then EndTxn(commit); the future fails if the transaction cannot commit. */
    public CompletableFuture<Void> commitTransaction() {
        return transactionCall(TransactionManager::beginCommit);
    }

    /** abortTransaction(): unsent records fail, sent ones complete, then EndTxn(abort). */
    public CompletableFuture<Void> abortTransaction() {
        return transactionCall(TransactionManager::beginAbort);
    }

    /** A transactional call that starts a request: refused once closing or when not transactional; makes the node due. */
    private CompletableFuture<Void> transactionCall(Function<TransactionManager, CompletableFuture<Void>> call) {
        enter();
        try {
            requireOpen();
            dirty = true;
            return call.apply(transactional());
        } finally {
            exit();
        }
    }

    /** The transaction manager's state; null when idempotence is off (there is no transaction manager). */
    public TransactionManager.State transactionState() {
        return transactionManager == null ? null : transactionManager.state();
    }

    /** The transaction manager (null when idempotence is off), for inspection. */
    public TransactionManager transactionManager() {
        return transactionManager;
    }

    private TransactionManager transactional() {
        if (transactionManager == null || !transactionManager.isTransactional()) {
            throw new IllegalStateException("Transactional method invoked on a non-transactional producer.");
        }
        return transactionManager;
    }

    private void requireOpen() {
        if (closed || closing) {
            throw new IllegalStateException("Cannot perform operation after producer has been closed");
        }
    }

    // ---- re-entrancy -------------------------------------------------------------------------

    private void enter() {
        depth++;
    }

    /** Runs {@code call} as one call of this node: messages that arrive meanwhile are handled when it returns. */
    private void guarded(Runnable call) {
        enter();
        try {
            call.run();
        } finally {
            exit();
        }
    }

    private void exit() {
        if (depth == 1) {
            while (!deferredMessages.isEmpty() && !closed) {
                Object[] m = deferredMessages.pollFirst();
                handle((Integer) m[0], (Message) m[1]);
            }
            if (!closed && appender.serveMemoryWaiters()) {
                dirty = true;
            }
        }
        depth--;
    }

    @Override
    public String toString() {
        return "ProducerNode(" + nodeId + ")";
    }
}
