package dev.deliverycheck.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every node knows about the cluster: the brokers, the topics with their partition
 * counts, who leads each partition and who coordinates each {@code transactional.id}.
 *
 * <p>Metadata is static for a run (no leader elections): partition {@code p} is led by
 * broker {@code brokerIds[p % brokers]}; a transactional id is coordinated by the broker its
 * positive string hash selects, as Kafka picks the transaction-log partition.
 *
 * <p>{@code transactionVersion} is the finalized {@code transaction.version} feature the brokers
 * advertise (Kafka: ApiVersions' finalized features), which the producer reads to choose its
 * transaction protocol: 1, or 2 (KIP-890 part 2, Kafka 4.0's default for a new cluster: no
 * AddPartitionsToTxn from the client, the partition leader adds the partition on the first
 * transactional Produce, every EndTxn bumps the epoch).
 */
public record ClusterMetadata(List<Integer> brokerIds, Map<String, Integer> partitionsPerTopic,
                              int transactionVersion) {
    /** A cluster advertising transaction version 1. */
    public ClusterMetadata(List<Integer> brokerIds, Map<String, Integer> partitionsPerTopic) {
        this(brokerIds, partitionsPerTopic, 1);
    }

    public ClusterMetadata {
        if (brokerIds.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one broker");
        }
        if (transactionVersion != 1 && transactionVersion != 2) {
            throw new IllegalArgumentException("transaction.version must be 1 or 2, was " + transactionVersion);
        }
        brokerIds = List.copyOf(brokerIds);
        partitionsPerTopic = Map.copyOf(new TreeMap<>(partitionsPerTopic));
        partitionsPerTopic.forEach((t, n) -> {
            if (n < 1) {
                throw new IllegalArgumentException("topic " + t + " needs at least one partition, has " + n);
            }
        });
    }

    /** A cluster of brokers 0..brokers-1 with one topic. */
    public static ClusterMetadata of(int brokers, String topic, int partitions) {
        List<Integer> ids = java.util.stream.IntStream.range(0, brokers).boxed().toList();
        return new ClusterMetadata(ids, Map.of(topic, partitions));
    }

    /** This cluster advertising {@code transaction.version} {@code version} (1 or 2). */
    public ClusterMetadata withTransactionVersion(int version) {
        return new ClusterMetadata(brokerIds, partitionsPerTopic, version);
    }

    /** Number of partitions of a topic, or -1 if the topic does not exist. */
    public int partitionCount(String topic) {
        Integer n = partitionsPerTopic.get(topic);
        return n == null ? -1 : n;
    }

    public boolean contains(TopicPartition tp) {
        int n = partitionCount(tp.topic());
        return n > 0 && tp.partition() < n;
    }

    /** The broker leading a partition. */
    public int leaderFor(TopicPartition tp) {
        return brokerIds.get(tp.partition() % brokerIds.size());
    }

    /** The broker coordinating a transactional id (Kafka: hash over the transaction-log partitions). */
    public int coordinatorFor(String transactionalId) {
        byte[] bytes = transactionalId.getBytes(StandardCharsets.UTF_8);
        int h = 0;
        for (byte b : bytes) {
            h = 31 * h + b;
        }
        return brokerIds.get((h & 0x7fffffff) % brokerIds.size());
    }

    /** All partitions of a topic, in order. */
    public List<TopicPartition> partitionsFor(String topic) {
        int n = partitionCount(topic);
        return java.util.stream.IntStream.range(0, Math.max(n, 0)).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }
}
