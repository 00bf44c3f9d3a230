package dev.deliverycheck.wire;

import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * InitProducerId, AddPartitionsToTxn (v0-3, the client's form) and EndTxn, translated to the
 * project's requests for the broker's transaction coordinator.
 *
 * <p>Invariant: the answer carries the coordinator's error and identity unchanged; EndTxn's new
 * producer id and epoch (KIP-890 part 2) are written only at v5+, where the fields exist.
 * AddPartitionsToTxn's single verdict is reported on every partition asked for, as Kafka does
 * for a request-level failure.
 */
final class TransactionHandler {
    private final WireBroker broker;

    TransactionHandler(WireBroker broker) {
        this.broker = broker;
    }

    CompletableFuture<ApiMessage> handle(KafkaCodec.Parsed p) {
        short v = p.version();
        return switch (p.apiKey()) {
            case INIT_PRODUCER_ID -> initProducerId(
                    ((org.apache.kafka.common.requests.InitProducerIdRequest) p.request()).data());
            case ADD_PARTITIONS_TO_TXN -> addPartitions(
                    ((org.apache.kafka.common.requests.AddPartitionsToTxnRequest) p.request()).data());
            case END_TXN -> endTxn(((org.apache.kafka.common.requests.EndTxnRequest) p.request()).data(), v);
            default -> throw new IllegalArgumentException("not a transaction request: " + p.apiKey());
        };
    }

    private CompletableFuture<ApiMessage> initProducerId(InitProducerIdRequestData r) {
        String id = r.transactionalId();
        if (id != null && id.isEmpty()) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code()).setProducerId(-1).setProducerEpoch((short) -1));
        }
        // v3+ (KIP-360) carry the identity the producer holds; older versions and new instances send -1/-1
        return broker.call(c -> new InitProducerIdRequest(c, id, id == null ? 0 : r.transactionTimeoutMs(),
                        id == null ? RecordBatch.NO_PRODUCER_ID : r.producerId(),
                        id == null ? RecordBatch.NO_PRODUCER_EPOCH : r.producerEpoch()), true)
                .thenApply(resp -> {
                    InitProducerIdResponse a = (InitProducerIdResponse) resp;
                    return new InitProducerIdResponseData().setErrorCode((short) a.error().code())
                            .setProducerId(a.producerId()).setProducerEpoch(a.producerEpoch());
                });
    }

    private CompletableFuture<ApiMessage> addPartitions(AddPartitionsToTxnRequestData r) {
        List<TopicPartition> tps = new ArrayList<>();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic t : r.v3AndBelowTopics()) {
            for (int partition : t.partitions()) {
                if (t.name() == null || partition < 0) {
                    return CompletableFuture.completedFuture(addResult(r, Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
                }
                tps.add(new TopicPartition(t.name(), partition));
            }
        }
        if (r.v3AndBelowTransactionalId() == null || r.v3AndBelowTransactionalId().isEmpty() || tps.isEmpty()) {
            return CompletableFuture.completedFuture(addResult(r, Errors.INVALID_REQUEST.code()));
        }
        return broker.call(c -> new AddPartitionsToTxnRequest(c, r.v3AndBelowTransactionalId(),
                        r.v3AndBelowProducerId(), r.v3AndBelowProducerEpoch(), tps, false), true)
                .thenApply(resp -> addResult(r, (short) ((AddPartitionsToTxnResponse) resp).error().code()));
    }

    private static AddPartitionsToTxnResponseData addResult(AddPartitionsToTxnRequestData r, short error) {
        AddPartitionsToTxnResponseData out = new AddPartitionsToTxnResponseData();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic t : r.v3AndBelowTopics()) {
            AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult result =
                    out.resultsByTopicV3AndBelow().find(t.name());
            if (result == null) {
                result = new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult().setName(t.name());
                out.resultsByTopicV3AndBelow().add(result);
            }
            for (int partition : t.partitions()) {
                if (result.resultsByPartition().find(partition) == null) {
                    result.resultsByPartition().add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult()
                            .setPartitionIndex(partition).setPartitionErrorCode(error));
                }
            }
        }
        return out;
    }

    private CompletableFuture<ApiMessage> endTxn(EndTxnRequestData r, short v) {
        if (r.transactionalId() == null || r.transactionalId().isEmpty()) {
            return CompletableFuture.completedFuture(new EndTxnResponseData().setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        return broker.call(c -> new EndTxnRequest(c, r.transactionalId(), r.producerId(), r.producerEpoch(),
                        r.committed()), true)
                .thenApply(resp -> {
                    EndTxnResponse a = (EndTxnResponse) resp;
                    EndTxnResponseData out = new EndTxnResponseData().setErrorCode((short) a.error().code());
                    if (v >= 5) {
                        out.setProducerId(a.producerId()).setProducerEpoch(a.producerEpoch());
                    }
                    return out;
                });
    }
}
