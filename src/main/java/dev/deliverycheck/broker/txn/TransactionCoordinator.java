package dev.deliverycheck.broker.txn;

import dev.deliverycheck.broker.storage.Storage;
import dev.deliverycheck.env.Clock;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.event.CoordinatorAddPartitions;
import dev.deliverycheck.event.CoordinatorFence;
import dev.deliverycheck.event.CoordinatorInitProducerId;
import dev.deliverycheck.event.CoordinatorPrepare;
import dev.deliverycheck.event.CoordinatorTimeoutAbort;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.protocol.AddPartitionsToTxnRequest;
import dev.deliverycheck.protocol.AddPartitionsToTxnResponse;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.EndTxnRequest;
import dev.deliverycheck.protocol.EndTxnResponse;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.InitProducerIdRequest;
import dev.deliverycheck.protocol.InitProducerIdResponse;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.protocol.WriteTxnMarkersResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;

/**
 * The transaction coordinator of one broker: owns the {@code transactional.id}s that
 * {@link ClusterMetadata#coordinatorFor} maps to this broker, and allocates producer ids for
 * idempotent producers on any broker.
 *
 * <p>Invariants:
 * <ul>
 *   <li>every state change is in the durable {@link TransactionLog} before it is acted on or
 *       answered: Prepare* is the decision point, so a decision, once answered, survives a crash;</li>
 *   <li>Complete* is logged only after every partition of the transaction acknowledged its marker
 *       ({@link TransactionMarkerChannelManager});</li>
 *   <li>a request carrying an epoch older than the id's current epoch is refused with
 *       {@code PRODUCER_FENCED} (unless fencing is disabled for a negative test) -- except a retry
 *       of the EndTxn that decided the transaction, which gets the first copy's answer again;</li>
 *   <li>KIP-890 part 2 ({@code bumpEpochPerTxn}, Kafka 4.0 with transaction version 2): every
 *       EndTxn logs Prepare* with the epoch bumped; the markers carry the bumped epoch, so every
 *       partition of the transaction refuses the old epoch afterwards, and the answer hands the
 *       producer its new epoch (on exhaustion a new producer id at epoch 0);</li>
 *   <li>after a restart, every Prepare* found in the log is completed (markers resent), and every
 *       Ongoing transaction is aborted once {@code transaction.timeout.ms} has passed since it began.</li>
 * </ul>
 * The transaction states and their log are kept by {@link TransactionStateManager}; the markers
 * of a decision are written (and Complete* logged) by {@link TransactionMarkerChannelManager}.
 */
public final class TransactionCoordinator {

    /**
     * The broker settings the coordinator needs. The last four are true in every real broker; each
     * false one is a single-line bug for negative (teeth) tests only.
     */
    public record Settings(int transactionMaxTimeoutMs, int requestTimeoutMs, int retryBackoffMs,
                           boolean fencingEnabled, boolean bumpEpochPerTxn, boolean bumpEpochOnInit,
                           boolean commits, boolean bumpEpochOnTimeoutAbort, boolean closesTimedOutConnections) {
        public Settings(int transactionMaxTimeoutMs, int requestTimeoutMs, int retryBackoffMs,
                        boolean fencingEnabled, boolean bumpEpochPerTxn) {
            this(transactionMaxTimeoutMs, requestTimeoutMs, retryBackoffMs, fencingEnabled, bumpEpochPerTxn,
                    true, true, true, true);
        }
    }

    private final int brokerId;
    private ClusterMetadata metadata;
    private final Settings settings;
    private final Clock clock;
    private final Transport transport;
    private final EventSink events;
    private final TransactionStateManager txns;
    private final ProducerIdManager producerIds;
    private final TransactionMarkerChannelManager markers;

    public TransactionCoordinator(int brokerId, ClusterMetadata metadata, Settings settings, Storage storage,
                                  Clock clock, Transport transport, EventSink events, IntSupplier correlationIds) {
        this.brokerId = brokerId;
        this.metadata = metadata;
        this.settings = settings;
        this.clock = clock;
        this.transport = transport;
        this.events = events;
        this.txns = new TransactionStateManager(storage);
        this.producerIds = new ProducerIdManager(brokerId, txns.log());
        this.markers = new TransactionMarkerChannelManager(brokerId, metadata, settings, txns, clock, transport, events,
                correlationIds);
    }

    /** Current metadata of a transactional id, if this coordinator knows it. */
    public TransactionMetadata transaction(String transactionalId) {
        return txns.get(transactionalId);
    }

    /** Bytes cut from a torn transaction-log tail when the coordinator started. */
    public long recoveredTruncatedBytes() {
        return txns.truncatedBytes();
    }

    /** The broker created a topic: partitions of it may now join transactions. */
    public void metadataChanged(ClusterMetadata newMetadata) {
        this.metadata = newMetadata;
        markers.metadataChanged(newMetadata);
    }

