package dev.deliverycheck.wire.client;

import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.TopicPartition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;

/**
 * The client's bootstrap, as Kafka's: ApiVersions (the finalized {@code transaction.version} feature picks the
 * {@link ClientCodec.Versions} of the transaction flow, as Kafka's {@code isTransactionV2Enabled}; the broker must
 * serve every version the client then speaks),
 * Metadata for the producer's topics, FindCoordinator (key type transaction) for a transactional.id. The producer's
 * metadata is static (partition p led by broker index p % brokers); the bootstrap checks the real cluster agrees
 * and maps each index to the address of the broker that really leads those partitions.
 *
 * <p>Invariant: {@link #discover} returns only a cluster in which every topic of the producer's metadata exists
 * with its partition count and a leader for every partition, or throws {@link KafkaClientException}; answers that
 * say "not yet" (a topic whose leaders are still being elected, a coordinator still loading) are asked again every
 * {@value #RETRY_MS} ms until the timeout, so is a connection that drops, and nothing waits longer than the timeout.
 */
final class KafkaBootstrap {
    static final long RETRY_MS = 100;
    static final short API_VERSIONS_VERSION = 3;
    static final short METADATA_VERSION = 12;
    static final short FIND_COORDINATOR_VERSION = 4;
    private static final byte TRANSACTION_KEY_TYPE = 1;
    /** Kafka's name of the feature that selects the transaction protocol (KIP-890 part 2 at level 2). */
    static final String TRANSACTION_VERSION_FEATURE = "transaction.version";

    private KafkaBootstrap() {
    }

    /**
     * The brokers by the producer's broker index, the transaction coordinator (null without a transactional.id), and
     * the request versions of the transaction flow the bootstrap broker finalized.
     */
    record Cluster(InetSocketAddress bootstrap, Map<Integer, InetSocketAddress> brokers, InetSocketAddress coordinator,
                   ClientCodec.Versions versions) {
    }

