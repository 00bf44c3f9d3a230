package dev.deliverycheck.producer.internals;

import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.Sequences;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;

/**
 * Records for one partition that travel together, Kafka's {@code ProducerBatch}.
 *
 * <p>Invariants: records are only appended while the batch is open (before its first drain and
 * before an append failed for lack of room); producer id, epoch and base sequence are stamped
 * once, at the first drain, and a retry resends them unchanged — only an epoch bump of an
 * unsent-again batch rewrites them ({@link #resetProducerState}); the batch completes (succeeds
 * or fails) at most once, and completing it completes every record in append order.
 */
public final class ProducerBatch {
    /** Bytes of batch header on the wire, before any record (Kafka's record batch overhead). */
    public static final int BATCH_OVERHEAD = RecordBatch.plain(new TopicPartition("t", 0), List.of()).sizeInBytes();

    private enum FinalState { SUCCEEDED, FAILED }

    private final TopicPartition topicPartition;
    private final long createdMs;
    private final int capacity;
    /** A batch past this many records is sized once for as many as its capacity takes (no repeated growth). */
    private static final int PRESIZE_AT = 10;
    private static final int PRESIZE_MAX = 1024;
    private final ArrayList<Record> records = new ArrayList<>();
    private final ArrayList<RecordCompletion> completions = new ArrayList<>();
    private int sizeInBytes = BATCH_OVERHEAD;
    private boolean appendsClosed;

    private int attempts;
    private long lastAttemptMs;
    private long retryBackoffMs;
    private boolean drainedOnce;
    private boolean inRequest;

    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private boolean transactional;
    private long ordinal = -1;
    private boolean sequenceHasBeenReset;
    private FinalState finalState;

    public ProducerBatch(TopicPartition topicPartition, int capacity, long createdMs) {
        this.topicPartition = topicPartition;
        this.capacity = capacity;
        this.createdMs = createdMs;
        this.lastAttemptMs = createdMs;
    }

    /** Bytes a record adds to a batch. */
    public static int recordSize(Record record) {
        return record.sizeInBytes();
    }

    /** Bytes a batch holding only this record takes: what the producer checks against max.request.size. */
    public static int sizeAlone(Record record) {
        return BATCH_OVERHEAD + recordSize(record);
    }

    /** Appends if the batch is open and has room (an empty batch always has room). */
    public boolean tryAppend(Record record, RecordCompletion completion) {
        if (appendsClosed) {
            return false;
        }
        int size = recordSize(record);
        if (!records.isEmpty() && sizeInBytes + size > capacity) {
            return false;
        }
        if (records.size() == PRESIZE_AT) {
            int expected = Math.min(PRESIZE_MAX, capacity / Math.max(1, size) + 1);
            records.ensureCapacity(expected);
            completions.ensureCapacity(expected);
        }
        records.add(record);
        completions.add(completion);
        sizeInBytes += size;
        return true;
    }

    public boolean hasRoomFor(Record record) {
        return records.isEmpty() || sizeInBytes + recordSize(record) <= capacity;
    }

    /** No more records will be appended: closed, or filled to its capacity. */
    public boolean isFull() {
        return appendsClosed || sizeInBytes >= capacity;
    }

    public void closeForAppends() {
        appendsClosed = true;
    }

    /** Drained into a request: it is closed for appends from now on. */
    void drained(long nowMs) {
        appendsClosed = true;
        drainedOnce = true;
    }

    /** Back in the queue for another attempt, not before {@code backoffMs} from now. */
    void reenqueued(long nowMs, long backoffMs) {
        attempts++;
        lastAttemptMs = nowMs;
        retryBackoffMs = backoffMs;
    }

    public long waitedTimeMs(long nowMs) {
        return Math.max(0, nowMs - lastAttemptMs);
    }

    /** In retry backoff at {@code nowMs}. */
    public boolean backingOff(long nowMs) {
        return attempts > 0 && waitedTimeMs(nowMs) < retryBackoffMs;
    }

