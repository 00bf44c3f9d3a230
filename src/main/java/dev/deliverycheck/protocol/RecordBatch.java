package dev.deliverycheck.protocol;

import java.util.List;
import java.util.Objects;

/**
 * A batch of records for one partition, as the producer sends it and the broker stores it.
 *
 * <p>Producer id, epoch and base sequence are {@link #NO_PRODUCER_ID}, {@link #NO_PRODUCER_EPOCH}
 * and {@link #NO_SEQUENCE} for a non-idempotent producer. A control batch
 * ({@code controlType != null}) carries a transaction marker and no records.
 */
public record RecordBatch(
        TopicPartition topicPartition,
        long producerId,
        short producerEpoch,
        int baseSequence,
        boolean transactional,
        ControlType controlType,
        List<Record> records) {

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;

    public RecordBatch {
        Objects.requireNonNull(topicPartition, "topicPartition");
        records = List.copyOf(records);
    }

    /** A plain data batch of a producer without idempotence. */
    public static RecordBatch plain(TopicPartition tp, List<Record> records) {
        return new RecordBatch(tp, NO_PRODUCER_ID, NO_PRODUCER_EPOCH, NO_SEQUENCE, false, null, records);
    }

    /** A transaction marker (control batch) for one partition. */
    public static RecordBatch marker(TopicPartition tp, long producerId, short epoch, ControlType type) {
        return new RecordBatch(tp, producerId, epoch, NO_SEQUENCE, true, type, List.of());
    }

    public boolean isControl() {
        return controlType != null;
    }

    public boolean hasProducerId() {
        return producerId != NO_PRODUCER_ID;
    }

    public int recordCount() {
        return records.size();
    }

    /**
     * Sequence of the last record: base + count - 1, wrapping at {@link Integer#MAX_VALUE}
     * to 0 as Kafka's {@code DefaultRecordBatch.incrementSequence} does.
     */
    public int lastSequence() {
        if (baseSequence == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        return Sequences.increment(baseSequence, Math.max(0, records.size() - 1));
    }

    public int sizeInBytes() {
        int size = 61; // Kafka's batch header overhead
        for (Record r : records) {
            size += r.sizeInBytes();
        }
        return size;
    }

    public List<Long> recordIds() {
        return records.stream().map(Record::recordId).toList();
    }
}
