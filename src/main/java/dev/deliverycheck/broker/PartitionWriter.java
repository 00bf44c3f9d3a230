package dev.deliverycheck.broker;

import dev.deliverycheck.broker.idempotence.AppendCheck;
import dev.deliverycheck.broker.log.BatchCodec;
import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.env.Clock;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.event.BrokerAppend;
import dev.deliverycheck.event.BrokerDuplicate;
import dev.deliverycheck.event.BrokerReject;
import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.protocol.WriteTxnMarkersRequest;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every write to the partitions this broker leads: a producer's batch (appended, recognized as a
 * duplicate, or refused, by the producer-state table's verdict) and a coordinator's transaction
 * markers (Kafka's {@code ReplicaManager.appendRecords} for both origins).
 *
 * <p>Invariants: each batch it is given ends in exactly one of BrokerAppend, BrokerDuplicate or
 * BrokerReject, recorded in its {@link PendingReply}; a success is reported only once the
 * partition is durable up to it (for a duplicate, up to the original), so every append is
 * registered with {@link GroupCommit} for its fsync; a marker is written only by the partition's
 * leader, and never with an epoch older than the producer's epoch there (unless fencing is
 * disabled for a negative test).
 */
final class PartitionWriter {
    private final int brokerId;
    private final BrokerConfig config;
    private final Supplier<ClusterMetadata> currentMetadata;
    private final Map<TopicPartition, Partition> partitions;
    private final Clock clock;
    private final EventSink events;
    /** Somebody listens (not {@link EventSink#NONE}): only then is a BrokerAppend, with its record ids, built. */
    private final boolean eventsOn;
    private final GroupCommit groupCommit;

    /**
     * @param currentMetadata the cluster as the broker knows it now
     * @param partitions      the partitions the broker leads (a live view)
     */
    PartitionWriter(int brokerId, BrokerConfig config, Supplier<ClusterMetadata> currentMetadata,
                    Map<TopicPartition, Partition> partitions, Clock clock, EventSink events, GroupCommit groupCommit) {
        this.brokerId = brokerId;
        this.config = config;
        this.currentMetadata = currentMetadata;
        this.partitions = partitions;
        this.clock = clock;
        this.events = events;
        this.eventsOn = events != EventSink.NONE;
        this.groupCommit = groupCommit;
    }

    /** BrokerAppend, or BrokerDuplicate, or BrokerReject, by the producer-state table's verdict. */
    void appendOrDeduplicate(PendingReply reply, RecordBatch batch) {
        appendOrDeduplicate(reply, batch, BatchCodec.payloadSize(batch));
    }

    /**
     * {@link #appendOrDeduplicate(PendingReply, RecordBatch)} for a batch whose {@link BatchCodec#payloadSize} is
     * already known.
     */
    @SpecAction({"BrokerAppend", "BrokerDuplicate"})
    void appendOrDeduplicate(PendingReply reply, RecordBatch batch, int payloadSize) {
        Partition p = partitions.get(batch.topicPartition());
        if (batch.transactional() && config.bumpEpochPerTxn() && batch.baseSequence() != 0
                && p.producers().get(batch.producerId()).isEmpty()) {
            // Kafka's checkSequence keeps this one case strict under transaction version 2 (which any
            // other unknown producer is exempt from): a transactional producer unknown here starts at 0.
            reject(reply, batch, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "transaction version 2: unknown transactional "
                    + "producer " + batch.producerId() + " must start at sequence 0, not " + batch.baseSequence());
            return;
        }
        AppendCheck verdict = p.check(batch);
        if (verdict instanceof AppendCheck.Accept) {
            StoredBatch stored = p.append(batch, payloadSize);
            groupCommit.appended(p, clock.milliseconds());
            if (eventsOn) {
                events.emit(new BrokerAppend(brokerId, batch.topicPartition(), batch.producerId(),
                        batch.producerEpoch(), batch.baseSequence(), stored.baseOffset(), batch.recordIds(),
                        batch.transactional()));
            }
            // The ack-before-flush flaw (negative tests only) answers without waiting for durability.
            reply.awaitFlush(batch.topicPartition(), stored.baseOffset(),
                    config.has(BrokerConfig.Flaw.ACK_BEFORE_FLUSH) ? 0 : stored.nextOffset());
        } else if (verdict instanceof AppendCheck.Duplicate d) {
            events.emit(new BrokerDuplicate(brokerId, batch.topicPartition(), batch.producerId(),
                    batch.producerEpoch(), batch.baseSequence(), d.original().firstOffset()));
            // The original may not be durable yet: answer only once it is.
            reply.awaitFlush(batch.topicPartition(), d.original().firstOffset(), d.original().lastOffset() + 1);
        } else if (verdict instanceof AppendCheck.Reject x) {
            reject(reply, batch, x.error(), x.message());
        }
    }

    /** BrokerReject. */
    @SpecAction("BrokerReject")
    void reject(PendingReply reply, RecordBatch batch, Errors error, String message) {
        events.emit(new BrokerReject(brokerId, batch.topicPartition(), batch.producerId(), batch.producerEpoch(),
                batch.baseSequence(), error));
        reply.fail(batch.topicPartition(), error, message);
    }

    /** WriteTxnMarkers: CoordinatorWriteMarker on every partition of the request this broker may mark. */
    @SpecAction("CoordinatorWriteMarker")
    void handleWriteTxnMarkers(int source, WriteTxnMarkersRequest r) {
        ClusterMetadata metadata = currentMetadata.get();
        PendingReply reply = new PendingReply(PendingReply.Kind.MARKERS, source, r.correlationId(), true);
        for (TopicPartition tp : new LinkedHashSet<>(r.partitions())) {
            if (!metadata.contains(tp)) {
                reply.fail(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION, null);
            } else if (metadata.leaderFor(tp) != brokerId) {
                reply.fail(tp, Errors.NOT_LEADER_OR_FOLLOWER, null);
            } else if (r.type() == null || r.producerId() < 0 || r.producerEpoch() < 0) {
                reply.fail(tp, Errors.INVALID_REQUEST, null);
            } else {
                Partition p = partitions.get(tp);
                Errors error = p.checkMarker(r.producerId(), r.producerEpoch());
                if (error != Errors.NONE) {
                    reply.fail(tp, error, null);
                    continue;
                }
                // CoordinatorWriteMarker
                StoredBatch marker = p.appendMarker(r.producerId(), r.producerEpoch(), r.type());
                groupCommit.appended(p, clock.milliseconds());
                events.emit(new CoordinatorWriteMarker(brokerId, tp, r.producerId(), r.producerEpoch(), r.type(),
                        marker.baseOffset()));
                reply.awaitFlush(tp, marker.baseOffset(), marker.nextOffset());
            }
        }
        groupCommit.track(reply);
    }
}