    public boolean hasReachedDeliveryTimeout(long deliveryTimeoutMs, long nowMs) {
        return nowMs - createdMs >= deliveryTimeoutMs;
    }

    /**
     * Kafka's {@code sequenceHasBeenReset}: the batch was renumbered under a new epoch, so an
     * OUT_OF_ORDER or UNKNOWN_PRODUCER_ID answer may still concern its old numbers.
     */
    boolean sequenceHasBeenReset() {
        return sequenceHasBeenReset;
    }

    /** Stamps id, epoch and sequence at the first drain; {@code ordinal} orders batches of a partition. */
    void setProducerState(ProducerIdAndEpoch pe, int sequence, boolean isTransactional, long ordinal) {
        this.producerId = pe.producerId();
        this.producerEpoch = pe.epoch();
        this.baseSequence = sequence;
        this.transactional = isTransactional;
        this.ordinal = ordinal;
    }

    /** After an epoch bump: the batch will be sent under the new epoch from a restarted sequence. */
    void resetProducerState(ProducerIdAndEpoch pe, int sequence) {
        this.sequenceHasBeenReset = true;
        this.producerId = pe.producerId();
        this.producerEpoch = pe.epoch();
        this.baseSequence = sequence;
    }

    /** The batch as it goes on the wire. */
    public RecordBatch toRecordBatch() {
        return new RecordBatch(topicPartition, producerId, producerEpoch, baseSequence, transactional, null, records);
    }

    // ProducerSendAcked (one per record)
    boolean succeed(long baseOffset, ProducerEvents events) {
        if (finalState != null) {
            return false;
        }
        finalState = FinalState.SUCCEEDED;
        for (int i = 0; i < completions.size(); i++) {
            completions.get(i).succeed(baseOffset < 0 ? -1 : baseOffset + i, events);
        }
        return true;
    }

    // ProducerSendFailed (one per record)
    boolean fail(RuntimeException error, ProducerEvents events) {
        if (finalState != null) {
            return false;
        }
        finalState = FinalState.FAILED;
        for (RecordCompletion c : completions) {
            c.fail(error, events);
        }
        return true;
    }

    public boolean isDone() {
        return finalState != null;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public long createdMs() {
        return createdMs;
    }

    public int capacity() {
        return capacity;
    }

    public int sizeInBytes() {
        return sizeInBytes;
    }

    public int recordCount() {
        return records.size();
    }

    public List<Record> records() {
        return List.copyOf(records);
    }

    public List<Long> recordIds() {
        List<Long> ids = new ArrayList<>(records.size());
        for (Record r : records) {
            ids.add(r.recordId());
        }
        return ids;
    }

    /** Retries so far (0 before the first retry). */
    public int attempts() {
        return attempts;
    }

    public long lastAttemptMs() {
        return lastAttemptMs;
    }

    public long retryBackoffMs() {
        return retryBackoffMs;
    }

    public boolean wasDrained() {
        return drainedOnce;
    }

    boolean inRequest() {
        return inRequest;
    }

    void inRequest(boolean value) {
        inRequest = value;
    }

    public long producerId() {
        return producerId;
    }

    public short producerEpoch() {
        return producerEpoch;
    }

    public ProducerIdAndEpoch producerIdAndEpoch() {
        return new ProducerIdAndEpoch(producerId, producerEpoch);
    }

    public int baseSequence() {
        return baseSequence;
    }

    public int lastSequence() {
        return baseSequence == RecordBatch.NO_SEQUENCE ? RecordBatch.NO_SEQUENCE
                : Sequences.increment(baseSequence, Math.max(0, records.size() - 1));
    }

    public boolean hasSequence() {
        return baseSequence != RecordBatch.NO_SEQUENCE;
    }

    long ordinal() {
        return ordinal;
    }

    @Override
    public String toString() {
        return "ProducerBatch(" + topicPartition + ", records=" + records.size() + ", pid=" + producerId + ", epoch="
                + producerEpoch + ", seq=" + baseSequence + ", attempts=" + attempts + ")";
    }
}
