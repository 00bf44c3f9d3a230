package dev.deliverycheck.wire.observe;

import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.TopicPartition;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * The final raw scan of a partition: Fetch requests (version 12, read_uncommitted, straight to the broker, not
 * through the proxy) from offset 0 to the high watermark, keeping every batch's header — producer id, epoch,
 * base sequence, transactional flag — and every control batch, which a consumer never shows.
 */
public final class LogScan {
    private static final short FETCH_VERSION = 12;
    private static final int TIMEOUT_MS = 10_000;
    private static final long RETRY_MS = 100;

    /** One stored batch: a data batch with the record ids it holds, or a COMMIT/ABORT marker. */
    public record Batch(TopicPartition topicPartition, long baseOffset, long producerId, short producerEpoch,
                        int baseSequence, boolean transactional, ControlType control, List<Long> recordIds) {
        public Batch {
            recordIds = List.copyOf(recordIds);
        }
    }

    private LogScan() {
    }

    /** Every batch of {@code topicPartition} in log order; throws IOException when the broker cannot be read. */
    public static List<Batch> scan(InetSocketAddress broker, TopicPartition topicPartition) throws IOException {
        List<Batch> batches = new ArrayList<>();
        try (Socket socket = new Socket()) {
            socket.connect(broker, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            long offset = 0;
            long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
            for (int correlation = 1; ; correlation++) {
                FetchResponseData.PartitionData data = fetch(out, in, correlation, topicPartition, offset);
                Errors error = Errors.forCode(data.errorCode());
                if (error != Errors.NONE) {
                    // A topic created a moment ago may not have its leader in place yet: ask again, within bounds.
                    if (error.exception() instanceof org.apache.kafka.common.errors.RetriableException
                            && System.nanoTime() < deadline) {
                        Thread.sleep(RETRY_MS);
                        continue;
                    }
                    throw new IOException("fetching " + topicPartition + " failed: " + error.name());
                }
                long before = offset;
                for (RecordBatch batch : ((MemoryRecords) data.records()).batches()) {
                    if (batch.lastOffset() < offset) {
                        continue;
                    }
                    batches.add(toBatch(topicPartition, batch));
                    offset = batch.nextOffset();
                }
                if (offset >= data.highWatermark()) {
                    return batches;
                }
                if (offset == before) {
                    throw new IOException("fetching " + topicPartition + " made no progress at offset " + offset);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while scanning " + topicPartition, e);
        }
    }

    private static Batch toBatch(TopicPartition tp, RecordBatch batch) {
        List<Long> ids = new ArrayList<>();
        ControlType control = null;
        for (Record record : batch) {
            if (batch.isControlBatch()) {
                ControlRecordType type = ControlRecordType.parse(record.key());
                control = type == ControlRecordType.COMMIT ? ControlType.COMMIT
                        : type == ControlRecordType.ABORT ? ControlType.ABORT : null;
            } else {
                for (org.apache.kafka.common.header.Header h : record.headers()) {
                    if (h.key().equals(RecordIdInterceptor.HEADER) && h.value() != null && h.value().length == 8) {
                        ids.add(ByteBuffer.wrap(h.value()).getLong());
                    }
                }
            }
        }
        return new Batch(tp, batch.baseOffset(), batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                batch.isTransactional(), control, ids);
    }

    private static FetchResponseData.PartitionData fetch(DataOutputStream out, DataInputStream in, int correlation,
                                                         TopicPartition tp, long offset) throws IOException {
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(0)
                .setMaxBytes(64 * 1024 * 1024).setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1);
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopic(tp.topic());
        topic.partitions().add(new FetchRequestData.FetchPartition().setPartition(tp.partition()).setFetchOffset(offset)
                .setLogStartOffset(-1).setPartitionMaxBytes(16 * 1024 * 1024).setCurrentLeaderEpoch(-1));
        request.topics().add(topic);
        RequestHeader header = new RequestHeader(ApiKeys.FETCH, FETCH_VERSION, "deliverycheck-scan", correlation);
        ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), request, FETCH_VERSION);
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
        int size = in.readInt();
        if (size < 0 || size > 128 * 1024 * 1024) {
            throw new IOException("the broker answered a Fetch with a frame of " + size + " bytes");
        }
        byte[] answer = new byte[size];
        in.readFully(answer);
        ByteBuffer buffer = ByteBuffer.wrap(answer);
        ResponseHeader.parse(buffer, ApiKeys.FETCH.responseHeaderVersion(FETCH_VERSION));
        FetchResponseData response = new FetchResponseData(new ByteBufferAccessor(buffer), FETCH_VERSION);
        if (response.errorCode() != Errors.NONE.code()) {
            throw new IOException("Fetch failed: " + Errors.forCode(response.errorCode()).name());
        }
        for (FetchResponseData.FetchableTopicResponse t : response.responses()) {
            for (FetchResponseData.PartitionData p : t.partitions()) {
                if (p.partitionIndex() == tp.partition()) {
                    return p;
                }
            }
        }
        throw new IOException("the Fetch answer did not include " + tp);
    }
}
