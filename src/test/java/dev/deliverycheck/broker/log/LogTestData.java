package dev.deliverycheck.broker.log;

import dev.deliverycheck.protocol.Header;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Batches for log tests, with record ids so tests can see exactly which records a log holds. */
final class LogTestData {
    static final TopicPartition TP = new TopicPartition("orders", 0);

    private LogTestData() {
    }

    /** A plain batch of {@code count} records with ids {@code firstId, firstId+1, ...}. */
    static RecordBatch batch(long firstId, int count) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            records.add(Record.withId(id, 1000 + id, ("k" + id).getBytes(StandardCharsets.UTF_8),
                    ("value-" + id).getBytes(StandardCharsets.UTF_8)));
        }
        return RecordBatch.plain(TP, records);
    }

    static List<Long> ids(List<StoredBatch> batches) {
        List<Long> ids = new ArrayList<>();
        for (StoredBatch b : batches) {
            ids.addAll(b.batch().recordIds());
        }
        return ids;
    }

    static Record recordWithNulls() {
        return new Record(-1, null, null, List.of(new Header("h", null), Record.idHeader(7)));
    }
}
