package dev.deliverycheck.broker;

import dev.deliverycheck.broker.idempotence.ProducerState;
import dev.deliverycheck.broker.log.RecoveryReport;
import dev.deliverycheck.broker.log.StoredBatch;
import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.broker.txn.TransactionCoordinator;
import dev.deliverycheck.broker.txn.TransactionMetadata;
import dev.deliverycheck.env.Clock;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Node;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.event.BrokerAck;
import dev.deliverycheck.event.BrokerRecoverPartition;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.FetchRequest;
import dev.deliverycheck.protocol.FetchResponse;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.ProduceRequest;
import dev.deliverycheck.protocol.ProduceResponse;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.protocol.WriteTxnMarkersRequest;
import dev.deliverycheck.protocol.WriteTxnMarkersResponse;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A broker: leader of the partitions {@link ClusterMetadata#leaderFor} gives it (single copy, no
 * replication), and transaction coordinator of the {@code transactional.id}s
 * {@link ClusterMetadata#coordinatorFor} gives it.
 *
 * <p>Invariants:
 * <ul>
 *   <li>acks=1/all: a Produce is answered with success only after its batch is durable. Appends
 *       happen in {@link #receive}; the flush and the release of waiting answers ({@link GroupCommit})
 *       happen in {@link #poll}, so a crash between the two loses appended data that was never
 *       acknowledged &mdash; and never data that was;</li>
 *   <li>readers see only durable data: the high watermark is the flushed log end;</li>
 *   <li>producer-state and transaction indexes always describe exactly the log (see
 *       {@link Partition}), also after a crash: constructing a Broker on the storage of a crashed
 *       one recovers every partition it leads and the coordinator's transaction log;</li>
 *   <li>a transactional batch the coordinator has not yet confirmed for the producer's ongoing
 *       transaction (KIP-890) is held by {@link AddPartitionsToTxnManager} until it has;</li>
 *   <li>a malformed or refused request gets an error answer; it never crashes the broker and never
 *       touches stored data.</li>
 * </ul>
 * Produce requests are answered by {@link ProduceHandler}, batches and markers written by
 * {@link PartitionWriter}; this class wires them, dispatches requests, drives the time-driven work
 * and serves reads.
 *
 * <p>Not thread-safe by design (a state machine driven by one caller); the public methods are
 * {@code synchronized} so a real-time driver and a reader thread can share an instance.
 */
public final class Broker implements Node {
    private static final String INCARNATION_FILE = "broker/incarnation";

    private final int brokerId;
    private ClusterMetadata metadata;
    private final BrokerConfig config;
    private final Storage storage;
    private final Clock clock;
    private final Transport transport;
    private final EventSink events;
    private final Map<TopicPartition, Partition> partitions = new TreeMap<>();
    private final TransactionCoordinator coordinator;
    private final GroupCommit groupCommit;
    private final PartitionWriter writer;
    private final AddPartitionsToTxnManager verifications;
    private final ProduceHandler produce;
    private int nextCorrelationId;
    private boolean shutDown;

    /**
     * Opens a broker on {@code storage}: recovers every partition it leads (emitting
     * BrokerRecoverPartition for each when the storage was used by an earlier incarnation) and the
     * coordinator's transaction log.
     */
    @SpecAction("BrokerRecoverPartition")
    public Broker(int brokerId, ClusterMetadata metadata, BrokerConfig config, Storage storage, Clock clock,
                  Transport transport, EventSink events) {
        if (!metadata.brokerIds().contains(brokerId)) {
            throw new IllegalArgumentException("broker " + brokerId + " is not in the cluster " + metadata.brokerIds());
        }
        this.brokerId = brokerId;
        this.metadata = metadata;
        this.config = config;
        this.storage = storage;
        this.clock = clock;
        this.transport = transport;
        this.events = events;
        long incarnation = nextIncarnation();
        // Correlation ids of outgoing requests differ per incarnation, so an answer addressed to a
        // crashed predecessor is not mistaken for an answer to this incarnation's request.
        this.nextCorrelationId = (int) (incarnation << 24);
        this.groupCommit = new GroupCommit(brokerId, config.flushLatencyMs(), partitions.values(), storage, events,
                this::highWatermark, this::send);
        this.writer = new PartitionWriter(brokerId, config, () -> this.metadata, partitions, clock, events, groupCommit);
        this.verifications = new AddPartitionsToTxnManager(brokerId, config, () -> this.metadata, partitions, clock,
                transport, events, this::newCorrelationId, writer, groupCommit);
        this.produce = new ProduceHandler(brokerId, config, () -> this.metadata, writer, verifications, groupCommit);
        for (String topic : metadata.partitionsPerTopic().keySet()) {
            for (TopicPartition tp : metadata.partitionsFor(topic)) {
                if (metadata.leaderFor(tp) == brokerId) {
                    Partition p = Partition.open(storage, tp, config);
                    partitions.put(tp, p);
                    if (incarnation > 0) {
                        events.emit(new BrokerRecoverPartition(brokerId, tp, p.logEndOffset(), p.producersRestored(),
                                p.recoveryReport().truncatedBytes()));
                    }
                }
            }
        }
        this.coordinator = new TransactionCoordinator(brokerId, metadata,
                new TransactionCoordinator.Settings(config.transactionMaxTimeoutMs(), config.requestTimeoutMs(),
                        config.retryBackoffMs(), config.fencingEnabled(), config.bumpEpochPerTxn(),
                        !config.has(BrokerConfig.Flaw.NO_EPOCH_BUMP_ON_INIT),
                        !config.has(BrokerConfig.Flaw.NEVER_COMMIT),
                        !config.has(BrokerConfig.Flaw.NO_EPOCH_BUMP_ON_TIMEOUT_ABORT),
                        !config.has(BrokerConfig.Flaw.MARKER_RESENT_ON_LIVE_CONNECTION)),
                storage, clock, transport, events, this::newCorrelationId);
    }

    private long nextIncarnation() {
        byte[] stored = storage.readAll(INCARNATION_FILE);
        long incarnation = stored.length == Long.BYTES ? ByteBuffer.wrap(stored).getLong() + 1 : 0;
        storage.writeAtomically(INCARNATION_FILE, ByteBuffer.allocate(Long.BYTES).putLong(incarnation).array());
        return incarnation;
    }

    private int newCorrelationId() {
        return nextCorrelationId++;
    }

    public int brokerId() {
        return brokerId;
    }

    // --- Node ----------------------------------------------------------------------------------

    @Override
    public synchronized void receive(int source, Message message) {
        if (shutDown) {
            return;
        }
        if (message instanceof ProduceRequest r) {
            produce.handleProduce(source, r);
        } else if (message instanceof FetchRequest r) {
            transport.send(source, fetch(r));
        } else if (message instanceof InitProducerIdRequest r) {
            coordinator.handleInitProducerId(source, r);
        } else if (message instanceof AddPartitionsToTxnRequest r) {
            coordinator.handleAddPartitions(source, r);
        } else if (message instanceof EndTxnRequest r) {
            coordinator.handleEndTxn(source, r);
        } else if (message instanceof WriteTxnMarkersRequest r) {
            writer.handleWriteTxnMarkers(source, r);
        } else if (message instanceof AddPartitionsToTxnResponse r) {
            verifications.handleResponse(source, r);
        } else if (message instanceof WriteTxnMarkersResponse r) {
            coordinator.handleMarkersResponse(source, r);
        }
        // Other responses answer requests a broker never sends: nothing to do.
    }

    @Override
    public synchronized void poll() {
        if (shutDown) {
            return;
        }
        long now = clock.milliseconds();
        verifications.expire(now);
        groupCommit.flushDue(now);
        groupCommit.releaseReplies();
        coordinator.poll();
    }

    @Override
    public synchronized long nextWakeupMs() {
        if (shutDown) {
            return Long.MAX_VALUE;
        }
        long now = clock.milliseconds();
        long next = coordinator.nextWakeupMs();
        next = Math.min(next, groupCommit.nextFlushMs(now));
        return Math.min(next, verifications.nextDeadline());
    }

    /**
     * Whether the broker has no work of its own left: nothing appended but unflushed, no answer
     * waiting for a flush or a verification, and no decided transaction whose markers are still
     * being written. A simulation is quiescent only when every broker is idle; {@link #nextWakeupMs}
     * alone does not say so, because a flush or a marker resend may be scheduled in the future.
     * Open transactions waiting for their producer do not count (their timeout is in nextWakeupMs).
     */
    public synchronized boolean idle() {
        if (shutDown) {
            return true;
        }
        return groupCommit.idle() && verifications.idle() && !coordinator.hasPendingMarkers();
    }

    /**
     * The connection to {@code peer} is gone: answers to this broker's requests in flight to it will
     * never come. Held batches waiting for the peer's KIP-890 verdict are refused at once with a
     * retriable error, and the coordinator resends markers to the peer after {@code retry.backoff.ms},
     * instead of both waiting for {@code request.timeout.ms} (Kafka's inter-broker channels do the same).
     */
    @Override
    public synchronized void disconnected(int peer) {
        if (shutDown) {
            return;
        }
        verifications.disconnected(peer);
        coordinator.disconnected(peer);
    }

    /** Clean shutdown: flush every partition, answer what waited for it, snapshot producer state. */
    public synchronized void shutdown() {
        if (shutDown) {
            return;
        }
        groupCommit.flush(Long.MAX_VALUE);
        groupCommit.releaseReplies();
        for (Partition p : partitions.values()) {
            p.snapshot();
        }
        shutDown = true;
    }

    // --- answers ----------------------------------------------------------------

    /** BrokerAck (per partition) and the response itself; nothing at all for acks=0. */
    @SpecAction("BrokerAck")
    private void send(PendingReply reply) {
        if (!reply.respond) {
            return;
        }
        if (reply.kind == PendingReply.Kind.PRODUCE) {
            reply.produceResults.forEach((tp, result) -> events.emit(new BrokerAck(brokerId, reply.destination,
                    reply.correlationId, tp, result.baseOffset(), result.error())));
            transport.send(reply.destination, new ProduceResponse(reply.correlationId, reply.produceResults));
        } else {
            transport.send(reply.destination, new WriteTxnMarkersResponse(reply.correlationId, reply.markerResults));
        }
    }

    // --- Fetch -----------------------------------------------------------------------------------

    /**
     * Reads a partition. READ_UNCOMMITTED: data records below the high watermark (the durable log
     * end). READ_COMMITTED: below the last stable offset, without aborted transactions' records.
     * Control batches are never returned. Used for FetchRequest messages and directly by readers.
     */
    public synchronized FetchResponse fetch(FetchRequest r) {
        TopicPartition tp = r.topicPartition();
        Errors error = Errors.NONE;
        if (tp == null || !metadata.contains(tp)) {
            error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
        } else if (metadata.leaderFor(tp) != brokerId) {
            error = Errors.NOT_LEADER_OR_FOLLOWER;
        } else if (r.fetchOffset() < 0 || r.maxRecords() < 1 || r.isolation() == null) {
            error = Errors.INVALID_REQUEST;
        }
        if (error != Errors.NONE) {
            return new FetchResponse(r.correlationId(), tp, error, -1, -1, List.of());
        }
        Partition p = partitions.get(tp);
        Partition.ReadResult read = p.read(r.fetchOffset(), r.maxRecords(), r.isolation());
        return new FetchResponse(r.correlationId(), tp, read.error(), p.highWatermark(), p.lastStableOffset(),
                read.records());
    }

    /**
     * Creates {@code topic} with {@code partitionCount} partitions led by this broker (Kafka's
     * {@code auto.create.topics.enable}), opening (recovering) their logs; nothing when it exists.
     * Only a single-broker cluster creates topics: with several brokers, leadership is static.
     */
    public synchronized void createTopic(String topic, int partitionCount) {
        if (metadata.partitionCount(topic) > 0) {
            return;
        }
        if (metadata.brokerIds().size() != 1) {
            throw new IllegalStateException("topics are created only on a single-broker cluster");
        }
        Map<String, Integer> topics = new HashMap<>(metadata.partitionsPerTopic());
        topics.put(topic, partitionCount);
        metadata = new ClusterMetadata(metadata.brokerIds(), topics, metadata.transactionVersion());
        for (TopicPartition tp : metadata.partitionsFor(topic)) {
            partitions.put(tp, Partition.open(storage, tp, config));
        }
        coordinator.metadataChanged(metadata);
    }

    /** The cluster as this broker knows it now (topics grow with {@link #createTopic}). */
    public synchronized ClusterMetadata metadata() {
        return metadata;
    }

    /**
     * Stored batches (data and control) of a partition from the batch holding {@code fromOffset},
     * up to the high watermark, until about {@code maxBytes} (at least one batch), with the offsets
     * and aborted transactions a Kafka Fetch answer carries.
     */
    public synchronized BatchRead readBatches(TopicPartition tp, long fromOffset, int maxBytes) {
        Partition p = partitions.get(tp);
        if (p == null) {
            return new BatchRead(Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, List.of(), List.of());
        }
        Partition.BatchesResult r = p.readBatches(fromOffset, maxBytes);
        return new BatchRead(r.error(), p.highWatermark(), p.lastStableOffset(), r.batches(), r.aborted());
    }

    /**
     * What {@link #readBatches} found. {@code aborted} lists (producer id, first offset) of every
     * aborted transaction overlapping the batches returned, as Kafka's {@code abortedTransactions}.
     */
    public record BatchRead(Errors error, long highWatermark, long lastStableOffset, List<StoredBatch> batches,
                            List<long[]> aborted) {
    }

    // --- read-only views for simulations and tests ---------------------------------------------------

    /** Partitions this broker leads. */
    public synchronized Set<TopicPartition> ledPartitions() {
        return Set.copyOf(partitions.keySet());
    }

    public synchronized long logEndOffset(TopicPartition tp) {
        return partition(tp).logEndOffset();
    }

    /** The durable log end, up to which READ_UNCOMMITTED readers see data. */
    public synchronized long highWatermark(TopicPartition tp) {
        Partition p = partitions.get(tp);
        return p == null ? -1 : p.highWatermark();
    }

    public synchronized long lastStableOffset(TopicPartition tp) {
        return partition(tp).lastStableOffset();
    }

    /** What recovery found when this broker opened the partition. */
    public synchronized RecoveryReport recoveryReport(TopicPartition tp) {
        return partition(tp).recoveryReport();
    }

    public synchronized Optional<ProducerState> producerState(TopicPartition tp, long producerId) {
        return partition(tp).producers().get(producerId);
    }

    /** The coordinator's current metadata for a transactional id this broker coordinates, if known. */
    public synchronized Optional<TransactionMetadata> transaction(String transactionalId) {
        return Optional.ofNullable(coordinator.transaction(transactionalId));
    }

    private Partition partition(TopicPartition tp) {
        Partition p = partitions.get(tp);
        if (p == null) {
            throw new IllegalArgumentException("broker " + brokerId + " does not lead " + tp);
        }
        return p;
    }
}
