package dev.deliverycheck.wire;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Answers CreateTopics (v2-v7, the versions kafka-clients 4.4 sends) the way a one-node Kafka
 * cluster does: a new topic gets {@code numPartitions} partitions (-1: the broker's default),
 * replication factor 1 (or -1) is all one broker can give, an existing topic gets
 * TOPIC_ALREADY_EXISTS, and {@code validateOnly} changes nothing.
 *
 * <p>Invariant: a topic is created only with an answer of NONE, and an answer of NONE means the
 * topic exists with the partition count the answer states. Manual replica assignments and topic
 * configs are refused rather than ignored, since the broker has no way to honour them.
 */
final class CreateTopicsHandler {
    private final WireBroker broker;

    CreateTopicsHandler(WireBroker broker) {
        this.broker = broker;
    }

    CreateTopicsResponseData handle(CreateTopicsRequestData r, short v) {
        CreateTopicsResponseData out = new CreateTopicsResponseData();
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic t : r.topics()) {
            if (!seen.add(t.name())) {
                duplicated.add(t.name());
            }
        }
        for (CreateTopicsRequestData.CreatableTopic t : r.topics()) {
            if (out.topics().find(t.name()) != null) {
                continue;
            }
            CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(t.name());
            if (duplicated.contains(t.name())) {
                fail(result, Errors.INVALID_REQUEST, "Create topics request contains topic '" + t.name() + "' more than once");
            } else {
                create(t, r.validateOnly(), result, v);
            }
            out.topics().add(result);
        }
        return out;
    }

    private void create(CreateTopicsRequestData.CreatableTopic t, boolean validateOnly,
                        CreateTopicsResponseData.CreatableTopicResult result, short v) {
        try {
            Topic.validate(t.name());
        } catch (InvalidTopicException e) {
            fail(result, Errors.INVALID_TOPIC_EXCEPTION, e.getMessage());
            return;
        }
        int partitions = t.numPartitions() == -1 ? broker.defaultPartitions() : t.numPartitions();
        if (!t.assignments().isEmpty()) {
            fail(result, Errors.INVALID_REQUEST, "manual replica assignments are not served by deliverycheck's broker");
        } else if (!t.configs().isEmpty()) {
            fail(result, Errors.INVALID_CONFIG, "topic configs are not served by deliverycheck's broker");
        } else if (partitions < 1) {
            fail(result, Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
        } else if (t.replicationFactor() != 1 && t.replicationFactor() != -1) {
            fail(result, Errors.INVALID_REPLICATION_FACTOR, t.replicationFactor() < 1
                    ? "Replication factor must be larger than 0, or -1 to use the default value."
                    : "Unable to replicate the partition " + t.replicationFactor() + " time(s): the target replication "
                    + "factor of " + t.replicationFactor() + " cannot be reached because only 1 broker(s) are registered.");
        } else if (broker.metadata().partitionCount(t.name()) > 0
                || !validateOnly && !broker.createTopic(t.name(), partitions)) {
            fail(result, Errors.TOPIC_ALREADY_EXISTS, "Topic '" + t.name() + "' already exists.");
        } else {
            result.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
            if (v >= 5) {
                result.setNumPartitions(partitions).setReplicationFactor((short) 1);
            }
            if (v >= 7) {
                result.setTopicId(KafkaCodec.topicId(t.name()));
            }
        }
    }

    private static void fail(CreateTopicsResponseData.CreatableTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }
}