    static Cluster discover(String bootstrap, ClusterMetadata metadata, String transactionalId, String clientId,
                            Duration timeout) {
        InetSocketAddress address = parse(bootstrap);
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last;
        try {
            do {
                // A dropped connection (refused, reset, an answer lost on the way) is tried again on a new one, as
                // Kafka's client retries its bootstrap, until the deadline.
                long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                try (BootstrapChannel channel = new BootstrapChannel(address, (int) Math.min(Integer.MAX_VALUE, leftMs),
                        clientId)) {
                    ClientCodec.Versions versions = checkVersions(channel, bootstrap);
                    Map<Integer, InetSocketAddress> brokers = brokers(channel, bootstrap, metadata, deadline);
                    InetSocketAddress coordinator = transactionalId == null ? null
                            : coordinator(channel, bootstrap, transactionalId, deadline);
                    return new Cluster(address, brokers, coordinator, versions);
                } catch (IOException e) {
                    last = e;
                }
                Thread.sleep(RETRY_MS);
            } while (System.nanoTime() < deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaClientException("interrupted while bootstrapping from " + bootstrap);
        }
        throw new KafkaClientException("the broker at " + bootstrap + " did not answer the client's bootstrap within "
                + timeout.toMillis() + " ms: " + (last.getMessage() == null ? last.toString() : last.getMessage()));
    }

    private static InetSocketAddress parse(String bootstrap) {
        int colon = bootstrap.lastIndexOf(':');
        try {
            return new InetSocketAddress(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new KafkaClientException("bootstrap must be HOST:PORT, got '" + bootstrap + "'");
        }
    }

    private static ClientCodec.Versions checkVersions(BootstrapChannel channel, String bootstrap) throws IOException {
        ByteBuffer body = channel.call(ApiKeys.API_VERSIONS, API_VERSIONS_VERSION, new ApiVersionsRequestData()
                .setClientSoftwareName("deliverycheck").setClientSoftwareVersion("1"));
        ApiVersionsResponseData answer = new ApiVersionsResponseData(new ByteBufferAccessor(body), API_VERSIONS_VERSION);
        if (answer.errorCode() != Errors.NONE.code()) {
            throw new KafkaClientException("the broker at " + bootstrap + " refused ApiVersions v" + API_VERSIONS_VERSION
                    + ": " + Errors.forCode(answer.errorCode()));
        }
        ClientCodec.Versions versions = ClientCodec.Versions.forFinalizedLevel(finalizedTransactionVersion(answer));
        Map<ApiKeys, Short> needed = new java.util.LinkedHashMap<>();
        needed.put(ApiKeys.METADATA, METADATA_VERSION);
        needed.put(ApiKeys.FIND_COORDINATOR, FIND_COORDINATOR_VERSION);
        needed.put(ApiKeys.PRODUCE, versions.produce());
        needed.put(ApiKeys.INIT_PRODUCER_ID, ClientCodec.INIT_PRODUCER_ID_VERSION);
        if (versions.sendsAddPartitions()) {
            needed.put(ApiKeys.ADD_PARTITIONS_TO_TXN, ClientCodec.ADD_PARTITIONS_VERSION);
        }
        needed.put(ApiKeys.END_TXN, versions.endTxn());
        for (Map.Entry<ApiKeys, Short> n : needed.entrySet()) {
            ApiVersionsResponseData.ApiVersion served = answer.apiKeys().find(n.getKey().id);
            if (served == null || served.minVersion() > n.getValue() || served.maxVersion() < n.getValue()) {
                throw new KafkaClientException("the broker at " + bootstrap + " does not serve " + n.getKey().name + " v"
                        + n.getValue() + ", which deliverycheck's producer speaks with transaction.version "
                        + versions.transactionVersion());
            }
        }
        return versions;
    }

    /**
     * The finalized level of {@code transaction.version}, 0 when the broker finalized none: as Kafka's client, only
     * a finalized-features epoch of 0 or more makes the list valid.
     */
    static int finalizedTransactionVersion(ApiVersionsResponseData answer) {
        if (answer.finalizedFeaturesEpoch() < 0) {
            return 0;
        }
        ApiVersionsResponseData.FinalizedFeatureKey key = answer.finalizedFeatures().find(TRANSACTION_VERSION_FEATURE);
        return key == null ? 0 : key.maxVersionLevel();
    }

    private static Map<Integer, InetSocketAddress> brokers(BootstrapChannel channel, String bootstrap,
                                                           ClusterMetadata metadata, long deadline)
            throws IOException, InterruptedException {
        List<MetadataRequestData.MetadataRequestTopic> topics = new ArrayList<>();
        metadata.partitionsPerTopic().keySet().forEach(t -> topics.add(new MetadataRequestData.MetadataRequestTopic().setName(t)));
        MetadataRequestData request = new MetadataRequestData().setTopics(topics).setAllowAutoTopicCreation(false);
        String notYet;
        do {
            MetadataResponseData answer = new MetadataResponseData(new ByteBufferAccessor(
                    channel.call(ApiKeys.METADATA, METADATA_VERSION, request)), METADATA_VERSION);
            Map<Integer, InetSocketAddress> nodes = new HashMap<>();
            answer.brokers().forEach(b -> nodes.put(b.nodeId(), new InetSocketAddress(b.host(), b.port())));
            Map<Integer, InetSocketAddress> byIndex = new HashMap<>();
            notYet = null;
            for (MetadataResponseData.MetadataResponseTopic t : answer.topics()) {
                int expected = metadata.partitionCount(t.name());
                if (t.errorCode() != Errors.NONE.code()) {
                    notYet = "topic " + t.name() + ": " + Errors.forCode(t.errorCode());
                    continue;
                }
                if (t.partitions().size() != expected) {
                    throw new KafkaClientException("topic " + t.name() + " has " + t.partitions().size()
                            + " partitions on " + bootstrap + ", the producer was given " + expected);
                }
                for (MetadataResponseData.MetadataResponsePartition p : t.partitions()) {
                    InetSocketAddress leader = nodes.get(p.leaderId());
                    if (p.errorCode() != Errors.NONE.code() || leader == null) {
                        notYet = "partition " + t.name() + "-" + p.partitionIndex() + " has no leader yet";
                        continue;
                    }
                    int index = metadata.leaderFor(new TopicPartition(t.name(), p.partitionIndex()));
                    InetSocketAddress before = byIndex.putIfAbsent(index, leader);
                    if (before != null && !before.equals(leader)) {
                        throw new KafkaClientException("the leaders on " + bootstrap + " do not follow the producer's "
                                + "static metadata (partition p led by broker p % " + metadata.brokerIds().size() + ")");
                    }
                }
            }
            if (notYet == null) {
                return byIndex;
            }
            Thread.sleep(RETRY_MS);
        } while (System.nanoTime() < deadline);
        throw new KafkaClientException("the broker at " + bootstrap + " did not serve the producer's topics in time: " + notYet);
    }

    private static InetSocketAddress coordinator(BootstrapChannel channel, String bootstrap, String transactionalId,
                                                 long deadline) throws IOException, InterruptedException {
        FindCoordinatorRequestData request = new FindCoordinatorRequestData().setKeyType(TRANSACTION_KEY_TYPE)
                .setCoordinatorKeys(List.of(transactionalId));
        Errors last;
        do {
            FindCoordinatorResponseData answer = new FindCoordinatorResponseData(new ByteBufferAccessor(
                    channel.call(ApiKeys.FIND_COORDINATOR, FIND_COORDINATOR_VERSION, request)), FIND_COORDINATOR_VERSION);
            FindCoordinatorResponseData.Coordinator c = answer.coordinators().isEmpty() ? null : answer.coordinators().get(0);
            last = c == null ? Errors.UNKNOWN_SERVER_ERROR : Errors.forCode(c.errorCode());
            if (last == Errors.NONE) {
                return new InetSocketAddress(c.host(), c.port());
            }
            if (last != Errors.COORDINATOR_NOT_AVAILABLE && last != Errors.COORDINATOR_LOAD_IN_PROGRESS) {
                throw new KafkaClientException("FindCoordinator for transactional.id " + transactionalId + " on "
                        + bootstrap + ": " + last);
            }
            Thread.sleep(RETRY_MS);
        } while (System.nanoTime() < deadline);
        throw new KafkaClientException("no transaction coordinator for " + transactionalId + " on " + bootstrap
                + " in time: " + last);
    }
}