    // --- InitProducerId ----------------------------------------------------------------------

    /** CoordinatorInitProducerId: a fresh producer id, or the transactional id's epoch bumped. */
    @SpecAction({"CoordinatorFence", "CoordinatorInitProducerId"})
    public void handleInitProducerId(int source, InitProducerIdRequest r) {
        String id = r.transactionalId();
        if (id == null) {
            long pid = producerIds.nextProducerId();
            events.emit(new CoordinatorInitProducerId(brokerId, null, pid, (short) 0));
            transport.send(source, new InitProducerIdResponse(r.correlationId(), Errors.NONE, pid, (short) 0));
            return;
        }
        Errors error = checkCoordinator(id);
        if (error == Errors.NONE && (r.transactionTimeoutMs() <= 0
                || r.transactionTimeoutMs() > settings.transactionMaxTimeoutMs())) {
            error = Errors.INVALID_TRANSACTION_TIMEOUT;
        }
        if (error != Errors.NONE) {
            initError(source, r, error);
            return;
        }
        TransactionMetadata m = txns.get(id);
        if (m != null && r.hasProducerIdAndEpoch()) {
            if (m.lastInitRetry() && m.endedBy(r.producerId(), r.producerEpoch())) {
                // KIP-360: a retry of the re-initialisation that already bumped this identity (its answer
                // was lost): the same answer again, no second bump.
                events.emit(new CoordinatorInitProducerId(brokerId, id, m.producerId(), m.epoch()));
                transport.send(source, new InitProducerIdResponse(r.correlationId(), Errors.NONE, m.producerId(),
                        m.epoch()));
                return;
            }
            if (settings.fencingEnabled()
                    && (r.producerId() != m.clientProducerId() || r.producerEpoch() != m.clientEpoch())) {
                // KIP-360: an identity that is not the current one is an older instance's: it can neither
                // take the id over nor abort the live instance's transaction.
                initError(source, r, Errors.PRODUCER_FENCED);
                return;
            }
        }
        if (m == null) {
            m = TransactionMetadata.fresh(id, producerIds.nextProducerId(), (short) 0, r.transactionTimeoutMs());
        } else if (m.state().isPrepare()) {
            initError(source, r, Errors.CONCURRENT_TRANSACTIONS);
            return;
        } else if (m.state() == TransactionState.ONGOING && settings.fencingEnabled()) {
            // CoordinatorFence: bump the epoch so the old instance is fenced, abort its transaction with
            // the new epoch; the new instance retries until the abort is complete (Kafka does the same).
            short newEpoch = settings.bumpEpochOnInit() ? (short) (m.epoch() + 1) : m.epoch();
            events.emit(new CoordinatorFence(brokerId, id, m.producerId(), m.epoch(), newEpoch));
            prepare(m.withProducer(m.producerId(), m.epoch(), r.transactionTimeoutMs()), false, newEpoch);
            initError(source, r, Errors.CONCURRENT_TRANSACTIONS);
            return;
        } else {
            long pid = m.producerId();
            short epoch = settings.bumpEpochOnInit() ? (short) (m.epoch() + 1) : m.epoch();
            if (m.epoch() >= Short.MAX_VALUE - 1) {
                // Kafka's rule on epoch exhaustion: a new producer id starting at epoch 0.
                pid = producerIds.nextProducerId();
                epoch = 0;
            }
            if (settings.fencingEnabled()) {
                events.emit(new CoordinatorFence(brokerId, id, m.producerId(), m.epoch(), epoch));
            }
            TransactionMetadata bumped = m.withProducer(pid, epoch, r.transactionTimeoutMs());
            m = m.state() == TransactionState.ONGOING
                    ? bumped.transition(TransactionState.ONGOING, epoch, m.partitions(), m.startTimestamp())
                    : bumped.transition(TransactionState.EMPTY, epoch, Set.of(), -1L);
            if (r.hasProducerIdAndEpoch() && m.state() == TransactionState.EMPTY) {
                // remembered so that a retry of this request (its answer lost) gets the same answer
                m = m.withInitializingProducer(r.producerId(), r.producerEpoch());
            }
        }
        txns.write(m);
        events.emit(new CoordinatorInitProducerId(brokerId, id, m.producerId(), m.epoch()));
        transport.send(source, new InitProducerIdResponse(r.correlationId(), Errors.NONE, m.producerId(), m.epoch()));
    }

    private void initError(int source, InitProducerIdRequest r, Errors error) {
        transport.send(source, new InitProducerIdResponse(r.correlationId(), error, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH));
    }

    // --- AddPartitionsToTxn ------------------------------------------------------------------

