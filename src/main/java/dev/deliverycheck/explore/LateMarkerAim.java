package dev.deliverycheck.explore;

import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.producer.internals.TransactionManager;
import dev.deliverycheck.sim.Envelope;
import dev.deliverycheck.sim.Simulation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a run aimed at a late transaction marker ({@link ScheduleGenerator.Focus#LATE_MARKER})
 * delivers messages: the situation is a WriteTxnMarkers request still on the wire after its
 * transaction completed (a copy the coordinator no longer waits for), met by the next transaction
 * of the same producer on the same partition. The real coordinator never leaves such a copy
 * behind (it closes the connection of a timed-out marker request before sending it again); a
 * coordinator that does is caught only if the copy is delivered after that next transaction's
 * records and before its own marker.
 *
 * <p>Rules for the steps of the run: the other traffic goes before marker requests; after a
 * marker request to a broker is delivered, further marker requests to that broker wait until its
 * answer is delivered, and once it answered, until the next decision (the coordinator keeps one
 * request per broker outstanding and sends a broker one per decision unless it gets an error, so
 * this holds back copies and retries); and while no decision awaits markers and the producer is
 * not ending a transaction, a marker request on the wire is a late copy and waits the same way.
 * What waits is delivered by the end phase (in time order), so Progress is judged as in any run. Invariant: one instance per run, fed every step it picked, so the same
 * seed gives the same run.
 */
final class LateMarkerAim {
    private static final String MARKER_REQUEST = "WriteTxnMarkersRequest";
    private static final String MARKER_RESPONSE = "WriteTxnMarkersResponse";

    /** Brokers a marker request was delivered to whose answer has not been delivered yet. */
    private final Set<Integer> awaitingAnswer = new HashSet<>();
    /** Brokers that answered a marker request of the current decision. */
    private final Set<Integer> answered = new HashSet<>();
    /** The decision (count of CoordinatorPrepare) {@link #answered} belongs to. */
    private int decision = -1;
    /** Whether request.timeout.ms was let pass over a marker request on the wire (once per run). */
    private boolean markersTimedOut;
    /** Sends picked since the last BeginTxn. */
    private int sendsInTransaction;
    /** The key of the run's first send. */
    private String firstKey;
    /**
     * Whether the last transaction the run ended was committed. The first is aborted (as if one had
     * committed before it), so that a late ABORT can meet the next transaction, which the end phase
     * commits if the steps do not end it.
     */
    private boolean lastCommitted = true;
    /** The head the last offered delivery takes. */
    private Envelope offered;

    /**
     * The key of a send: mostly the run's first key, so that one transaction after another writes
     * the partition a late marker is on its way to.
     */
    String key(String drawn, SeededRandom random) {
        if (firstKey == null) {
            firstKey = drawn == null ? "k0" : drawn;
        }
        return random.nextInt(4) == 0 ? drawn : firstKey;
    }

    /**
     * Whether the open transaction may end now: it has records and all are acknowledged, so the
     * decision's markers go to the partitions they were written to.
     */
    boolean mayEnd(Simulation sim) {
        return sendsInTransaction > 0 && sim.sendsPending() == 0;
    }

    /** The weight of a send: a transaction gets a record or two, not more. */
    int sendWeight() {
        return sendsInTransaction == 0 ? 20 : sendsInTransaction == 1 ? 6 : 2;
    }

    /** Whether the next transaction should rather commit: the other way than the last (the first aborts). */
    boolean commitNext() {
        return !lastCommitted;
    }

    /** The step that lets request.timeout.ms pass over marker requests on the wire, or null if not now. */
    Step markerTimeout(Simulation sim) {
        if (markersTimedOut) {
            return null;
        }
        for (Envelope e : sim.network().inFlight()) {
            if (e.type().equals(MARKER_REQUEST)) {
                return new Step.Advance(sim.config().brokerConfig().requestTimeoutMs() + 1_000L);
            }
        }
        return null;
    }

    /**
     * A delivery as the rules above order it, from the random preference {@code index}: the
     * index of the head to deliver, or -1 if every head is held back (no delivery is offered).
     */
    int delivery(Simulation sim, int index, TransactionManager.State txn) {
        List<Envelope> heads = sim.network().deliverableHeads();
        if (sim.transactionDecisions() != decision) {
            decision = sim.transactionDecisions();
            answered.clear();
        }
        boolean lateCopies = !sim.markersAwaited() && txn != TransactionManager.State.COMMITTING_TRANSACTION
                && txn != TransactionManager.State.ABORTING_TRANSACTION;
        int marker = -1;
        for (int k = 0; k < heads.size(); k++) {
            int i = Math.floorMod(index + k, heads.size());
            Envelope e = heads.get(i);
            if (!e.type().equals(MARKER_REQUEST)) {
                offered = e;
                return i;
            }
            boolean held = lateCopies || awaitingAnswer.contains(e.destination()) || answered.contains(e.destination());
            if (!held && marker < 0) {
                marker = i;
            }
        }
        offered = marker < 0 ? null : heads.get(marker);
        return marker;
    }

    /**
     * Records the step the generator picked, given the marker timeout and the delivery it offered
     * (either may be null).
     */
    void picked(Step step, Step markerTimeout, Step delivery) {
        if (step == markerTimeout && markerTimeout != null) {
            markersTimedOut = true;
        }
        if (step instanceof Step.BeginTxn) {
            sendsInTransaction = 0;
        } else if (step instanceof Step.Send) {
            sendsInTransaction++;
        }
        if (step instanceof Step.CommitTxn || step instanceof Step.AbortTxn) {
            lastCommitted = step instanceof Step.CommitTxn;
        }
        Envelope delivered = step == delivery && delivery != null ? offered : null;
        if (delivered != null && delivered.type().equals(MARKER_REQUEST)) {
            awaitingAnswer.add(delivered.destination());
        } else if (delivered != null && delivered.type().equals(MARKER_RESPONSE)) {
            awaitingAnswer.remove(delivered.source());
            answered.add(delivered.source());
        }
    }
}
