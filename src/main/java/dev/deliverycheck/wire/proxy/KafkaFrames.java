package dev.deliverycheck.wire.proxy;

import java.nio.ByteBuffer;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * All the proxy knows of the Kafka protocol: a request frame's kind, version and correlation id (from
 * kafka-clients' {@link RequestHeader}), a response frame's correlation id, and the rewrite of the two answers
 * that tell a client where to connect (Metadata's brokers, FindCoordinator's coordinators), so that clients keep
 * talking to the proxy instead of the broker's advertised listener. Frames here exclude the 4-byte size prefix.
 */
public final class KafkaFrames {
    private KafkaFrames() {
    }

    /** A request's kind (ApiKeys' message name, e.g. "Produce"), version and correlation id. */
    public record Header(ApiKeys apiKey, short version, int correlationId) {
        public String kind() {
            return apiKey.name;
        }
    }

    /** Parses the header of a request frame; throws IllegalArgumentException on a frame kafka-clients cannot read. */
    public static Header requestHeader(ByteBuffer frame) {
        try {
            RequestHeader header = RequestHeader.parse(frame.duplicate());
            return new Header(header.apiKey(), header.apiVersion(), header.correlationId());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a Kafka request header: " + e.getMessage(), e);
        }
    }

    /** The correlation id of a response frame: its first four bytes in every header version. */
    public static int responseCorrelationId(ByteBuffer frame) {
        return frame.getInt(frame.position());
    }

    /** Whether answers of this kind name broker addresses that must point at the proxy. */
    public static boolean namesAddresses(ApiKeys apiKey) {
        return apiKey == ApiKeys.METADATA || apiKey == ApiKeys.FIND_COORDINATOR;
    }

    /** The request kind named {@code kind} (e.g. "EndTxn"), or throws naming a few known ones. */
    public static ApiKeys kind(String kind) {
        for (ApiKeys key : ApiKeys.values()) {
            if (key.name.equals(kind)) {
                return key;
            }
        }
        throw new IllegalArgumentException("unknown request kind '" + kind + "' (e.g. Produce, Fetch, InitProducerId, "
                + "AddPartitionsToTxn, EndTxn, FindCoordinator, Metadata)");
    }

    /** The body of a response frame, after its header. */
    public static ByteBuffer responseBody(Header request, ByteBuffer frame) {
        ByteBuffer body = frame.duplicate();
        ResponseHeader.parse(body, request.apiKey().responseHeaderVersion(request.version()));
        return body.slice();
    }

    /** The body of a request frame, after its header. */
    public static ByteBuffer requestBody(ByteBuffer frame) {
        ByteBuffer body = frame.duplicate();
        RequestHeader.parse(body);
        return body.slice();
    }

    /**
     * A Metadata or FindCoordinator answer with every broker address replaced by {@code host:port}; any other
     * answer unchanged.
     */
    public static ByteBuffer rewriteAddresses(Header request, ByteBuffer frame, String host, int port) {
        if (!namesAddresses(request.apiKey())) {
            return frame;
        }
        short version = request.version();
        short headerVersion = request.apiKey().responseHeaderVersion(version);
        ByteBuffer buffer = frame.duplicate();
        ResponseHeader header = ResponseHeader.parse(buffer, headerVersion);
        Message body;
        if (request.apiKey() == ApiKeys.METADATA) {
            MetadataResponseData metadata = new MetadataResponseData(new ByteBufferAccessor(buffer), version);
            metadata.brokers().forEach(b -> b.setHost(host).setPort(port));
            body = metadata;
        } else {
            FindCoordinatorResponseData found = new FindCoordinatorResponseData(new ByteBufferAccessor(buffer), version);
            if (found.nodeId() >= 0 && !found.host().isEmpty()) {
                found.setHost(host).setPort(port);
            }
            found.coordinators().forEach(c -> {
                if (c.nodeId() >= 0 && !c.host().isEmpty()) {
                    c.setHost(host).setPort(port);
                }
            });
            body = found;
        }
        return RequestUtils.serialize(header.data(), headerVersion, body, version);
    }

    /** How many records a Produce request carries, over all its partitions' batches. */
    public static int recordCount(Header request, ByteBuffer requestFrame) {
        ProduceRequestData produce = new ProduceRequestData(new ByteBufferAccessor(requestBody(requestFrame)),
                request.version());
        int n = 0;
        for (ProduceRequestData.TopicProduceData topic : produce.topicData()) {
            for (ProduceRequestData.PartitionProduceData p : topic.partitionData()) {
                if (p.records() instanceof org.apache.kafka.common.record.internal.MemoryRecords records) {
                    for (org.apache.kafka.common.record.internal.RecordBatch batch : records.batches()) {
                        Integer count = batch.countOrNull();
                        n += count != null ? count : 0;
                    }
                }
            }
        }
        return n;
    }

    /**
     * The answer a broker gives a Produce it refuses without appending anything: every partition of the request
     * with {@code error} (a retriable one, such as NOT_LEADER_OR_FOLLOWER, makes the client resend). The frame
     * carries the request's correlation id and the header version of its API version.
     */
    public static ByteBuffer refusedProduce(Header request, ByteBuffer requestFrame, Errors error) {
        if (request.apiKey() != ApiKeys.PRODUCE) {
            throw new IllegalArgumentException("only a Produce can be refused, not " + request.kind());
        }
        short version = request.version();
        ProduceRequestData produce = new ProduceRequestData(new ByteBufferAccessor(requestBody(requestFrame)), version);
        ProduceResponseData answer = new ProduceResponseData();
        for (ProduceRequestData.TopicProduceData topic : produce.topicData()) {
            ProduceResponseData.TopicProduceResponse t = new ProduceResponseData.TopicProduceResponse()
                    .setName(topic.name()).setTopicId(topic.topicId());
            topic.partitionData().forEach(p -> t.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse()
                    .setIndex(p.index()).setErrorCode(error.code()).setBaseOffset(-1)));
            answer.responses().add(t);
        }
        RequestHeader header = new RequestHeader(request.apiKey(), version, "", request.correlationId());
        return RequestUtils.serialize(header.toResponseHeader().data(), request.apiKey().responseHeaderVersion(version),
                answer, version);
    }
}