    /** CoordinatorAddPartitions, or (verifyOnly) the KIP-890 check asked by a partition leader. */
    public void handleAddPartitions(int source, AddPartitionsToTxnRequest r) {
        transport.send(source, new AddPartitionsToTxnResponse(r.correlationId(),
                r.verifyOnly() ? verify(r) : addPartitions(r)));
    }

    @SpecAction("CoordinatorAddPartitions")
    private Errors addPartitions(AddPartitionsToTxnRequest r) {
        Errors error = checkProducer(r.transactionalId(), r.producerId(), r.producerEpoch());
        if (error != Errors.NONE) {
            return error;
        }
        TransactionMetadata m = txns.get(r.transactionalId());
        if (m.state().isPrepare()) {
            return Errors.CONCURRENT_TRANSACTIONS;
        }
        for (TopicPartition tp : r.partitions()) {
            if (!metadata.contains(tp)) {
                return Errors.UNKNOWN_TOPIC_OR_PARTITION;
            }
        }
        if (r.partitions().isEmpty()) {
            return Errors.INVALID_REQUEST;
        }
        TreeSet<TopicPartition> added = new TreeSet<>(r.partitions());
        added.removeAll(m.state() == TransactionState.ONGOING ? m.partitions() : Set.of());
        if (m.state() == TransactionState.ONGOING && added.isEmpty()) {
            return Errors.NONE;
        }
        TreeSet<TopicPartition> all = new TreeSet<>(added);
        long start = clock.milliseconds();
        if (m.state() == TransactionState.ONGOING) {
            all.addAll(m.partitions());
            start = m.startTimestamp();
        }
        TransactionMetadata next = m.transition(TransactionState.ONGOING, m.epoch(), all, start);
        txns.write(next);
        events.emit(new CoordinatorAddPartitions(brokerId, next.transactionalId(), next.producerId(), next.epoch(),
                List.copyOf(added)));
        return Errors.NONE;
    }

    private Errors verify(AddPartitionsToTxnRequest r) {
        Errors error = checkProducer(r.transactionalId(), r.producerId(), r.producerEpoch());
        if (error != Errors.NONE) {
            return error;
        }
        TransactionMetadata m = txns.get(r.transactionalId());
        if (m.state() != TransactionState.ONGOING || !m.partitions().containsAll(r.partitions())) {
            return Errors.INVALID_TXN_STATE;
        }
        return Errors.NONE;
    }

    // --- EndTxn ----------------------------------------------------------------------------

    /** ProducerEndTxn arriving: CoordinatorPrepare (the decision), then markers; or a retry's answer. */
    public void handleEndTxn(int source, EndTxnRequest r) {
        transport.send(source, endTxn(r));
    }

    /**
     * With the epoch bump per transaction (KIP-890 part 2) the decision moves the producer to epoch
     * + 1 (or, when the epoch is exhausted, to a new producer id at epoch 0 once the decision is
     * complete) and the answer says so. A retry of that EndTxn still carries the old identity: it
     * gets the same answer as the first copy (CONCURRENT_TRANSACTIONS while the markers are being
     * written, then success with the new identity), as Kafka's {@code lastProducerEpoch} check does.
     */
    private EndTxnResponse endTxn(EndTxnRequest r) {
        int corr = r.correlationId();
        TransactionState same = r.commit() ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        TransactionState samePrepare = r.commit() ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        TransactionMetadata m = checkCoordinator(r.transactionalId()) == Errors.NONE ? txns.get(r.transactionalId()) : null;
        if (m != null && m.endedBy(r.producerId(), r.producerEpoch()) && !m.lastInitRetry()) {
            if (m.state() == samePrepare) {
                return new EndTxnResponse(corr, Errors.CONCURRENT_TRANSACTIONS);
            }
            if (m.state() == same) {
                return new EndTxnResponse(corr, Errors.NONE, m.clientProducerId(), m.clientEpoch());
            }
            return new EndTxnResponse(corr, Errors.INVALID_TXN_STATE);
        }
        Errors error = checkProducer(r.transactionalId(), r.producerId(), r.producerEpoch());
        if (error != Errors.NONE) {
            return new EndTxnResponse(corr, error);
        }
        m = txns.get(r.transactionalId());
        // The commits-nothing flaw (negative tests only) decides every commit as an abort and says it failed.
        boolean commit = r.commit() && settings.commits();
        // KIP-890 part 2 also bumps on the abort of a transaction no leader added a partition to yet
        // (Kafka 4's TV2 rule), so a produce of it still on its way is refused by its old epoch.
        boolean ending = m.state() == TransactionState.ONGOING || !r.commit() && m.state().isIdle();
        if (ending && settings.bumpEpochPerTxn()) {
            // Kafka's rule on epoch exhaustion: a new producer id at epoch 0; the markers still close the old id.
            long next = m.epoch() >= Short.MAX_VALUE - 1 ? producerIds.nextProducerId() : RecordBatch.NO_PRODUCER_ID;
            TransactionMetadata prepared = prepare(m.withEndingProducer(m.producerId(), m.epoch(), next), commit,
                    (short) (m.epoch() + 1));
            return commit == r.commit()
                    ? new EndTxnResponse(corr, Errors.NONE, prepared.clientProducerId(), prepared.clientEpoch())
                    : new EndTxnResponse(corr, Errors.INVALID_TXN_STATE);
        }
        if (m.state() == TransactionState.ONGOING) {
            prepare(m, commit, m.epoch());
            return new EndTxnResponse(corr, commit == r.commit() ? Errors.NONE : Errors.INVALID_TXN_STATE);
        }
        if (m.state() == samePrepare) {
            return new EndTxnResponse(corr, Errors.CONCURRENT_TRANSACTIONS);
        }
        if (m.state() == same && !settings.bumpEpochPerTxn()) {
            // A retry of an EndTxn whose answer was lost: the transaction already ended that way.
            return new EndTxnResponse(corr, Errors.NONE);
        }
        return new EndTxnResponse(corr, Errors.INVALID_TXN_STATE);
    }

