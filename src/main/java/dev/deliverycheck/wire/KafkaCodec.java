package dev.deliverycheck.wire;

import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.Header;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * The one adapter over kafka-clients' framing and record-batch classes (which moved between
 * packages in 4.4: a later kafka-clients version should touch this class and its test only).
 *
 * <p>Invariants: a request frame either parses completely (header and body at a version this
 * broker serves) or throws {@link MalformedRequestException}, never another exception; a Kafka
 * record batch becomes exactly one project {@link RecordBatch} carrying the same producer id,
 * epoch, base sequence and transactional flag, and the same records (compressed batches are
 * decompressed here); a stored batch is rebuilt as a Kafka batch at the same offsets with the same
 * producer fields, a stored marker as a control batch with the same producer id and epoch.
 */
public final class KafkaCodec {
    /** Partition leader epoch of every batch and answer: partitions never change leader here. */
    public static final int LEADER_EPOCH = 0;

    private KafkaCodec() {
    }

    /** A request whose header or body cannot be parsed. */
    public static final class MalformedRequestException extends Exception {
        public MalformedRequestException(String message) {
            super(message);
        }
    }

    /** A parsed request: its header and body. */
    public record Parsed(RequestHeader header, AbstractRequest request) {
        public ApiKeys apiKey() {
            return header.apiKey();
        }

        public short version() {
            return header.apiVersion();
        }
    }

