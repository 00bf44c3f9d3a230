package dev.deliverycheck.producer.internals;

import dev.deliverycheck.env.RandomSource;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.partitioner.PartitionLoad;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kafka's {@code RecordAccumulator}: one deque of batches per partition, memory from the
 * {@link BufferPool}, and the rules that decide when a partition is ready. What one request to a
 * broker takes is the {@link BatchDrainer}'s job, the line of sends waiting for memory is
 * {@link MemoryWaiters}, and KIP-794's broker availability is {@link NodeLatencyStats}.
 *
 * <p>Invariants: every batch not yet completed is in {@link #incomplete} (queued or in a request)
 * and holds its memory until it is deallocated; a muted partition (one batch in flight with
 * {@code max.in.flight=1}) is neither ready nor drained; a partition's queue keeps its batches in
 * send order, retried batches back at the front in sequence order. Nothing is dropped: a batch
 * leaves the accumulator only by being drained, expired or aborted, and the caller then completes it.
 */
public final class RecordAccumulator implements PartitionLoad {
    private final int batchSize;
    private final long lingerMs;
    private final int deliveryTimeoutMs;
    private final ClusterMetadata metadata;
    private final BufferPool pool;
    private final ExponentialBackoff backoff;

    private final Map<TopicPartition, Deque<ProducerBatch>> batches = new TreeMap<>();
    /** The same deques by hash, for the per-record lookups; {@link #batches} keeps the partition order for scans. */
    private final Map<TopicPartition, Deque<ProducerBatch>> byPartition = new HashMap<>();
    private final Set<ProducerBatch> incomplete = new LinkedHashSet<>();
    private final MemoryWaiters waiters = new MemoryWaiters();
    private final Set<TopicPartition> muted = new HashSet<>();
    private final BatchDrainer drainer;
    private final NodeLatencyStats nodeStats;
    private boolean flushing;
    private boolean closing;

    /** Result of an append: the batch is full (or a second one waits), and whether a new batch was made. */
    public record AppendResult(boolean batchIsFull, boolean newBatchCreated) {
    }

    public RecordAccumulator(ProducerConfig config, ClusterMetadata metadata, RandomSource random) {
        this.batchSize = config.batchSize();
        this.lingerMs = config.lingerMs();
        this.deliveryTimeoutMs = config.deliveryTimeoutMs();
        this.metadata = metadata;
        this.pool = new BufferPool(config.bufferMemory(), config.batchSize());
        this.backoff = new ExponentialBackoff(config.retryBackoffMs(), config.retryBackoffMaxMs(), random);
        this.drainer = new BatchDrainer(metadata, byPartition::get, muted::contains);
        this.nodeStats = new NodeLatencyStats(config.partitionerAvailabilityTimeoutMs());
    }

    // ---- append ------------------------------------------------------------------------------

    /**
     * Appends to the partition's open batch or to a new one. Returns null, appending nothing,
     * when a new batch is needed and the buffer memory cannot supply it.
     */
    public AppendResult tryAppend(TopicPartition tp, Record record, RecordCompletion completion, long nowMs) {
        Deque<ProducerBatch> dq = deque(tp);
        ProducerBatch last = dq.peekLast();
        if (last != null) {
            if (last.tryAppend(record, completion)) {
                return new AppendResult(dq.size() > 1 || last.isFull(), false);
            }
            last.closeForAppends();
        }
        int size = Math.max(batchSize, ProducerBatch.sizeAlone(record));
        if (!pool.tryAllocate(size)) {
            return null;
        }
        ProducerBatch batch = new ProducerBatch(tp, size, nowMs);
        batch.tryAppend(record, completion);
        dq.addLast(batch);
        incomplete.add(batch);
        return new AppendResult(dq.size() > 1 || batch.isFull(), true);
    }

    private Deque<ProducerBatch> deque(TopicPartition tp) {
        Deque<ProducerBatch> dq = byPartition.get(tp);
        if (dq == null) {
            dq = new ArrayDeque<>();
            byPartition.put(tp, dq);
            batches.put(tp, dq);
        }
        return dq;
    }

    /** Whether appending this record to the partition would start a new batch (KIP-480's trigger). */
    public boolean wouldCreateNewBatch(TopicPartition tp, Record record) {
        Deque<ProducerBatch> dq = byPartition.get(tp);
        ProducerBatch last = dq == null ? null : dq.peekLast();
        return last == null || last.isFull() || !last.hasRoomFor(record);
    }

    /** No batch of the partition has room left (KIP-794 switches partitions only then). */
    public boolean allBatchesFull(TopicPartition tp) {
        Deque<ProducerBatch> dq = byPartition.get(tp);
        ProducerBatch last = dq == null ? null : dq.peekLast();
        return last == null || last.isFull();
    }

    /** The records waiting for buffer memory, first come first served. */
    public MemoryWaiters memoryWaiters() {
        return waiters;
    }

    // ---- ready and drain ---------------------------------------------------------------------

    /**
     * Kafka's {@code ready}: the brokers leading a partition whose first batch may be sent now —
     * full (or followed by another), lingered long enough, or everything is urgent (memory waiters,
     * flush, close, a completing transaction) — and that is not in retry backoff or muted.
     */
    public Set<Integer> ready(long nowMs, boolean transactionCompleting) {
        Set<Integer> readyNodes = new TreeSet<>();
        boolean exhausted = !waiters.isEmpty();
        for (Map.Entry<TopicPartition, Deque<ProducerBatch>> e : batches.entrySet()) {
            ProducerBatch first = e.getValue().peekFirst();
            if (first == null) {
                continue;
            }
            TopicPartition tp = e.getKey();
            int leader = metadata.leaderFor(tp);
            if (readyNodes.contains(leader) || muted.contains(tp)) {
                continue;
            }
            boolean backingOff = first.backingOff(nowMs);
            long timeToWait = backingOff ? first.retryBackoffMs() : lingerMs;
            boolean full = e.getValue().size() > 1 || first.isFull();
            boolean expired = first.waitedTimeMs(nowMs) >= timeToWait;
            boolean sendable = full || expired || exhausted || closing || flushing || transactionCompleting;
            if (sendable && !backingOff) {
                readyNodes.add(leader);
            }
        }
        return readyNodes;
    }

    /** Decides, for the first batch of a partition, whether the transaction manager holds it back. */
    @FunctionalInterface
    public interface DrainGate {
        DrainGate OPEN = (first, tp) -> false;

        boolean shouldStopDrain(ProducerBatch first, TopicPartition tp);
    }

    /** Stamps producer id, epoch and sequence on a batch the moment it is first drained. */
    @FunctionalInterface
    public interface Sequencer {
        Sequencer NONE = b -> { };

        void stamp(ProducerBatch batch);
    }

    /**
     * Kafka's {@code drain}: per ready broker, at most one batch per partition it leads, starting
     * where the previous drain of that broker stopped (so no partition starves), up to
     * {@code maxRequestSize} bytes (the first batch always fits); see {@link BatchDrainer}.
     */
    public Map<Integer, List<ProducerBatch>> drain(Set<Integer> nodes, int maxRequestSize, long nowMs,
                                                   DrainGate gate, Sequencer sequencer) {
        return drainer.drain(nodes, maxRequestSize, nowMs, gate, sequencer);
    }

    /**
     * Puts a batch back for another attempt after its retry backoff. With sequence numbers the
     * batch goes to its place in sequence order among the retried batches at the front, so a
     * partition's batches are resent in the order they were first sent.
     */
    public void reenqueue(ProducerBatch batch, long nowMs) {
        batch.reenqueued(nowMs, backoff.backoff(batch.attempts()));
        Deque<ProducerBatch> dq = deque(batch.topicPartition());
        if (!batch.hasSequence()) {
            dq.addFirst(batch);
            return;
        }
        List<ProducerBatch> before = new ArrayList<>();
        while (!dq.isEmpty() && dq.peekFirst().hasSequence() && dq.peekFirst().ordinal() < batch.ordinal()) {
            before.add(dq.pollFirst());
        }
        dq.addFirst(batch);
        for (int i = before.size() - 1; i >= 0; i--) {
            dq.addFirst(before.get(i));
        }
    }

    /** Removes and returns queued batches past {@code delivery.timeout.ms}, oldest first per partition. */
    public List<ProducerBatch> expiredBatches(long nowMs) {
        List<ProducerBatch> expired = new ArrayList<>();
        for (Deque<ProducerBatch> dq : batches.values()) {
            while (!dq.isEmpty() && dq.peekFirst().hasReachedDeliveryTimeout(deliveryTimeoutMs, nowMs)) {
                ProducerBatch b = dq.pollFirst();
                b.closeForAppends();
                expired.add(b);
            }
        }
        return expired;
    }

    /**
     * Kafka's {@code abortUndrainedBatches}: removes and returns the queued batches that were never
     * sent (with sequence numbers: that carry no sequence yet), for an aborting transaction.
     */
    public List<ProducerBatch> removeUndrainedBatches(boolean sequenced) {
        List<ProducerBatch> removed = new ArrayList<>();
        for (Deque<ProducerBatch> dq : batches.values()) {
            Iterator<ProducerBatch> it = dq.iterator();
            while (it.hasNext()) {
                ProducerBatch b = it.next();
                if (sequenced ? !b.hasSequence() : !b.wasDrained()) {
                    it.remove();
                    b.closeForAppends();
                    removed.add(b);
                }
            }
        }
        return removed;
    }

    /** Removes from the queues and returns every incomplete batch, queued or in flight (fatal error, forced close). */
    public List<ProducerBatch> removeAllIncomplete() {
        List<ProducerBatch> all = new ArrayList<>(incomplete);
        for (Deque<ProducerBatch> dq : batches.values()) {
            dq.clear();
        }
        for (ProducerBatch b : all) {
            b.closeForAppends();
        }
        return all;
    }

    /** Returns a completed batch's memory. */
    public void deallocate(ProducerBatch batch) {
        if (incomplete.remove(batch)) {
            pool.deallocate(batch.capacity());
        }
    }

    /** Any batch not yet completed, queued or in flight. */
    public boolean hasIncomplete() {
        return !incomplete.isEmpty();
    }

    /** Any batch still queued. */
    public boolean hasUndrained() {
        for (Deque<ProducerBatch> dq : batches.values()) {
            if (!dq.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    public int incompleteCount() {
        return incomplete.size();
    }

    // ---- ordering, flush, close --------------------------------------------------------------

    public void mutePartition(TopicPartition tp) {
        muted.add(tp);
    }

    public void unmutePartition(TopicPartition tp) {
        muted.remove(tp);
    }

    public boolean isMuted(TopicPartition tp) {
        return muted.contains(tp);
    }

    /** While flushing, every batch is ready regardless of linger. */
    public void setFlushing(boolean value) {
        flushing = value;
    }

    public boolean flushing() {
        return flushing;
    }

    /** While closing, every batch is ready regardless of linger. */
    public void setClosing(boolean value) {
        closing = value;
    }

    // ---- time --------------------------------------------------------------------------------

    /**
     * The earliest delivery deadline {@link #expiredBatches} acts on: that of each partition's first
     * queued batch (Kafka's {@code nextBatchExpiryTimeMs}). Not the oldest queued batch's: without
     * sequence numbers a retried batch goes back to the front, so a younger batch can stand before
     * an older one, and the older one expires only with the batch in front of it — naming its
     * deadline would ask for a poll that expires nothing.
     */
    public long nextDeliveryDeadlineMs() {
        long next = Long.MAX_VALUE;
        for (Deque<ProducerBatch> dq : batches.values()) {
            ProducerBatch first = dq.peekFirst();
            if (first != null) {
                next = Math.min(next, first.createdMs() + deliveryTimeoutMs);
            }
        }
        return next;
    }

    /** The earliest time after {@code afterMs} at which a queued first batch's linger or backoff ends. */
    public long nextSendableMs(long afterMs) {
        long next = Long.MAX_VALUE;
        for (Map.Entry<TopicPartition, Deque<ProducerBatch>> e : batches.entrySet()) {
            ProducerBatch first = e.getValue().peekFirst();
            if (first == null || muted.contains(e.getKey())) {
                continue;
            }
            long at = first.lastAttemptMs() + (first.attempts() > 0 ? first.retryBackoffMs() : lingerMs);
            if (at > afterMs) {
                next = Math.min(next, at);
            }
        }
        return next;
    }

    // ---- partition load (KIP-794) ------------------------------------------------------------

    /** Kafka's {@code updateNodeLatencyStats}: a broker with ready data that cannot take it stops being "drained". */
    public void updateNodeLatencyStats(int node, long nowMs, boolean canDrain) {
        nodeStats.update(node, nowMs, canDrain);
    }

    @Override
    public int queueSize(TopicPartition tp) {
        Deque<ProducerBatch> dq = byPartition.get(tp);
        return dq == null ? 0 : dq.size();
    }

    /** A partition's queue exists from its first append on (and is never removed, as in Kafka). */
    @Override
    public boolean hasQueue(TopicPartition tp) {
        return batches.containsKey(tp);
    }

    @Override
    public boolean isAvailable(TopicPartition tp) {
        return nodeStats.isAvailable(metadata.leaderFor(tp));
    }

    public BufferPool bufferPool() {
        return pool;
    }
}
