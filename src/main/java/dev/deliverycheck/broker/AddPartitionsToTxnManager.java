package dev.deliverycheck.broker;

import dev.deliverycheck.env.Clock;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.event.BrokerVerifyPartition;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A partition leader's KIP-890 verification (Kafka's {@code AddPartitionsToTxnManager}): before a
 * transactional batch is appended, asks the transaction coordinator whether its partition is in
 * the producer's ongoing transaction (part 1), or has it add the partition (part 2, transaction
 * version 2), and holds the batch in {@link TransactionVerifications} until the verdict.
 *
 * <p>Invariants: a held batch is appended (through {@link PartitionWriter}) only on a verdict that
 * the coordinator confirmed it and only if no marker of its producer was written to the partition
 * since the verification started (the partition's verification guard); otherwise, and when the
 * verdict does not come within {@code request.timeout.ms} or its connection is lost, it is refused
 * with Kafka's produce error for the case; a verification in flight keeps its answer from leaving
 * ({@link PendingReply#verificationStarted}) until it ends.
 */
final class AddPartitionsToTxnManager {
    private final int brokerId;
    private final BrokerConfig config;
    private final Supplier<ClusterMetadata> currentMetadata;
    private final Map<TopicPartition, Partition> partitions;
    private final Clock clock;
    private final Transport transport;
    private final EventSink events;
    private final IntSupplier correlationIds;
    private final PartitionWriter writer;
    private final GroupCommit groupCommit;
    private final TransactionVerifications verifications = new TransactionVerifications();

    /**
     * @param currentMetadata the cluster as the broker knows it now
     * @param partitions      the partitions the broker leads (a live view)
     * @param correlationIds  the broker's correlation ids for its own requests
     */
    AddPartitionsToTxnManager(int brokerId, BrokerConfig config, Supplier<ClusterMetadata> currentMetadata,
                              Map<TopicPartition, Partition> partitions, Clock clock, Transport transport,
                              EventSink events, IntSupplier correlationIds, PartitionWriter writer,
                              GroupCommit groupCommit) {
        this.brokerId = brokerId;
        this.config = config;
        this.currentMetadata = currentMetadata;
        this.partitions = partitions;
        this.clock = clock;
        this.transport = transport;
        this.events = events;
        this.correlationIds = correlationIds;
        this.writer = writer;
        this.groupCommit = groupCommit;
    }

    /**
     * Whether {@code batch} (valid) must wait for a verdict: its producer's transaction is not known
     * here to include it, or an earlier batch of the producer to the partition still waits.
     */
    boolean mustVerify(RecordBatch batch) {
        return config.verifyTransactionalPartitions() && (partitions.get(batch.topicPartition())
                .needsVerification(batch) || verifications.pending(batch));
    }

    /** Holds {@code batch} and asks the coordinator of {@code transactionalId} for its verdict. */
    void verify(PendingReply reply, RecordBatch batch, String transactionalId) {
        int coordinatorId = currentMetadata.get().coordinatorFor(transactionalId);
        int correlationId = correlationIds.getAsInt();
        reply.verificationStarted();
        Object guard = partitions.get(batch.topicPartition()).verificationGuard(batch.producerId());
        verifications.hold(correlationId, new TransactionVerifications.Held(reply, batch, coordinatorId,
                clock.milliseconds() + config.requestTimeoutMs(), guard));
        // KIP-890 part 2 (transaction version 2): the client sent no AddPartitionsToTxn, so the leader
        // adds the partition; part 1 (version 1) only verifies what the client added.
        transport.send(coordinatorId, new AddPartitionsToTxnRequest(correlationId, transactionalId,
                batch.producerId(), batch.producerEpoch(), List.of(batch.topicPartition()),
                !config.addPartitionsOnProduce()));
    }

    /** BrokerVerifyPartition: the coordinator's answer to a KIP-890 check; the held batch goes on or is refused. */
    @SpecAction("BrokerVerifyPartition")
    void handleResponse(int source, AddPartitionsToTxnResponse r) {
        TransactionVerifications.Held v = verifications.answered(r.correlationId(), source);
        if (v == null) {
            return;
        }
        RecordBatch batch = v.batch();
        boolean verified = r.error() == Errors.NONE;
        events.emit(new BrokerVerifyPartition(brokerId, batch.topicPartition(), batch.producerId(),
                batch.producerEpoch(), verified));
        v.reply().verificationEnded();
        if (verified && !partitions.get(batch.topicPartition()).verificationGuardHolds(batch.producerId(), v.guard())) {
            // A marker for this producer overtook the verdict: the transaction it verified has ended here.
            writer.reject(v.reply(), batch, Errors.INVALID_TXN_STATE, "transaction ended while its verification was in flight");
        } else if (verified) {
            writer.appendOrDeduplicate(v.reply(), batch);
        } else {
            // Kafka's mapping of verification failures onto produce errors.
            Errors error = switch (r.error()) {
                case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH -> Errors.INVALID_PRODUCER_EPOCH;
                default -> r.error().retriable() ? Errors.NOT_ENOUGH_REPLICAS : Errors.INVALID_TXN_STATE;
            };
            writer.reject(v.reply(), batch, error, "transaction verification failed: " + r.error());
        }
        groupCommit.releaseIfComplete(v.reply());
    }

    /** Refuses every held batch whose verdict is overdue at {@code now}; their answers leave with the next release. */
    void expire(long now) {
        for (TransactionVerifications.Held v : verifications.expire(now)) {
            v.reply().verificationEnded();
            writer.reject(v.reply(), v.batch(), Errors.REQUEST_TIMED_OUT, "no answer from the transaction coordinator");
        }
    }

    /**
     * The connection to {@code peer} is gone: held batches waiting for its verdict are refused at
     * once with a retriable error, and the answers that were waiting only for them are sent.
     */
    void disconnected(int peer) {
        boolean refused = false;
        for (TransactionVerifications.Held v : verifications.disconnected(peer)) {
            v.reply().verificationEnded();
            writer.reject(v.reply(), v.batch(), Errors.NOT_ENOUGH_REPLICAS,
                    "connection to the transaction coordinator lost during verification");
            refused = true;
        }
        if (refused) {
            groupCommit.releaseReplies();
        }
    }

    /** The earliest deadline of a held batch, or Long.MAX_VALUE. */
    long nextDeadline() {
        return verifications.nextDeadline();
    }

    /** No batch waits for a verdict. */
    boolean idle() {
        return verifications.isEmpty();
    }
}
