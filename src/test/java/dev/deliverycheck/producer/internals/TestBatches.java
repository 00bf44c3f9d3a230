package dev.deliverycheck.producer.internals;

import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.concurrent.CompletableFuture;

/** Batches of one-byte records with ids unique within one instance, for the TransactionManager tests. */
final class TestBatches {
    private long ids;

    ProducerBatch of(TopicPartition tp, int records) {
        ProducerBatch b = new ProducerBatch(tp, 100_000, 0);
        for (int i = 0; i < records; i++) {
            b.tryAppend(Record.withId(ids++, 0, null, new byte[1]),
                    new RecordCompletion(ids, tp, new CompletableFuture<>(), null, 0, n -> { }));
        }
        return b;
    }
}
