package dev.deliverycheck.broker.idempotence;

import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.RecordBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The producer-state table of one partition: per producer id the newest epoch, the metadata of
 * its last {@code window} batches (Kafka: 5) and the first offset of its open transaction.
 *
 * <p>Invariant: the table is a pure function of the batches appended to the partition's log,
 * in log order ({@link #onAppend}), so rebuilding it from a snapshot plus the log after the
 * snapshot, or from the whole log, gives the same table as the live broker had for that log.
 * That is what makes dedup decisions survive a crash.
 *
 * <p>Append rules (Kafka's {@code ProducerAppendInfo}, checked in this order by {@link #check}):
 * <ol>
 *   <li>same epoch, same first and last sequence as a cached batch &rarr; duplicate;</li>
 *   <li>epoch older than the producer's &rarr; {@code INVALID_PRODUCER_EPOCH};</li>
 *   <li>epoch newer than the producer's &rarr; the first sequence must be 0;</li>
 *   <li>same epoch &rarr; first sequence must be last sequence + 1 (wrapping from
 *       {@code Integer.MAX_VALUE} to 0), else {@code OUT_OF_ORDER_SEQUENCE_NUMBER};</li>
 *   <li>unknown producer id &rarr; any first sequence is accepted, as Kafka's
 *       {@code ProducerAppendInfo.checkSequence} does (the producer's state may have been removed
 *       by retention or lost with an unflushed tail). The one exception is the hook
 *       {@link #unknownProducerMustStartAtZero}: a transactional batch under transactions
 *       version 2 (KIP-890 part 2) must start at sequence 0. Keeping a later batch from
 *       overtaking an earlier one lost in a crash is the client's job, as in Kafka: it retries a
 *       partition's batches in sequence order and resolves an unresolved sequence or bumps its
 *       epoch (KIP-360);</li>
 *   <li>a non-transactional batch while the producer has an open transaction &rarr;
 *       {@code INVALID_TXN_STATE}.</li>
 * </ol>
 * A COMMIT/ABORT marker counts like a batch of its epoch: with KIP-890 part 2 the coordinator
 * writes the markers of a transaction with the epoch it bumped at EndTxn, so the marker moves the
 * producer to that epoch here, and a produce of the ended transaction arriving late (old epoch)
 * is refused by rule 2 instead of joining the producer's next transaction.
 */
public final class ProducerStateTable {
    /** Kafka's number of cached batches per producer ({@code NUM_BATCHES_TO_RETAIN}). */
    public static final int DEFAULT_WINDOW = 5;

    private final int window;
    private final boolean fencingEnabled;
    private final boolean transactionsV2;
    private final boolean resetsOnNewEpoch;
    private final Map<Long, Entry> entries = new TreeMap<>();

    private static final class Entry {
        short epoch;
        final Deque<BatchMetadata> batches = new ArrayDeque<>();
        long txnFirstOffset = ProducerState.NO_TXN;

        Entry(short epoch) {
            this.epoch = epoch;
        }

        int lastSeq() {
            return batches.isEmpty() ? RecordBatch.NO_SEQUENCE : batches.peekLast().lastSeq();
        }
    }

    /** A table with Kafka's window of 5 and epoch fencing on. */
    public ProducerStateTable() {
        this(DEFAULT_WINDOW, true);
    }

    /**
     * @param window         number of batches remembered per producer for duplicate detection
     *                       (Kafka: 5; a smaller window exists for negative tests only)
     * @param fencingEnabled when false, batches of an older epoch are accepted without checks and
     *                       leave the table unchanged (exists for negative tests only)
     */
    public ProducerStateTable(int window, boolean fencingEnabled) {
        this(window, fencingEnabled, true);
    }

    /**
     * @param transactionsV2 transactions version 2 (KIP-890 part 2, Kafka 4.0's default): an unknown
     *                       producer's first transactional batch must start at sequence 0
     */
    public ProducerStateTable(int window, boolean fencingEnabled, boolean transactionsV2) {
        this(window, fencingEnabled, transactionsV2, true);
    }

    /**
     * @param resetsOnNewEpoch a batch or marker of a newer epoch starts the producer's batch window
     *                         afresh, as Kafka's {@code ProducerStateEntry.maybeUpdateProducerEpoch}
     *                         does (true); false keeps the old epoch's batches, so a batch of the
     *                         new epoch with the sequence range of one of them is taken for its
     *                         duplicate. False exists for negative tests only
     */
    public ProducerStateTable(int window, boolean fencingEnabled, boolean transactionsV2, boolean resetsOnNewEpoch) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, was " + window);
        }
        this.window = window;
        this.fencingEnabled = fencingEnabled;
        this.transactionsV2 = transactionsV2;
        this.resetsOnNewEpoch = resetsOnNewEpoch;
    }

    public int window() {
        return window;
    }

    /** Decides whether a data batch of an idempotent or transactional producer may be appended. */
    public AppendCheck check(RecordBatch batch) {
        if (!batch.hasProducerId() || batch.isControl()) {
            throw new IllegalArgumentException("only data batches with a producer id are checked: " + batch);
        }
        long pid = batch.producerId();
        Entry entry = entries.get(pid);
        int firstSeq = batch.baseSequence();
        if (entry == null) {
            if (firstSeq != 0 && unknownProducerMustStartAtZero(batch)) {
                return reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "unknown transactional producer " + pid
                        + " must start at sequence 0 under transactions version 2, not " + firstSeq);
            }
            return AppendCheck.ACCEPT;
        }
        if (batch.producerEpoch() == entry.epoch) {
            for (BatchMetadata cached : entry.batches) {
                if (cached.firstSeq() == firstSeq && cached.lastSeq() == batch.lastSequence()) {
                    return new AppendCheck.Duplicate(cached);
                }
            }
        }
        if (batch.producerEpoch() < entry.epoch) {
            if (!fencingEnabled) {
                return AppendCheck.ACCEPT;
            }
            return reject(Errors.INVALID_PRODUCER_EPOCH, "epoch " + batch.producerEpoch() + " of producer " + pid
                    + " is older than the last seen epoch " + entry.epoch);
        }
        if (batch.producerEpoch() > entry.epoch) {
            if (firstSeq != 0) {
                return reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "new epoch " + batch.producerEpoch()
                        + " of producer " + pid + " must start at sequence 0, not " + firstSeq);
            }
        } else if (!inSequence(entry.lastSeq(), firstSeq)) {
            return reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "producer " + pid + " sent sequence " + firstSeq
                    + " after " + entry.lastSeq());
        }
        if (entry.txnFirstOffset != ProducerState.NO_TXN && !batch.transactional()) {
            return reject(Errors.INVALID_TXN_STATE, "non-transactional batch from producer " + pid
                    + " while its transaction is open");
        }
        return AppendCheck.ACCEPT;
    }

    /**
     * The hook for the one exception to "an unknown producer may start anywhere": Kafka 4.x
     * requires sequence 0 from a transactional producer it has no state for under transactions
     * version 2 (the partition was added to the transaction by this very produce, so nothing of the
     * producer can have been written here before).
     */
    boolean unknownProducerMustStartAtZero(RecordBatch batch) {
        return transactionsV2 && batch.transactional();
    }

    /** Whether a COMMIT/ABORT marker with this epoch may be written: not older than the producer's epoch. */
    public Errors checkMarker(long producerId, short epoch) {
        Entry entry = entries.get(producerId);
        if (fencingEnabled && entry != null && epoch < entry.epoch) {
            return Errors.INVALID_PRODUCER_EPOCH;
        }
        return Errors.NONE;
    }

    /**
     * Updates the table for a batch now in the log: called for every live append and for every
     * batch replayed on recovery, in log order.
     */
    public void onAppend(StoredBatch stored) {
        RecordBatch batch = stored.batch();
        if (!batch.hasProducerId()) {
            return;
        }
        Entry entry = entries.get(batch.producerId());
        if (entry == null) {
            entry = new Entry(batch.producerEpoch());
            entries.put(batch.producerId(), entry);
        } else if (batch.producerEpoch() > entry.epoch) {
            entry.epoch = batch.producerEpoch();
            if (resetsOnNewEpoch) {
                entry.batches.clear();
            }
        } else if (batch.producerEpoch() < entry.epoch) {
            // Only reachable with fencing disabled: a zombie's write leaves the newer epoch's state alone.
            return;
        }
        if (batch.isControl()) {
            entry.txnFirstOffset = ProducerState.NO_TXN;
            return;
        }
        entry.batches.addLast(new BatchMetadata(batch.baseSequence(), batch.lastSequence(),
                stored.baseOffset(), stored.lastOffset()));
        while (entry.batches.size() > window) {
            entry.batches.removeFirst();
        }
        if (batch.transactional() && entry.txnFirstOffset == ProducerState.NO_TXN) {
            entry.txnFirstOffset = stored.baseOffset();
        }
    }

    public Optional<ProducerState> get(long producerId) {
        Entry e = entries.get(producerId);
        return e == null ? Optional.empty() : Optional.of(view(producerId, e));
    }

    /** Every producer's state, by producer id. */
    public List<ProducerState> all() {
        List<ProducerState> out = new ArrayList<>();
        entries.forEach((pid, e) -> out.add(view(pid, e)));
        return out;
    }

    public int size() {
        return entries.size();
    }

    /** Replaces the table's content with loaded states (from a snapshot). */
    public void restore(Collection<ProducerState> states) {
        entries.clear();
        for (ProducerState s : states) {
            Entry e = new Entry(s.epoch());
            List<BatchMetadata> batches = s.batches();
            e.batches.addAll(batches.subList(Math.max(0, batches.size() - window), batches.size()));
            e.txnFirstOffset = s.ongoingTxnFirstOffset();
            entries.put(s.producerId(), e);
        }
    }

    private static ProducerState view(long pid, Entry e) {
        return new ProducerState(pid, e.epoch, List.copyOf(e.batches), e.txnFirstOffset);
    }

    private static AppendCheck reject(Errors error, String message) {
        return new AppendCheck.Reject(error, message);
    }

    /** Kafka's {@code inSequence}: next = last + 1, or 0 after {@code Integer.MAX_VALUE}. */
    static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || nextSeq == 0 && lastSeq == Integer.MAX_VALUE;
    }
}
