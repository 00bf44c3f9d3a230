package dev.deliverycheck.producer.internals;

import dev.deliverycheck.protocol.RecordBatch;

/** A producer id and epoch as the broker hands them out; {@link #NONE} before InitProducerId. */
public record ProducerIdAndEpoch(long producerId, short epoch) {
    public static final ProducerIdAndEpoch NONE =
            new ProducerIdAndEpoch(RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);

    public boolean isValid() {
        return producerId != RecordBatch.NO_PRODUCER_ID;
    }

    @Override
    public String toString() {
        return "(producerId=" + producerId + ", epoch=" + epoch + ")";
    }
}