    // --- Prepare, markers, Complete ------------------------------------------------------------

    /** CoordinatorPrepare: durably log the decision, then send the markers. Returns the logged state. */
    @SpecAction("CoordinatorPrepare")
    private TransactionMetadata prepare(TransactionMetadata m, boolean commit, short epoch) {
        TransactionMetadata prepared = m.transition(commit ? TransactionState.PREPARE_COMMIT
                : TransactionState.PREPARE_ABORT, epoch, m.partitions(), m.startTimestamp());
        txns.write(prepared);
        events.emit(new CoordinatorPrepare(brokerId, prepared.transactionalId(), prepared.producerId(), epoch, commit));
        markers.addTxnMarkersToSend(prepared);
        return prepared;
    }

    /**
     * A partition leader answered a marker request. Returns false if the response is not one this
     * coordinator is waiting for (unknown correlation id or wrong sender), which is then ignored.
     */
    public boolean handleMarkersResponse(int source, WriteTxnMarkersResponse r) {
        return markers.handleMarkersResponse(source, r);
    }

    /**
     * The connection to broker {@code peer} is gone: marker requests in flight to it will not be
     * answered, so resend them after {@code retry.backoff.ms}.
     */
    public void disconnected(int peer) {
        markers.disconnected(peer);
    }

    // --- time-driven work ----------------------------------------------------------------------

    /**
     * Aborts timed-out transactions, closes connections whose marker request timed out, and
     * resends unacknowledged markers whose backoff has passed.
     */
    @SpecAction("CoordinatorTimeoutAbort")
    public void poll() {
        long now = clock.milliseconds();
        for (TransactionMetadata m : new ArrayList<>(txns.all())) {
            if (m.state() == TransactionState.ONGOING && now >= m.deadline()) {
                // CoordinatorTimeoutAbort: like Kafka, bump the epoch so the late producer is fenced.
                events.emit(new CoordinatorTimeoutAbort(brokerId, m.transactionalId(), m.producerId(), m.epoch()));
                boolean bump = settings.fencingEnabled() && settings.bumpEpochOnTimeoutAbort();
                prepare(m, false, bump ? (short) (m.epoch() + 1) : m.epoch());
            }
        }
        markers.poll(now);
    }

    /** Whether a decided transaction (Prepare*) still waits for markers to be acknowledged. */
    public boolean hasPendingMarkers() {
        return markers.hasPendingMarkers();
    }

    public long nextWakeupMs() {
        long next = markers.nextWakeupMs();
        for (TransactionMetadata m : txns.all()) {
            if (m.state() == TransactionState.ONGOING) {
                next = Math.min(next, m.deadline());
            }
        }
        return next;
    }

    // --- checks ------------------------------------------------------------------------------

    private Errors checkCoordinator(String transactionalId) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return Errors.INVALID_REQUEST;
        }
        return metadata.coordinatorFor(transactionalId) == brokerId ? Errors.NONE : Errors.NOT_COORDINATOR;
    }

    /**
     * The id is ours, known, mapped to this producer id, and the epoch is current -- the identity
     * the producer holds now ({@link TransactionMetadata#clientProducerId}), which after an EndTxn
     * on epoch exhaustion is the new producer id while the markers still carry the old one.
     */
    private Errors checkProducer(String transactionalId, long producerId, short epoch) {
        Errors error = checkCoordinator(transactionalId);
        if (error != Errors.NONE) {
            return error;
        }
        TransactionMetadata m = txns.get(transactionalId);
        if (m == null || m.clientProducerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch != m.clientEpoch() && (settings.fencingEnabled() || epoch > m.clientEpoch())) {
            return Errors.PRODUCER_FENCED;
        }
        return Errors.NONE;
    }
}
