package dev.deliverycheck.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.MetadataRequest;

/**
 * Dispatches a parsed request to its handler and answers the cluster-level requests itself:
 * ApiVersions, Metadata (creating topics on first use, as {@code auto.create.topics.enable}), CreateTopics and
 * FindCoordinator (this broker coordinates every transactional id; consumer groups are not served).
 *
 * <p>Invariant: every field set in an answer exists at the request's version (kafka-clients refuses
 * to write a non-default value of a field the version lacks), so every served version serializes.
 */
public final class KafkaApis {
    private final WireBroker broker;
    private final String host;
    private final int port;
    private final ProduceHandler produce;
    private final TransactionHandler transactions;
    private final FetchHandler fetch;
    private final CreateTopicsHandler createTopics;

    public KafkaApis(WireBroker broker, String host, int port) {
        this.broker = broker;
        this.host = host;
        this.port = port;
        this.produce = new ProduceHandler(broker);
        this.transactions = new TransactionHandler(broker);
        this.fetch = new FetchHandler(broker);
        this.createTopics = new CreateTopicsHandler(broker);
    }

    /** The answer to a request whose key and version are served; null answer for acks=0 Produce. */
    public CompletableFuture<ApiMessage> handle(KafkaCodec.Parsed p) {
        short v = p.version();
        return switch (p.apiKey()) {
            case API_VERSIONS -> CompletableFuture.completedFuture(
                    ServedApis.apiVersions(Errors.NONE, broker.transactionVersion()));
            case METADATA -> CompletableFuture.completedFuture(metadata(((MetadataRequest) p.request()).data(), v));
            case FIND_COORDINATOR -> CompletableFuture.completedFuture(
                    findCoordinator(((FindCoordinatorRequest) p.request()).data(), v));
            case PRODUCE -> produce.handle((org.apache.kafka.common.requests.ProduceRequest) p.request(), v);
            case INIT_PRODUCER_ID, ADD_PARTITIONS_TO_TXN, END_TXN -> transactions.handle(p);
            case FETCH -> CompletableFuture.completedFuture(
                    fetch.fetch(((org.apache.kafka.common.requests.FetchRequest) p.request()).data(), v));
            case LIST_OFFSETS -> CompletableFuture.completedFuture(
                    fetch.listOffsets(((org.apache.kafka.common.requests.ListOffsetsRequest) p.request()).data(), v));
            case CREATE_TOPICS -> CompletableFuture.completedFuture(createTopics.handle(
                    ((org.apache.kafka.common.requests.CreateTopicsRequest) p.request()).data(), v));
            default -> throw new IllegalArgumentException("not served: " + p.apiKey());
        };
    }

    // --- Metadata ----------------------------------------------------------------------------

    private MetadataResponseData metadata(MetadataRequestData r, short v) {
        MetadataResponseData out = new MetadataResponseData();
        out.brokers().add(new MetadataResponseData.MetadataResponseBroker().setNodeId(WireBroker.BROKER_ID)
                .setHost(host).setPort(port));
        if (v >= 1) {
            out.setControllerId(WireBroker.BROKER_ID);
        }
        if (v >= 2) {
            out.setClusterId("deliverycheck");
        }
        // v0: an empty list means every topic; v1+: null does.
        boolean all = r.topics() == null || v == 0 && r.topics().isEmpty();
        List<String> names = new ArrayList<>();
        if (all) {
            names.addAll(broker.metadata().partitionsPerTopic().keySet());
        }
        boolean create = v < 4 || r.allowAutoTopicCreation();
        if (!all) {
            for (MetadataRequestData.MetadataRequestTopic t : r.topics()) {
                String name = t.name();
                if (name == null) {
                    name = KafkaCodec.topicNamed(broker.metadata(), t.topicId());
                    if (name == null) {
                        out.topics().add(new MetadataResponseData.MetadataResponseTopic()
                                .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setTopicId(t.topicId()));
                        continue;
                    }
                }
                names.add(name);
            }
        }
        for (String name : names) {
            if (out.topics().find(name) != null) {
                continue;
            }
            out.topics().add(topic(name, create, v));
        }
        return out;
    }

    private MetadataResponseData.MetadataResponseTopic topic(String name, boolean create, short v) {
        MetadataResponseData.MetadataResponseTopic t = new MetadataResponseData.MetadataResponseTopic().setName(name);
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            return t.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        if (broker.metadata().partitionCount(name) < 1) {
            if (!create) {
                return t.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            }
            broker.ensureTopic(name);
        }
        if (v >= 10) {
            t.setTopicId(KafkaCodec.topicId(name));
        }
        int n = broker.metadata().partitionCount(name);
        for (int i = 0; i < n; i++) {
            MetadataResponseData.MetadataResponsePartition p = new MetadataResponseData.MetadataResponsePartition()
                    .setPartitionIndex(i).setLeaderId(WireBroker.BROKER_ID)
                    .setReplicaNodes(List.of(WireBroker.BROKER_ID)).setIsrNodes(List.of(WireBroker.BROKER_ID));
            if (v >= 7) {
                p.setLeaderEpoch(KafkaCodec.LEADER_EPOCH);
            }
            t.partitions().add(p);
        }
        return t;
    }


    // --- FindCoordinator ---------------------------------------------------------------------

    private static final byte TRANSACTION_KEY = 1;

    private FindCoordinatorResponseData findCoordinator(FindCoordinatorRequestData r, short v) {
        FindCoordinatorResponseData out = new FindCoordinatorResponseData();
        if (v >= 4) {
            for (String key : r.coordinatorKeys()) {
                FindCoordinatorResponseData.Coordinator c = new FindCoordinatorResponseData.Coordinator().setKey(key);
                if (r.keyType() == TRANSACTION_KEY) {
                    c.setNodeId(WireBroker.BROKER_ID).setHost(host).setPort(port);
                } else {
                    c.setNodeId(-1).setHost("").setPort(-1).setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                            .setErrorMessage("consumer groups are not served by deliverycheck's broker");
                }
                out.coordinators().add(c);
            }
            return out;
        }
        if (r.keyType() == TRANSACTION_KEY) {
            return out.setNodeId(WireBroker.BROKER_ID).setHost(host).setPort(port);
        }
        out.setNodeId(-1).setHost("").setPort(-1).setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        if (v >= 1) {
            out.setErrorMessage("consumer groups are not served by deliverycheck's broker");
        }
        return out;
    }

}
