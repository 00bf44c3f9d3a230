package dev.deliverycheck.broker.txn;

import dev.deliverycheck.env.Clock;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.event.CoordinatorComplete;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.protocol.Errors;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.protocol.WriteTxnMarkersRequest;
import dev.deliverycheck.protocol.WriteTxnMarkersResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntSupplier;

/**
 * The coordinator's marker channel (Kafka's {@code TransactionMarkerChannelManager}): writes the
 * markers of every decided transaction (Prepare*) to each of its partitions' leaders, this broker
 * included, and logs Complete* once all are written.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Complete* is logged only after every partition of the transaction acknowledged its marker
 *       (or its leader has a newer epoch, or the partition no longer exists, as in Kafka);</li>
 *   <li>at most one marker request per partition is outstanding: a request unanswered after
 *       {@code request.timeout.ms} closes its connection (so no copy of it can be written later)
 *       and is resent {@code retry.backoff.ms} after the disconnect, as after a retriable error.
 *       Hence a partition is written a transaction's marker only while the decision is being
 *       written (Prepare*), never after Complete*, where a stale COMMIT could land on the
 *       producer's next transaction;</li>
 *   <li>a decision found in the log after a restart is completed: its markers are resent at the
 *       first poll.</li>
 * </ul>
 */
final class TransactionMarkerChannelManager {
    private final int brokerId;
    private ClusterMetadata metadata;
    private final TransactionCoordinator.Settings settings;
    private final Clock clock;
    private final Transport transport;
    private final EventSink events;
    private final IntSupplier correlationIds;
    private final TransactionStateManager state;
    /** Transactions in Prepare*, with the partitions whose marker is not acknowledged yet. */
    private final Map<String, MarkerJob> markerJobs = new TreeMap<>();
    /** Marker requests sent and not answered, by correlation id. */
    private final Map<Integer, InFlightMarkers> inFlight = new HashMap<>();

    private static final class MarkerJob {
        final TransactionMetadata prepared;
        final Set<TopicPartition> remaining;
        long nextSendAt;

        MarkerJob(TransactionMetadata prepared, long nextSendAt) {
            this.prepared = prepared;
            this.remaining = new TreeSet<>(prepared.partitions());
            this.nextSendAt = nextSendAt;
        }
    }

    private record InFlightMarkers(String transactionalId, int destination, List<TopicPartition> partitions,
                                   long sentAtMs) {
    }

    TransactionMarkerChannelManager(int brokerId, ClusterMetadata metadata, TransactionCoordinator.Settings settings,
                                    TransactionStateManager state, Clock clock, Transport transport, EventSink events,
                                    IntSupplier correlationIds) {
        this.brokerId = brokerId;
        this.metadata = metadata;
        this.settings = settings;
        this.state = state;
        this.clock = clock;
        this.transport = transport;
        this.events = events;
        this.correlationIds = correlationIds;
        long now = clock.milliseconds();
        for (TransactionMetadata m : state.all()) {
            if (m.state().isPrepare()) {
                // A logged decision is completed after a restart: resend every marker at the first poll.
                markerJobs.put(m.transactionalId(), new MarkerJob(m, now));
            }
        }
    }

    /** The broker created a topic: markers may now go to its partitions' leaders. */
    void metadataChanged(ClusterMetadata newMetadata) {
        this.metadata = newMetadata;
    }

    /** The logged decision {@code prepared} (Prepare*): send its markers now. */
    void addTxnMarkersToSend(TransactionMetadata prepared) {
        MarkerJob job = new MarkerJob(prepared, clock.milliseconds());
        markerJobs.put(prepared.transactionalId(), job);
        sendMarkers(job);
    }

    /** Sends the markers of every unacknowledged partition that has no request outstanding. */
    private void sendMarkers(MarkerJob job) {
        if (job.remaining.isEmpty()) {
            complete(job);
            return;
        }
        TransactionMetadata m = job.prepared;
        Set<TopicPartition> outstanding = new TreeSet<>();
        for (InFlightMarkers sent : inFlight.values()) {
            if (sent.transactionalId().equals(m.transactionalId())) {
                outstanding.addAll(sent.partitions());
            }
        }
        ControlType type = m.state() == TransactionState.PREPARE_COMMIT ? ControlType.COMMIT : ControlType.ABORT;
        Map<Integer, List<TopicPartition>> byLeader = new TreeMap<>();
        for (TopicPartition tp : job.remaining) {
            if (!outstanding.contains(tp)) {
                byLeader.computeIfAbsent(metadata.leaderFor(tp), b -> new ArrayList<>()).add(tp);
            }
        }
        long now = clock.milliseconds();
        job.nextSendAt = Long.MAX_VALUE;
        byLeader.forEach((leader, partitions) -> {
            int correlationId = correlationIds.getAsInt();
            inFlight.put(correlationId, new InFlightMarkers(m.transactionalId(), leader, partitions, now));
            transport.send(leader, new WriteTxnMarkersRequest(correlationId, m.producerId(), m.epoch(), type, partitions));
        });
    }

