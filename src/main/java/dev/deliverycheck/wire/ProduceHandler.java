package dev.deliverycheck.wire;

import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Produce: each partition's Kafka batch becomes one project {@link RecordBatch} in one project
 * {@code ProduceRequest}; the broker validates, deduplicates and appends, and its per-partition
 * results become the Kafka answer (topics by name, or by id from v13).
 *
 * <p>Invariant: every partition of the request gets exactly one result in the answer: the broker's,
 * or an error decided here (unknown topic or id, a partition without exactly one decodable batch)
 * for partitions that never reach the broker. acks=0 gets no answer, as in Kafka.
 */
final class ProduceHandler {
    private final WireBroker broker;

    ProduceHandler(WireBroker broker) {
        this.broker = broker;
    }

    private record Slot(String name, Uuid id, int partition) {
    }

    CompletableFuture<ApiMessage> handle(org.apache.kafka.common.requests.ProduceRequest request, short v) {
        ProduceRequestData r = request.data();
        Map<Slot, Errors> local = new LinkedHashMap<>();
        Map<Slot, TopicPartition> forwarded = new LinkedHashMap<>();
        List<RecordBatch> batches = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData t : r.topicData()) {
            String name = v >= 13 ? KafkaCodec.topicNamed(broker.metadata(), t.topicId()) : t.name();
            for (ProduceRequestData.PartitionProduceData pd : t.partitionData()) {
                Slot slot = new Slot(t.name(), t.topicId(), pd.index());
                if (name == null || broker.metadata().partitionCount(name) < 1) {
                    local.put(slot, v >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION);
                    continue;
                }
                if (pd.index() < 0 || pd.index() >= broker.metadata().partitionCount(name)) {
                    local.put(slot, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                    continue;
                }
                TopicPartition tp = new TopicPartition(name, pd.index());
                ByteBuffer records = KafkaCodec.recordsBuffer(pd.records());
                List<RecordBatch> decoded;
                try {
                    decoded = records == null ? List.of() : KafkaCodec.decodeBatches(tp, records);
                } catch (KafkaCodec.CorruptBatchException e) {
                    local.put(slot, Errors.CORRUPT_MESSAGE);
                    continue;
                }
                if (decoded.size() != 1) {
                    // Produce v3+ carries exactly one batch per partition (Kafka: INVALID_RECORD).
                    local.put(slot, Errors.INVALID_RECORD);
                    continue;
                }
                forwarded.put(slot, tp);
                batches.add(decoded.get(0));
            }
        }
        short acks = r.acks();
        boolean answer = acks != 0;
        if (batches.isEmpty()) {
            return CompletableFuture.completedFuture(answer ? build(v, local, forwarded, null) : null);
        }
        return broker.call(id -> new dev.deliverycheck.protocol.ProduceRequest(id, r.transactionalId(), acks,
                        r.timeoutMs(), batches), answer)
                .thenApply(resp -> answer ? build(v, local, forwarded, (ProduceResponse) resp) : null);
    }


    private static ProduceResponseData build(short v, Map<Slot, Errors> local, Map<Slot, TopicPartition> forwarded,
                                             ProduceResponse resp) {
        ProduceResponseData out = new ProduceResponseData();
        local.forEach((slot, error) -> partition(out, slot, v).setErrorCode(error.code()).setBaseOffset(-1));
        forwarded.forEach((slot, tp) -> {
            ProduceResponse.PartitionResult result = resp.results().get(tp);
            ProduceResponseData.PartitionProduceResponse p = partition(out, slot, v);
            if (result == null) {
                p.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()).setBaseOffset(-1);
                return;
            }
            p.setErrorCode((short) result.error().code()).setBaseOffset(result.baseOffset());
            if (v >= 8 && result.errorMessage() != null && result.error() != dev.deliverycheck.protocol.Errors.NONE) {
                p.setErrorMessage(result.errorMessage());
            }
        });
        return out;
    }

    private static ProduceResponseData.PartitionProduceResponse partition(ProduceResponseData out, Slot slot, short v) {
        ProduceResponseData.TopicProduceResponse t = null;
        for (ProduceResponseData.TopicProduceResponse existing : out.responses()) {
            if (v >= 13 ? existing.topicId().equals(slot.id()) : existing.name().equals(slot.name())) {
                t = existing;
                break;
            }
        }
        if (t == null) {
            t = new ProduceResponseData.TopicProduceResponse();
            if (v >= 13) {
                t.setTopicId(slot.id());
            } else {
                t.setName(slot.name());
            }
            out.responses().add(t);
        }
        ProduceResponseData.PartitionProduceResponse p = new ProduceResponseData.PartitionProduceResponse()
                .setIndex(slot.partition());
        if (v >= 5) {
            p.setLogStartOffset(0);
        }
        t.partitionResponses().add(p);
        return p;
    }
}
