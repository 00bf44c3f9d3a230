package dev.deliverycheck.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.Header;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

/** The adapter over kafka-clients: the classes it relies on, and batches and frames both ways. */
class KafkaCodecTest {
    private static final TopicPartition TP = new TopicPartition("t", 2);

    /** A kafka-clients upgrade that moves or renames these fails here first (4.4 moved them, KAFKA-20128). */
    @Test
    void theKafkaClassesTheCodecUsesAreWhereItExpectsThem() throws Exception {
        for (String name : List.of("org.apache.kafka.common.record.internal.MemoryRecords",
                "org.apache.kafka.common.record.internal.DefaultRecordBatch",
                "org.apache.kafka.common.record.internal.EndTransactionMarker",
                "org.apache.kafka.common.record.internal.ControlRecordType",
                "org.apache.kafka.common.record.internal.MemoryRecordsBuilder",
                "org.apache.kafka.common.record.TimestampType",
                "org.apache.kafka.common.requests.RequestHeader",
                "org.apache.kafka.common.requests.AbstractRequest",
                "org.apache.kafka.common.requests.RequestUtils")) {
            assertThat(Class.forName(name)).as(name).isNotNull();
        }
        assertThat(org.apache.kafka.common.utils.internals.AppInfoParser.getVersion()).isEqualTo("4.4.0");
    }

    @Test
    void everyServedVersionRangeIsOneKafkaClientsKnows() {
        for (Map.Entry<ApiKeys, short[]> e : ServedApis.ranges().entrySet()) {
            assertThat(e.getValue()[0]).as(e.getKey() + " min").isGreaterThanOrEqualTo(e.getKey().oldestVersion());
            assertThat(e.getValue()[1]).as(e.getKey() + " max").isLessThanOrEqualTo(e.getKey().latestVersion());
        }
    }

    @Test
    void aStoredDataBatchBecomesAKafkaBatchWithTheSameProducerFieldsAndRecords() throws Exception {
        Record r1 = new Record(1000L, "k".getBytes(), "v1".getBytes(), List.of(Record.idHeader(7), new Header("x", null)));
        Record r2 = new Record(1001L, null, "v2".getBytes(), List.of());
        RecordBatch batch = new RecordBatch(TP, 42L, (short) 3, 10, true, null, List.of(r1, r2));
        ByteBuffer kafka = KafkaCodec.encode(new StoredBatch(100L, batch));

        MutableRecordBatch b = MemoryRecords.readableRecords(kafka.duplicate()).batches().iterator().next();
        assertThat(b.baseOffset()).isEqualTo(100L);
        assertThat(b.lastOffset()).isEqualTo(101L);
        assertThat(b.producerId()).isEqualTo(42L);
        assertThat(b.producerEpoch()).isEqualTo((short) 3);
        assertThat(b.baseSequence()).isEqualTo(10);
        assertThat(b.isTransactional()).isTrue();
        assertThat(b.isControlBatch()).isFalse();

        List<RecordBatch> back = KafkaCodec.decodeBatches(TP, kafka);
        assertThat(back).containsExactly(batch);
        assertThat(back.get(0).records().get(0).recordId()).isEqualTo(7L);
    }

    @Test
    void aStoredMarkerBecomesAControlBatch() {
        for (ControlType type : ControlType.values()) {
            ByteBuffer kafka = KafkaCodec.encode(new StoredBatch(5L, RecordBatch.marker(TP, 9L, (short) 1, type)));
            MutableRecordBatch b = MemoryRecords.readableRecords(kafka).batches().iterator().next();
            assertThat(b.isControlBatch()).isTrue();
            assertThat(b.isTransactional()).isTrue();
            assertThat(b.baseOffset()).isEqualTo(5L);
            assertThat(b.producerId()).isEqualTo(9L);
            EndTransactionMarker marker = EndTransactionMarker.deserialize(b.iterator().next());
            assertThat(marker.controlType()).isEqualTo(type == ControlType.COMMIT ? ControlRecordType.COMMIT
                    : ControlRecordType.ABORT);
        }
    }

    @Test
    void aBatchWithABadCrcOrAControlBatchFromAClientIsRefused() {
        RecordBatch batch = new RecordBatch(TP, 1L, (short) 0, 0, false, null,
                List.of(new Record(1L, null, "v".getBytes(), List.of())));
        ByteBuffer kafka = KafkaCodec.encode(new StoredBatch(0L, batch));
        ByteBuffer flipped = ByteBuffer.allocate(kafka.remaining()).put(kafka.duplicate()).position(0);
        flipped.put(flipped.limit() - 1, (byte) (flipped.get(flipped.limit() - 1) ^ 1));
        assertThatThrownBy(() -> KafkaCodec.decodeBatches(TP, flipped))
                .isInstanceOf(KafkaCodec.CorruptBatchException.class);
        ByteBuffer marker = KafkaCodec.encode(new StoredBatch(0L, RecordBatch.marker(TP, 1L, (short) 0, ControlType.ABORT)));
        assertThatThrownBy(() -> KafkaCodec.decodeBatches(TP, marker))
                .isInstanceOf(KafkaCodec.CorruptBatchException.class).hasMessageContaining("control batch");
    }

    @Test
    void aValidFrameParsesAndATruncatedOrPaddedOneIsMalformed() throws Exception {
        RequestHeader header = new RequestHeader(ApiKeys.METADATA, (short) 12, "c", 77);
        MetadataRequest request = new MetadataRequest(new MetadataRequestData().setTopics(null), (short) 12);
        ByteBuffer frame = request.serializeWithHeader(header);
        KafkaCodec.Parsed parsed = KafkaCodec.parse(frame.duplicate());
        assertThat(parsed.apiKey()).isEqualTo(ApiKeys.METADATA);
        assertThat(parsed.header().correlationId()).isEqualTo(77);

        ByteBuffer truncated = frame.duplicate();
        truncated.limit(truncated.limit() / 2);
        assertThatThrownBy(() -> KafkaCodec.parse(truncated)).isInstanceOf(KafkaCodec.MalformedRequestException.class);
        ByteBuffer padded = ByteBuffer.allocate(frame.remaining() + 3).put(frame.duplicate()).position(0);
        assertThatThrownBy(() -> KafkaCodec.parse(padded)).isInstanceOf(KafkaCodec.MalformedRequestException.class);
        assertThatThrownBy(() -> KafkaCodec.parse(ByteBuffer.wrap(new byte[] {0, 3})))
                .isInstanceOf(KafkaCodec.MalformedRequestException.class);
    }
}
