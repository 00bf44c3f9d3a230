package dev.deliverycheck.wire.client;

import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.Request;
import dev.deliverycheck.protocol.Response;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.wire.KafkaCodec;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Translates the producer's {@code protocol} requests into Kafka request frames and Kafka answers back into
 * {@code protocol} responses, at the fixed {@link Versions} of the transaction flow the cluster finalized, as
 * Kafka's client chooses them ({@code isTransactionV2Enabled}): transaction version 1 sends AddPartitionsToTxn v3,
 * Produce v11 and EndTxn v4 (the producer adds partitions itself; a Kafka 4.4 broker serves this flow whether or
 * not {@code transaction.version=2} is finalized); transaction version 2 (KIP-890 part 2) sends Produce v12, with
 * which the partition leader adds a transactional batch's partition at the coordinator, and EndTxn v5, whose
 * answer carries the producer id and epoch the coordinator bumped to.
 *
 * <p>Invariants: a request keeps its correlation id (the producer's) as the Kafka correlation id, so an answer is
 * matched to exactly the request it answers; every Kafka error code becomes the {@link Errors} constant of the
 * same code, or {@link Errors#UNKNOWN_SERVER_ERROR} for a code the project does not name (non-retriable, so an
 * unexpected answer fails a record instead of retrying it forever).
 */
public final class ClientCodec {
    public static final short INIT_PRODUCER_ID_VERSION = 4;
    public static final short ADD_PARTITIONS_VERSION = 3;

    /**
     * The versions of the requests whose version decides the transaction flow, for one {@code transaction.version}.
     * Produce stops at v12: v13 names topics by id (KIP-516), which the producer's static metadata does not have.
     */
    public record Versions(int transactionVersion, short produce, short endTxn) {
        /** Transaction version 1: the producer sends AddPartitionsToTxn; EndTxn v4 bumps no epoch. */
        public static final Versions TRANSACTION_V1 = new Versions(1, (short) 11, (short) 4);
        /** Transaction version 2: no AddPartitionsToTxn; the leader adds the partition (Produce v12+); EndTxn v5+. */
        public static final Versions TRANSACTION_V2 = new Versions(2, (short) 12, (short) 5);

        /** The flow for the finalized {@code transaction.version} level (absent: 0): 2 or higher is version 2. */
        public static Versions forFinalizedLevel(int level) {
            return level >= 2 ? TRANSACTION_V2 : TRANSACTION_V1;
        }

        /** Whether the producer sends AddPartitionsToTxn in this flow. */
        public boolean sendsAddPartitions() {
            return transactionVersion < 2;
        }
    }

    private static final Map<Integer, Errors> BY_CODE = new java.util.HashMap<>();

    static {
        for (Errors e : Errors.values()) {
            BY_CODE.put(e.code(), e);
        }
    }

    private ClientCodec() {
    }

    /** An encoded request: its Kafka api key and version (to decode the answer) and the frame without size prefix. */
    public record Encoded(ApiKeys apiKey, short version, int correlationId, boolean expectsAnswer, ByteBuffer frame) {
    }

    /**
     * The Kafka frame of a producer request at {@code versions}; IllegalArgumentException for a request a producer
     * never sends, or an AddPartitionsToTxn in the version-2 flow, which has none.
     */
    public static Encoded encode(Request request, String clientId, Versions versions) {
        if (request instanceof ProduceRequest p) {
            return frame(ApiKeys.PRODUCE, versions.produce(), p.correlationId(), clientId, produce(p), p.acks() != 0);
        }
        if (request instanceof InitProducerIdRequest r) {
            InitProducerIdRequestData data = new InitProducerIdRequestData().setTransactionalId(r.transactionalId())
                    .setTransactionTimeoutMs(r.transactionTimeoutMs()).setProducerId(RecordBatch.NO_PRODUCER_ID)
                    .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
            return frame(ApiKeys.INIT_PRODUCER_ID, INIT_PRODUCER_ID_VERSION, r.correlationId(), clientId, data, true);
        }
        if (request instanceof AddPartitionsToTxnRequest r && !r.verifyOnly() && versions.sendsAddPartitions()) {
            AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
            Map<String, java.util.List<Integer>> byTopic = new LinkedHashMap<>();
            r.partitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new java.util.ArrayList<>()).add(tp.partition()));
            byTopic.forEach((t, ps) -> topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic()
                    .setName(t).setPartitions(ps)));
            AddPartitionsToTxnRequestData data = new AddPartitionsToTxnRequestData()
                    .setV3AndBelowTransactionalId(r.transactionalId()).setV3AndBelowProducerId(r.producerId())
                    .setV3AndBelowProducerEpoch(r.producerEpoch()).setV3AndBelowTopics(topics);
            return frame(ApiKeys.ADD_PARTITIONS_TO_TXN, ADD_PARTITIONS_VERSION, r.correlationId(), clientId, data, true);
        }
        if (request instanceof EndTxnRequest r) {
            EndTxnRequestData data = new EndTxnRequestData().setTransactionalId(r.transactionalId())
                    .setProducerId(r.producerId()).setProducerEpoch(r.producerEpoch()).setCommitted(r.commit());
            return frame(ApiKeys.END_TXN, versions.endTxn(), r.correlationId(), clientId, data, true);
        }
        throw new IllegalArgumentException("a producer does not send " + request.getClass().getSimpleName());
    }

    private static ProduceRequestData produce(ProduceRequest p) {
        ProduceRequestData data = new ProduceRequestData().setAcks(p.acks()).setTimeoutMs(p.timeoutMs())
                .setTransactionalId(p.transactionalId());
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        for (RecordBatch b : p.batches()) {
            String name = b.topicPartition().topic();
            ProduceRequestData.TopicProduceData topic = topics.find(name, org.apache.kafka.common.Uuid.ZERO_UUID);
            if (topic == null) {
                topic = new ProduceRequestData.TopicProduceData().setName(name);
                topics.add(topic);
            }
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData()
                    .setIndex(b.topicPartition().partition()).setRecords(KafkaCodec.encodeForProduce(b)));
        }
        return data.setTopicData(topics);
    }

    /** A request frame (header and body, no size prefix) for a message at a version. */
    public static Encoded frame(ApiKeys key, short version, int correlationId, String clientId, ApiMessage body,
                                boolean expectsAnswer) {
        RequestHeader header = new RequestHeader(key, version, clientId, correlationId);
        return new Encoded(key, version, correlationId, expectsAnswer,
                RequestUtils.serialize(header.data(), header.headerVersion(), body, version));
    }

    /** The correlation id of a response frame (the first field of every response header version). */
    public static int correlationId(ByteBuffer responseFrame) {
        return responseFrame.getInt(responseFrame.position());
    }

    /** Reads the response header of {@code frame} for a request of {@code key} at {@code version}; leaves the body. */
    public static void skipHeader(ByteBuffer frame, ApiKeys key, short version) {
        short headerVersion = key == ApiKeys.API_VERSIONS ? 0 : key.responseHeaderVersion(version);
        ResponseHeader.parse(frame, headerVersion);
    }

    /** The producer's view of a Kafka answer to {@code request}; the frame's header already read. */
    public static Response decode(Encoded request, ByteBuffer body) {
        ByteBufferAccessor in = new ByteBufferAccessor(body);
        int id = request.correlationId();
        return switch (request.apiKey()) {
            case PRODUCE -> {
                ProduceResponseData data = new ProduceResponseData(in, request.version());
                Map<TopicPartition, ProduceResponse.PartitionResult> results = new LinkedHashMap<>();
                for (ProduceResponseData.TopicProduceResponse t : data.responses()) {
                    for (ProduceResponseData.PartitionProduceResponse p : t.partitionResponses()) {
                        Errors error = error(p.errorCode());
                        results.put(new TopicPartition(t.name(), p.index()), error == Errors.NONE
                                ? ProduceResponse.PartitionResult.ok(p.baseOffset())
                                : ProduceResponse.PartitionResult.error(error, p.errorMessage()));
                    }
                }
                yield new ProduceResponse(id, results);
            }
            case INIT_PRODUCER_ID -> {
                InitProducerIdResponseData data = new InitProducerIdResponseData(in, request.version());
                yield new InitProducerIdResponse(id, error(data.errorCode()), data.producerId(), data.producerEpoch());
            }
            case ADD_PARTITIONS_TO_TXN -> {
                AddPartitionsToTxnResponseData data = new AddPartitionsToTxnResponseData(in, request.version());
                // The first partition error is the cause; Kafka marks the partitions it did not get to with
                // OPERATION_NOT_ATTEMPTED (55), which is never the cause.
                Errors worst = Errors.NONE;
                for (AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult t : data.resultsByTopicV3AndBelow()) {
                    for (AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult p : t.resultsByPartition()) {
                        if (p.partitionErrorCode() != 0 && p.partitionErrorCode() != 55 && worst == Errors.NONE) {
                            worst = error(p.partitionErrorCode());
                        }
                    }
                }
                yield new AddPartitionsToTxnResponse(id, worst);
            }
            case END_TXN -> {
                EndTxnResponseData data = new EndTxnResponseData(in, request.version());
                yield request.version() >= 5 ? new EndTxnResponse(id, error(data.errorCode()), data.producerId(), data.producerEpoch())
                        : new EndTxnResponse(id, error(data.errorCode()));
            }
            default -> throw new IllegalArgumentException("no producer request of kind " + request.apiKey());
        };
    }

    /** The project's constant for a Kafka error code. */
    public static Errors error(short code) {
        return BY_CODE.getOrDefault((int) code, Errors.UNKNOWN_SERVER_ERROR);
    }
}
