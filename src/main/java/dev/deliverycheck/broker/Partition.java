package dev.deliverycheck.broker;

import dev.deliverycheck.broker.idempotence.AppendCheck;
import dev.deliverycheck.broker.idempotence.ProducerStateSnapshots;
import dev.deliverycheck.broker.idempotence.ProducerStateTable;
import dev.deliverycheck.broker.log.BatchCodec;
import dev.deliverycheck.broker.log.CorruptBatchException;
import dev.deliverycheck.broker.log.PartitionLog;
import dev.deliverycheck.broker.log.RecoveryReport;
import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.broker.log.TransactionIndex;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.FetchResponse.FetchedRecord;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One partition led by this broker: its log, its producer-state table (dedup), its transaction
 * index (LSO, aborted ranges) and its producer-state snapshots.
 *
 * <p>Invariant: table and index always describe exactly the batches in the log, because every
 * append goes through {@link #append} and recovery rebuilds both from storage. The high
 * watermark is the log's flushed offset: readers are only shown durable data.
 */
final class Partition {
    private final TopicPartition tp;
    private final PartitionLog log;
    private final ProducerStateTable producers;
    private final ProducerStateSnapshots snapshots;
    private final TransactionIndex transactions = new TransactionIndex();
    /**
     * KIP-890 verification guards (Kafka's {@code VerificationGuard}): producer id &rarr; the guard
     * of its verification in progress here. A marker for the producer removes it, so a verdict that
     * was overtaken by a marker can no longer open a transaction the marker already closed.
     */
    private final java.util.Map<Long, Object> verificationGuards = new java.util.HashMap<>();
    private final int producersRestored;

    private Partition(Storage storage, TopicPartition tp, BrokerConfig config) {
        this.tp = tp;
        this.producers = new ProducerStateTable(config.producerStateWindow(), config.fencingEnabled(),
                config.bumpEpochPerTxn(), !config.has(BrokerConfig.Flaw.NO_SEQUENCE_RESET_ON_NEW_EPOCH));
        this.snapshots = new ProducerStateSnapshots(storage, tp);
        this.log = PartitionLog.open(storage, tp, config.logSegmentBytes(), transactions::onAppend);
        if (config.producerStateRecovery()) {
            restoreProducerState(config);
        }
        this.producersRestored = producers.size();
    }

    /** Opens (recovers) the partition from storage. */
    static Partition open(Storage storage, TopicPartition tp, BrokerConfig config) {
        return new Partition(storage, tp, config);
    }

    /** Latest snapshot at or below the recovered log end, then a replay of the log after it. */
    private void restoreProducerState(BrokerConfig config) {
        Optional<ProducerStateSnapshots.Snapshot> snapshot = snapshots.loadLatest(log.logEndOffset());
        long from = 0;
        if (snapshot.isPresent()) {
            producers.restore(snapshot.get().states());
            // The skip-replay flaw (negative tests only) trusts the snapshot as if it were the log end.
            from = config.has(BrokerConfig.Flaw.SKIP_REPLAY_AFTER_SNAPSHOT) ? log.logEndOffset() : snapshot.get().offset();
        }
        try {
            while (from < log.logEndOffset()) {
                List<StoredBatch> batches = log.read(from, log.logEndOffset(), 1000);
                for (StoredBatch b : batches) {
                    if (b.baseOffset() >= from) {
                        producers.onAppend(b);
                    }
                }
                from = batches.get(batches.size() - 1).nextOffset();
            }
        } catch (CorruptBatchException e) {
            // The recovery pass validated these bytes a moment ago; failing now means the device is broken.
            throw new IllegalStateException(tp + ": log changed under recovery: " + e.getMessage(), e);
        }
    }

    TopicPartition topicPartition() {
        return tp;
    }

    RecoveryReport recoveryReport() {
        return log.recoveryReport();
    }

    int producersRestored() {
        return producersRestored;
    }

    long logEndOffset() {
        return log.logEndOffset();
    }

    /** Durable log end: the high watermark of a single-copy partition. */
    long highWatermark() {
        return log.flushedOffset();
    }

    long lastStableOffset() {
        return transactions.lastStableOffset(highWatermark());
    }

    boolean hasUnflushedData() {
        return log.flushedOffset() < log.logEndOffset();
    }

    /**
     * KIP-890 part 1: a transactional batch needs verification unless its producer has an open
     * transaction here in the batch's epoch (Kafka's {@code hasOngoingTransaction(producerId,
     * producerEpoch)}): with an epoch bump per transaction (part 2) a batch of the next epoch
     * belongs to the next transaction even while the last one's marker is still on its way, and
     * under transaction version 2 its verification is what adds the partition to that transaction.
     */
    boolean needsVerification(RecordBatch batch) {
        return batch.transactional() && !(transactions.hasOngoing(batch.producerId())
                && producers.get(batch.producerId()).map(s -> s.epoch() == batch.producerEpoch()).orElse(false));
    }

    /** The guard of a verification of this producer starting (or already in progress) here. */
    Object verificationGuard(long producerId) {
        return verificationGuards.computeIfAbsent(producerId, pid -> new Object());
    }

    /** Whether no marker of the producer was written here since {@code guard} was handed out. */
    boolean verificationGuardHolds(long producerId, Object guard) {
        return verificationGuards.get(producerId) == guard;
    }

    AppendCheck check(RecordBatch batch) {
        return batch.hasProducerId() ? producers.check(batch) : AppendCheck.ACCEPT;
    }

    /** BrokerAppend: writes an accepted batch (volatile until {@link #flush}). */
    StoredBatch append(RecordBatch batch) {
        return append(batch, BatchCodec.payloadSize(batch));
    }

    /** {@link #append(RecordBatch)} for a batch whose {@link BatchCodec#payloadSize} is already known. */
    StoredBatch append(RecordBatch batch, int payloadSize) {
        PartitionLog.Appended appended = log.append(batch, payloadSize);
        producers.onAppend(appended.stored());
        transactions.onAppend(appended.stored());
        if (appended.rolled()) {
            snapshots.write(log.logEndOffset(), producers);
        }
        return appended.stored();
    }

    Errors checkMarker(long producerId, short epoch) {
        return producers.checkMarker(producerId, epoch);
    }

    /** CoordinatorWriteMarker: appends a COMMIT/ABORT control batch. */
    StoredBatch appendMarker(long producerId, short epoch, ControlType type) {
        verificationGuards.remove(producerId);
        return append(RecordBatch.marker(tp, producerId, epoch, type));
    }

    /** BrokerFlush: makes every appended batch durable. Returns whether there was anything to flush. */
    boolean flush() {
        return log.flush();
    }

    /** The files {@link #flush} would fsync, for a caller that fsyncs several partitions at once. */
    List<String> unflushedFiles() {
        return log.unflushedSegmentNames();
    }

    /** BrokerFlush after the caller made every one of {@link #unflushedFiles} durable. Returns whether there was anything to flush. */
    boolean flushed() {
        return log.flushed();
    }

    /** Snapshot of the producer state at the log end (clean shutdown). */
    void snapshot() {
        snapshots.write(log.logEndOffset(), producers);
    }

    ProducerStateTable producers() {
        return producers;
    }

    /** Stored batches and the aborted transactions overlapping them; an error if stored data is corrupt. */
    record BatchesResult(Errors error, List<StoredBatch> batches, List<long[]> aborted) {
    }

    /** Batches from the one holding {@code fromOffset} below the high watermark, about {@code maxBytes}. */
    BatchesResult readBatches(long fromOffset, int maxBytes) {
        long limit = highWatermark();
        List<StoredBatch> out = new ArrayList<>();
        long from = fromOffset;
        int bytes = 0;
        try {
            while (from < limit && (out.isEmpty() || bytes < maxBytes)) {
                List<StoredBatch> batches = log.read(from, limit, 16);
                if (batches.isEmpty()) {
                    break;
                }
                for (StoredBatch stored : batches) {
                    if (stored.baseOffset() >= limit || (!out.isEmpty() && bytes >= maxBytes)) {
                        break;
                    }
                    out.add(stored);
                    bytes += stored.batch().sizeInBytes();
                }
                from = batches.get(batches.size() - 1).nextOffset();
            }
        } catch (CorruptBatchException e) {
            return new BatchesResult(Errors.CORRUPT_MESSAGE, List.of(), List.of());
        }
        long to = out.isEmpty() ? fromOffset : out.get(out.size() - 1).nextOffset();
        return new BatchesResult(Errors.NONE, out, transactions.abortedBetween(fromOffset, to));
    }

    /** Result of a read: records, or an error if stored data turned out corrupt. */
    record ReadResult(Errors error, List<FetchedRecord> records) {
    }

    /**
     * Data records from {@code fetchOffset}: up to the high watermark for READ_UNCOMMITTED; up to
     * the last stable offset without aborted transactions' records for READ_COMMITTED. Control
     * batches are never returned.
     */
    ReadResult read(long fetchOffset, int maxRecords, IsolationLevel isolation) {
        long limit = isolation == IsolationLevel.READ_COMMITTED ? lastStableOffset() : highWatermark();
        List<FetchedRecord> out = new ArrayList<>();
        long from = fetchOffset;
        try {
            while (from < limit && out.size() < maxRecords) {
                List<StoredBatch> batches = log.read(from, limit, 100);
                if (batches.isEmpty()) {
                    break;
                }
                for (StoredBatch stored : batches) {
                    collect(stored, fetchOffset, limit, maxRecords, isolation, out);
                }
                from = batches.get(batches.size() - 1).nextOffset();
            }
        } catch (CorruptBatchException e) {
            return new ReadResult(Errors.CORRUPT_MESSAGE, List.of());
        }
        return new ReadResult(Errors.NONE, out);
    }

    private void collect(StoredBatch stored, long fetchOffset, long limit, int maxRecords, IsolationLevel isolation,
                         List<FetchedRecord> out) {
        RecordBatch b = stored.batch();
        if (b.isControl()) {
            return;
        }
        for (int i = 0; i < b.recordCount() && out.size() < maxRecords; i++) {
            long offset = stored.baseOffset() + i;
            if (offset < fetchOffset || offset >= limit) {
                continue;
            }
            if (isolation == IsolationLevel.READ_COMMITTED && b.transactional()
                    && transactions.isAborted(b.producerId(), offset)) {
                continue;
            }
            out.add(new FetchedRecord(offset, b.producerId(), b.producerEpoch(), b.records().get(i)));
        }
    }
}