    /**
     * A partition leader answered a marker request. Returns false if the response is not one this
     * coordinator is waiting for (unknown correlation id or wrong sender), which is then ignored.
     */
    boolean handleMarkersResponse(int source, WriteTxnMarkersResponse r) {
        InFlightMarkers sent = inFlight.get(r.correlationId());
        if (sent == null || sent.destination() != source) {
            return false;
        }
        inFlight.remove(r.correlationId());
        MarkerJob job = markerJobs.get(sent.transactionalId());
        if (job == null) {
            return true;
        }
        for (TopicPartition tp : sent.partitions()) {
            Errors error = r.results().getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
            // A newer epoch at the leader or a partition that no longer exists: nothing left to mark (as Kafka).
            if (error == Errors.NONE || error == Errors.INVALID_PRODUCER_EPOCH
                    || error == Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                job.remaining.remove(tp);
            } else {
                job.nextSendAt = Math.min(job.nextSendAt, clock.milliseconds() + settings.retryBackoffMs());
            }
        }
        if (job.remaining.isEmpty()) {
            complete(job);
        }
        return true;
    }

    /**
     * The connection to broker {@code peer} is gone: marker requests in flight to it will not be
     * answered, so resend them after {@code retry.backoff.ms}.
     */
    void disconnected(int peer) {
        long resendAt = clock.milliseconds() + settings.retryBackoffMs();
        for (Iterator<InFlightMarkers> it = inFlight.values().iterator(); it.hasNext(); ) {
            InFlightMarkers sent = it.next();
            if (sent.destination() == peer) {
                it.remove();
                MarkerJob job = markerJobs.get(sent.transactionalId());
                if (job != null) {
                    job.nextSendAt = Math.min(job.nextSendAt, resendAt);
                }
            }
        }
    }

    /** CoordinatorComplete: every marker is written; log CompleteCommit / CompleteAbort. */
    @SpecAction("CoordinatorComplete")
    private void complete(MarkerJob job) {
        TransactionMetadata m = job.prepared;
        boolean commit = m.state() == TransactionState.PREPARE_COMMIT;
        TransactionMetadata decided = m.transition(commit ? TransactionState.COMPLETE_COMMIT
                : TransactionState.COMPLETE_ABORT, m.epoch(), Set.of(), -1L);
        // epoch exhausted: from now on the transactional id has the new producer id the EndTxn answer named
        TransactionMetadata done = m.nextProducerId() == RecordBatch.NO_PRODUCER_ID ? decided
                : decided.withProducer(m.nextProducerId(), (short) 0, m.timeoutMs());
        state.write(done);
        markerJobs.remove(done.transactionalId());
        inFlight.values().removeIf(f -> f.transactionalId().equals(done.transactionalId()));
        events.emit(new CoordinatorComplete(brokerId, done.transactionalId(), done.producerId(), done.epoch(), commit));
    }

    /**
     * Closes connections whose marker request timed out (at {@code now}), and resends
     * unacknowledged markers whose backoff has passed.
     */
    void poll(long now) {
        Set<Integer> timedOut = new TreeSet<>();
        for (InFlightMarkers sent : inFlight.values()) {
            if (now >= sent.sentAtMs() + settings.requestTimeoutMs()) {
                timedOut.add(sent.destination());
            }
        }
        if (!settings.closesTimedOutConnections()) {
            resendOnLiveConnection(now);
            timedOut.clear();
        }
        for (int peer : timedOut) {
            transport.disconnect(peer);
            disconnected(peer);
        }
        for (MarkerJob job : new ArrayList<>(markerJobs.values())) {
            if (job.nextSendAt <= now && markerJobs.get(job.prepared.transactionalId()) == job) {
                sendMarkers(job);
            }
        }
    }

    /**
     * The marker-resend flaw (negative tests only): each timed-out request is sent again with its
     * correlation id on the connection that still carries the first copy, so whichever answer comes
     * first completes the transaction and the other copy is written after CoordinatorComplete.
     */
    private void resendOnLiveConnection(long now) {
        for (Map.Entry<Integer, InFlightMarkers> e : inFlight.entrySet()) {
            InFlightMarkers sent = e.getValue();
            MarkerJob job = markerJobs.get(sent.transactionalId());
            if (job != null && now >= sent.sentAtMs() + settings.requestTimeoutMs()) {
                TransactionMetadata m = job.prepared;
                e.setValue(new InFlightMarkers(sent.transactionalId(), sent.destination(), sent.partitions(), now));
                transport.send(sent.destination(), new WriteTxnMarkersRequest(e.getKey(), m.producerId(), m.epoch(),
                        m.state() == TransactionState.PREPARE_COMMIT ? ControlType.COMMIT : ControlType.ABORT,
                        sent.partitions()));
            }
        }
    }

    /** Whether a decided transaction (Prepare*) still waits for markers to be acknowledged. */
    boolean hasPendingMarkers() {
        return !markerJobs.isEmpty();
    }

    /** When a marker is next due to be resent or a marker request times out, or Long.MAX_VALUE. */
    long nextWakeupMs() {
        long next = Long.MAX_VALUE;
        for (MarkerJob job : markerJobs.values()) {
            next = Math.min(next, job.nextSendAt);
        }
        for (InFlightMarkers sent : inFlight.values()) {
            next = Math.min(next, sent.sentAtMs() + settings.requestTimeoutMs());
        }
        return next;
    }
}
