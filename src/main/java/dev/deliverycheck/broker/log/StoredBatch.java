package dev.deliverycheck.broker.log;

import dev.deliverycheck.protocol.RecordBatch;

/**
 * A batch as it sits in a partition log: the producer's batch plus the offset of its first record.
 * A data batch takes one offset per record; a control batch (transaction marker) takes one offset.
 */
public record StoredBatch(long baseOffset, RecordBatch batch) {
    public StoredBatch {
        if (baseOffset < 0) {
            throw new IllegalArgumentException("negative base offset " + baseOffset);
        }
    }

    /** Number of offsets the batch occupies. */
    public static int offsetCount(RecordBatch batch) {
        return batch.isControl() ? 1 : Math.max(1, batch.recordCount());
    }

    public long lastOffset() {
        return baseOffset + offsetCount(batch) - 1;
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }
}