    /**
     * Parses a frame (without its size prefix). The api key and version must be known to
     * kafka-clients; whether this broker serves them is the caller's decision.
     */
    public static Parsed parse(ByteBuffer frame) throws MalformedRequestException {
        try {
            RequestHeader header = RequestHeader.parse(frame);
            AbstractRequest request = AbstractRequest.parseRequest(header.apiKey(), header.apiVersion(),
                    new ByteBufferAccessor(frame)).request;
            if (frame.hasRemaining()) {
                throw new MalformedRequestException(frame.remaining() + " bytes after the request body");
            }
            return new Parsed(header, request);
        } catch (MalformedRequestException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedRequestException(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** A response frame body (header + message, no size prefix) for {@code header}'s request. */
    public static ByteBuffer serialize(RequestHeader header, ApiMessage response) {
        short version = header.apiVersion();
        ApiKeys key = header.apiKey();
        // ApiVersions answers always use header v0, so a client can read them at any version.
        short headerVersion = key == ApiKeys.API_VERSIONS ? 0 : key.responseHeaderVersion(version);
        return RequestUtils.serialize(header.toResponseHeader().data(), headerVersion, response, version);
    }

    /** An ApiVersions answer at v0 for a client that asked at a version this broker does not serve. */
    public static ByteBuffer serializeAtVersionZero(RequestHeader header, ApiMessage response) {
        return RequestUtils.serialize(header.toResponseHeader().data(), (short) 0, response, (short) 0);
    }

    // --- record batches --------------------------------------------------------------------------

    /** A Kafka batch the project cannot take (wrong magic, bad CRC, undecodable records). */
    public static final class CorruptBatchException extends Exception {
        public CorruptBatchException(String message) {
            super(message);
        }
    }

    /**
     * The record batches of one partition of a Produce request, decompressed. Only magic v2 batches
     * (Produce v3 and later) are taken; control batches are refused as Kafka refuses them from clients.
     */
    public static List<RecordBatch> decodeBatches(TopicPartition tp, ByteBuffer records) throws CorruptBatchException {
        List<RecordBatch> out = new ArrayList<>();
        try {
            for (MutableRecordBatch b : MemoryRecords.readableRecords(records.duplicate()).batches()) {
                if (b.magic() != org.apache.kafka.common.record.internal.RecordBatch.MAGIC_VALUE_V2) {
                    throw new CorruptBatchException("record batch magic " + b.magic() + " (only v2 is served)");
                }
                b.ensureValid();
                if (b.isControlBatch()) {
                    throw new CorruptBatchException("control batch from a client");
                }
                List<Record> recs = new ArrayList<>();
                for (org.apache.kafka.common.record.internal.Record r : b) {
                    recs.add(new Record(r.timestamp(), bytes(r.key()), bytes(r.value()), headers(r)));
                }
                out.add(new RecordBatch(tp, b.producerId(), b.producerEpoch(), b.baseSequence(), b.isTransactional(),
                        null, recs));
            }
        } catch (CorruptBatchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptBatchException(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return out;
    }

    private static List<Header> headers(org.apache.kafka.common.record.internal.Record r) {
        org.apache.kafka.common.header.Header[] hs = r.headers();
        if (hs.length == 0) {
            return List.of();
        }
        List<Header> out = new ArrayList<>(hs.length);
        for (org.apache.kafka.common.header.Header h : hs) {
            out.add(new Header(h.key(), h.value()));
        }
        return out;
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /**
     * A stored batch as a Kafka batch (uncompressed) at its offsets: data batches keep producer id,
     * epoch, base sequence and the transactional flag; a marker becomes a control batch.
     */
    public static ByteBuffer encode(StoredBatch stored) {
        RecordBatch b = stored.batch();
        if (b.isControl()) {
            ControlRecordType type = b.controlType() == ControlType.COMMIT ? ControlRecordType.COMMIT
                    : ControlRecordType.ABORT;
            return MemoryRecords.withEndTransactionMarker(stored.baseOffset(), 0L, LEADER_EPOCH, b.producerId(),
                    b.producerEpoch(), new EndTransactionMarker(type, 0)).buffer();
        }
        return build(b, stored.baseOffset(), LEADER_EPOCH);
    }

    /**
     * A batch a producer sends, as the Kafka batch of a Produce request: offsets from 0 (the broker assigns the
     * real ones), no partition leader epoch, the producer id, epoch, base sequence and transactional flag as given.
     */
    public static MemoryRecords encodeForProduce(RecordBatch batch) {
        if (batch.isControl()) {
            throw new IllegalArgumentException("a producer never sends a control batch");
        }
        return MemoryRecords.readableRecords(build(batch, 0L,
                org.apache.kafka.common.record.internal.RecordBatch.NO_PARTITION_LEADER_EPOCH));
    }

    private static ByteBuffer build(RecordBatch b, long baseOffset, int leaderEpoch) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(b.sizeInBytes() + 64),
                org.apache.kafka.common.record.internal.RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
                TimestampType.CREATE_TIME, baseOffset,
                org.apache.kafka.common.record.internal.RecordBatch.NO_TIMESTAMP, b.producerId(), b.producerEpoch(),
                b.baseSequence(), b.transactional(), leaderEpoch);
        long offset = baseOffset;
        for (Record r : b.records()) {
            org.apache.kafka.common.header.Header[] hs = new org.apache.kafka.common.header.Header[r.headers().size()];
            for (int i = 0; i < hs.length; i++) {
                Header h = r.headers().get(i);
                hs[i] = new RecordHeader(h.key(), h.value());
            }
            builder.appendWithOffset(offset++, r.timestamp(), r.key(), r.value(), hs);
        }
        return builder.build().buffer();
    }

    /** Concatenated batches as the {@code records} field of a Fetch answer. */
    public static MemoryRecords records(List<ByteBuffer> batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        all.flip();
        return MemoryRecords.readableRecords(all);
    }

    /** The records field of a Produce partition as a buffer (null when absent). */
    public static ByteBuffer recordsBuffer(org.apache.kafka.common.record.internal.BaseRecords records) {
        if (records instanceof MemoryRecords m) {
            return m.buffer();
        }
        return null;
    }

    /** The topic of {@code metadata} whose id is {@code id}, or null. */
    public static String topicNamed(dev.deliverycheck.protocol.ClusterMetadata metadata, Uuid id) {
        for (String name : metadata.partitionsPerTopic().keySet()) {
            if (topicId(name).equals(id)) {
                return name;
            }
        }
        return null;
    }

    /** A topic's id, derived from its name so it is stable across restarts without being stored. */
    public static Uuid topicId(String topic) {
        UUID u = UUID.nameUUIDFromBytes(("deliverycheck-topic:" + topic).getBytes(StandardCharsets.UTF_8));
        return new Uuid(u.getMostSignificantBits(), u.getLeastSignificantBits());
    }
}
