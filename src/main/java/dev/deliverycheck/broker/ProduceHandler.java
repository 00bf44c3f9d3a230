package dev.deliverycheck.broker;

import dev.deliverycheck.broker.log.BatchCodec;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Answers Produce requests for the partitions this broker leads (Kafka's
 * {@code KafkaApis.handleProduceRequest} with the checks of {@code ReplicaManager.appendRecords}):
 * validates each batch, then refuses it, holds it for KIP-890 verification
 * ({@link AddPartitionsToTxnManager}), or passes it to {@link PartitionWriter}.
 *
 * <p>Invariants: a malformed request or batch (bad acks, a partition repeated in the request, a
 * partition unknown or led elsewhere, a control batch from a client, an empty or oversized batch,
 * inconsistent producer id, epoch and sequence, a transactional batch without
 * {@code transactional.id}) is refused with Kafka's error and never touches stored data; every
 * partition of a request gets one result in the request's one answer, which {@link GroupCommit}
 * sends once it is complete (never for acks=0).
 */
final class ProduceHandler {
    private final int brokerId;
    private final BrokerConfig config;
    private final Supplier<ClusterMetadata> currentMetadata;
    private final PartitionWriter writer;
    private final AddPartitionsToTxnManager verifications;
    private final GroupCommit groupCommit;

    /** @param currentMetadata the cluster as the broker knows it now */
    ProduceHandler(int brokerId, BrokerConfig config, Supplier<ClusterMetadata> currentMetadata, PartitionWriter writer,
                   AddPartitionsToTxnManager verifications, GroupCommit groupCommit) {
        this.brokerId = brokerId;
        this.config = config;
        this.currentMetadata = currentMetadata;
        this.writer = writer;
        this.verifications = verifications;
        this.groupCommit = groupCommit;
    }

    void handleProduce(int source, ProduceRequest r) {
        PendingReply reply = new PendingReply(PendingReply.Kind.PRODUCE, source, r.correlationId(), r.acks() != 0);
        Set<TopicPartition> seen = new LinkedHashSet<>();
        Set<TopicPartition> repeated = new LinkedHashSet<>();
        for (RecordBatch b : r.batches()) {
            if (!seen.add(b.topicPartition())) {
                repeated.add(b.topicPartition());
            }
        }
        for (RecordBatch batch : r.batches()) {
            // Sized once: checked against message.max.bytes here and reused to frame the batch if it is appended.
            int payloadSize = BatchCodec.payloadSize(batch);
            Errors error = validate(r, batch, payloadSize, repeated);
            if (error != Errors.NONE) {
                writer.reject(reply, batch, error, describe(error));
            } else if (verifications.mustVerify(batch)) {
                verifications.verify(reply, batch, r.transactionalId());
            } else {
                writer.appendOrDeduplicate(reply, batch, payloadSize);
            }
        }
        groupCommit.track(reply);
    }

    private Errors validate(ProduceRequest r, RecordBatch batch, int payloadSize, Set<TopicPartition> repeated) {
        TopicPartition tp = batch.topicPartition();
        ClusterMetadata metadata = currentMetadata.get();
        if (r.acks() != 0 && r.acks() != 1 && r.acks() != -1) {
            return Errors.INVALID_REQUIRED_ACKS;
        }
        if (repeated.contains(tp)) {
            return Errors.INVALID_REQUEST;
        }
        if (!metadata.contains(tp)) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (metadata.leaderFor(tp) != brokerId) {
            return Errors.NOT_LEADER_OR_FOLLOWER;
        }
        if (batch.isControl()) {
            return Errors.INVALID_REQUEST;
        }
        if (batch.recordCount() == 0) {
            return Errors.CORRUPT_MESSAGE;
        }
        if (payloadSize > config.messageMaxBytes()) {
            return Errors.MESSAGE_TOO_LARGE;
        }
        boolean idempotent = batch.hasProducerId();
        if (idempotent ? batch.producerId() < 0 || batch.producerEpoch() < 0 || batch.baseSequence() < 0
                : batch.producerEpoch() != RecordBatch.NO_PRODUCER_EPOCH
                || batch.baseSequence() != RecordBatch.NO_SEQUENCE || batch.transactional()) {
            return Errors.CORRUPT_MESSAGE;
        }
        if (batch.transactional() && r.transactionalId() == null) {
            return Errors.INVALID_REQUEST;
        }
        return Errors.NONE;
    }

    private static String describe(Errors error) {
        return switch (error) {
            case INVALID_REQUIRED_ACKS -> "acks must be 0, 1 or -1";
            case INVALID_REQUEST -> "malformed produce request (repeated partition, control batch from a client, "
                    + "or transactional batch without transactional.id)";
            case UNKNOWN_TOPIC_OR_PARTITION -> "unknown topic or partition";
            case NOT_LEADER_OR_FOLLOWER -> "this broker does not lead the partition";
            case CORRUPT_MESSAGE -> "malformed batch (no records, or inconsistent producer id, epoch and sequence)";
            case MESSAGE_TOO_LARGE -> "batch larger than message.max.bytes";
            default -> error.name();
        };
    }
}
