package dev.deliverycheck.wire;

import dev.deliverycheck.broker.Broker;
import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Fetch and ListOffsets. Fetch answers with Kafka record batches rebuilt from the stored batches
 * (data batches with their producer id, epoch, base sequence and transactional flag; markers as
 * control batches), up to the high watermark, or for {@code read_committed} up to the last stable
 * offset with the aborted transactions listed, so a real consumer filters aborted batches itself.
 * Fetch sessions are not kept: every answer has session id 0, which tells a client to send full
 * fetches. A Fetch with nothing to return waits up to {@code max.wait.ms} (capped) for new data.
 *
 * <p>Why rebuild instead of storing the client's original bytes: the broker's log keeps one
 * format, the project's batch, which dedup, crash recovery, the simulations and the trace
 * validation all read; a second log of Kafka bytes (or a new stored format) would duplicate that
 * recovery logic or change every simulated history. The stored batch holds everything a Kafka
 * reader needs (offsets, producer id, epoch, base sequence, transactional flag, markers, and each
 * record's timestamp, key, value and headers); what is lost is only the client's compression and
 * batch-level details no reader here uses (LogAppendTime, record attributes). The cost is CPU on
 * Fetch, not on the produce path.
 *
 * <p>Invariant: a reader is shown only durable data (below the high watermark), and a
 * read_committed reader nothing at or above the last stable offset.
 */
final class FetchHandler {
    /** Longest a Fetch waits for data, whatever the client asks, so a connection is never parked long. */
    private static final int MAX_WAIT_CAP_MS = 500;
    private static final long EARLIEST = -2L;
    private static final long LATEST = -1L;
    private static final long EARLIEST_LOCAL = -4L;

    private final WireBroker wire;

    FetchHandler(WireBroker wire) {
        this.wire = wire;
    }

    FetchResponseData fetch(FetchRequestData r, short v) {
        boolean committed = r.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        long deadline = System.nanoTime() + Math.min(Math.max(r.maxWaitMs(), 0), MAX_WAIT_CAP_MS) * 1_000_000L;
        while (true) {
            long seen = wire.changeCount();
            int[] bytes = {0};
            FetchResponseData out = read(r, v, committed, bytes);
            long left = deadline - System.nanoTime();
            if (bytes[0] >= Math.max(1, r.minBytes()) || left <= 0 || bytes[0] < 0) {
                return out;
            }
            try {
                wire.awaitChange(seen, Math.max(1, left / 1_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return out;
            }
        }
    }

    private FetchResponseData read(FetchRequestData r, short v, boolean committed, int[] bytes) {
        FetchResponseData out = new FetchResponseData();
        int budget = r.maxBytes() > 0 ? r.maxBytes() : Integer.MAX_VALUE;
        for (FetchRequestData.FetchTopic t : r.topics()) {
            String name = v >= 13 ? KafkaCodec.topicNamed(wire.metadata(), t.topicId()) : t.topic();
            FetchResponseData.FetchableTopicResponse tr = new FetchResponseData.FetchableTopicResponse();
            if (v >= 13) {
                tr.setTopicId(t.topicId());
            } else {
                tr.setTopic(t.topic());
            }
            out.responses().add(tr);
            for (FetchRequestData.FetchPartition fp : t.partitions()) {
                FetchResponseData.PartitionData pd = new FetchResponseData.PartitionData()
                        .setPartitionIndex(fp.partition());
                tr.partitions().add(pd);
                if (name == null || fp.partition() < 0 || fp.partition() >= wire.metadata().partitionCount(name)) {
                    pd.setErrorCode((v >= 13 && name == null ? Errors.UNKNOWN_TOPIC_ID
                            : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
                    continue;
                }
                int max = Math.min(budget, fp.partitionMaxBytes() > 0 ? fp.partitionMaxBytes() : budget);
                int used = partition(new TopicPartition(name, fp.partition()), fp.fetchOffset(), max, committed, v, pd);
                budget -= Math.max(0, used);
                bytes[0] += Math.max(0, used);
            }
        }
        return out;
    }

    /** Fills one partition's answer; returns the record bytes it carries. */
    private int partition(TopicPartition tp, long offset, int maxBytes, boolean committed, short v,
                          FetchResponseData.PartitionData pd) {
        Broker.BatchRead read = wire.broker().readBatches(tp, Math.max(offset, 0), Math.max(maxBytes, 1));
        pd.setHighWatermark(read.highWatermark()).setLastStableOffset(read.lastStableOffset());
        if (v >= 5) {
            pd.setLogStartOffset(0);
        }
        if (read.error() != dev.deliverycheck.protocol.Errors.NONE) {
            pd.setErrorCode((short) read.error().code());
            return 0;
        }
        if (offset < 0 || offset > read.highWatermark()) {
            pd.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
            return 0;
        }
        long limit = committed ? read.lastStableOffset() : read.highWatermark();
        List<ByteBuffer> batches = new ArrayList<>();
        int size = 0;
        for (StoredBatch b : read.batches()) {
            if (b.baseOffset() >= limit) {
                break;
            }
            ByteBuffer encoded = KafkaCodec.encode(b);
            if (!batches.isEmpty() && size + encoded.remaining() > maxBytes) {
                break;
            }
            batches.add(encoded);
            size += encoded.remaining();
        }
        if (committed) {
            List<FetchResponseData.AbortedTransaction> aborted = new ArrayList<>();
            for (long[] a : read.aborted()) {
                if (a[1] < limit) {
                    aborted.add(new FetchResponseData.AbortedTransaction().setProducerId(a[0]).setFirstOffset(a[1]));
                }
            }
            pd.setAbortedTransactions(aborted);
        }
        pd.setRecords(KafkaCodec.records(batches));
        return size;
    }


    ListOffsetsResponseData listOffsets(ListOffsetsRequestData r, short v) {
        boolean committed = v >= 2 && r.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        ListOffsetsResponseData out = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic t : r.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse tr =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(t.name());
            out.topics().add(tr);
            for (ListOffsetsRequestData.ListOffsetsPartition p : t.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse pr =
                        new ListOffsetsResponseData.ListOffsetsPartitionResponse().setPartitionIndex(p.partitionIndex());
                tr.partitions().add(pr);
                if (t.name() == null || p.partitionIndex() < 0
                        || p.partitionIndex() >= wire.metadata().partitionCount(t.name())) {
                    pr.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    continue;
                }
                TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                long offset;
                if (p.timestamp() == EARLIEST || p.timestamp() == EARLIEST_LOCAL) {
                    offset = 0;
                } else if (p.timestamp() == LATEST) {
                    offset = committed ? wire.broker().lastStableOffset(tp) : wire.broker().highWatermark(tp);
                } else if (p.timestamp() >= 0) {
                    offset = firstOffsetAtOrAfter(tp, p.timestamp());
                } else {
                    pr.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
                    continue;
                }
                pr.setTimestamp(-1).setOffset(offset);
                if (v >= 4) {
                    pr.setLeaderEpoch(KafkaCodec.LEADER_EPOCH);
                }
            }
        }
        return out;
    }

    /** Kafka's timestamp lookup: the first offset whose record timestamp is at or after {@code ts}, else the log end. */
    private long firstOffsetAtOrAfter(TopicPartition tp, long ts) {
        long hw = wire.broker().highWatermark(tp);
        long from = 0;
        while (from < hw) {
            Broker.BatchRead read = wire.broker().readBatches(tp, from, 1 << 20);
            if (read.batches().isEmpty()) {
                break;
            }
            for (StoredBatch b : read.batches()) {
                for (int i = 0; i < b.batch().recordCount(); i++) {
                    if (b.batch().records().get(i).timestamp() >= ts) {
                        return b.baseOffset() + i;
                    }
                }
            }
            from = read.batches().get(read.batches().size() - 1).nextOffset();
        }
        return hw;
    }
}
