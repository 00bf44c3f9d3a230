package dev.deliverycheck.broker.log;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the transactions of one partition start and end: the open ones (for the last stable
 * offset) and the aborted ones (for {@code read_committed} filtering).
 *
 * <p>Invariant: built from the log alone, in log order ({@link #onAppend}): a transaction opens
 * at the first transactional data batch of a producer with no open transaction, and closes at the
 * producer's next COMMIT/ABORT marker. A marker with no open transaction (a retried marker) changes
 * nothing. The last stable offset counts a transaction as decided only once its marker is below
 * the high watermark, so a reader never sees a decision a crash could take back.
 */
public final class TransactionIndex {
    /** Open transactions: producer id &rarr; offset of their first batch. */
    private final Map<Long, Long> ongoing = new HashMap<>();
    /** Aborted transactions per producer: first offset &rarr; marker offset. */
    private final Map<Long, TreeMap<Long, Long>> aborted = new HashMap<>();
    /** Closed transactions whose marker may still be above the high watermark, by marker offset. */
    private final Deque<long[]> recentlyClosed = new ArrayDeque<>();

    public void onAppend(StoredBatch stored) {
        var batch = stored.batch();
        if (!batch.transactional() || !batch.hasProducerId()) {
            return;
        }
        long pid = batch.producerId();
        if (!batch.isControl()) {
            ongoing.putIfAbsent(pid, stored.baseOffset());
            return;
        }
        Long first = ongoing.remove(pid);
        if (first == null) {
            return;
        }
        if (batch.controlType() == dev.deliverycheck.protocol.ControlType.ABORT) {
            aborted.computeIfAbsent(pid, p -> new TreeMap<>()).put(first, stored.baseOffset());
        }
        recentlyClosed.addLast(new long[] {first, stored.baseOffset()});
    }

    /** Whether the data record at {@code offset} of producer {@code pid} belongs to an aborted transaction. */
    public boolean isAborted(long pid, long offset) {
        TreeMap<Long, Long> ranges = aborted.get(pid);
        if (ranges == null) {
            return false;
        }
        Map.Entry<Long, Long> e = ranges.floorEntry(offset);
        return e != null && offset < e.getValue();
    }

    /**
     * The last stable offset for a high watermark: the first offset of the earliest transaction
     * not yet durably decided, or the high watermark if there is none.
     */
    public long lastStableOffset(long highWatermark) {
        long lso = highWatermark;
        for (long first : ongoing.values()) {
            lso = Math.min(lso, first);
        }
        while (!recentlyClosed.isEmpty() && recentlyClosed.peekFirst()[1] < highWatermark) {
            recentlyClosed.removeFirst();
        }
        for (long[] closed : recentlyClosed) {
            lso = Math.min(lso, closed[0]);
        }
        return lso;
    }

    /**
     * (producer id, first offset) of every aborted transaction whose range overlaps
     * [{@code from}, {@code to}), ordered by first offset: Kafka's {@code abortedTransactions}.
     */
    public java.util.List<long[]> abortedBetween(long from, long to) {
        java.util.List<long[]> out = new java.util.ArrayList<>();
        aborted.forEach((pid, ranges) -> ranges.forEach((first, marker) -> {
            if (first < to && marker >= from) {
                out.add(new long[] {pid, first});
            }
        }));
        out.sort(java.util.Comparator.comparingLong(a -> a[1]));
        return out;
    }

    /** Number of open transactions on the partition. */
    public int ongoingCount() {
        return ongoing.size();
    }

    public boolean hasOngoing(long pid) {
        return ongoing.containsKey(pid);
    }
}
