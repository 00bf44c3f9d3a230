package dev.deliverycheck.sim;

import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.event.NetworkDeliver;
import dev.deliverycheck.event.NetworkLoseRequest;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.protocol.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The simulated network: one FIFO queue per direction of a connection, as TCP keeps order within
 * a connection while separate connections reorder freely. By default all traffic from one node to
 * another is one connection. With {@link #separateAnswerConnections()}, two nodes that both send
 * requests to each other (brokers: WriteTxnMarkers one way, KIP-890 verification the other) do so
 * on two connections, each opened by the requesting side, as Kafka's inter-broker clients do: from
 * {@code a} to {@code b} the requests of {@code a} and the answers to requests of {@code b} travel
 * on different connections and either can overtake the other. The explorer turns it on
 * ({@code SimulationConfig.forExploration}), so a marker request re-sent behind a live first copy
 * can be overtaken by the next transaction's traffic. (The one trace rejection it first showed,
 * exactly-once seed 1237, was the broker answering a connection's requests out of order, fixed in
 * GroupCommit.) A reset (loss, refused connection, {@link Transport#disconnect}) breaks everything
 * between the two nodes.
 *
 * <p>Faults live here: a message can be lost (a lost request or a lost response, i.e. ACK) on
 * purpose by {@link #loseOldest}, or by the {@link FaultPlan}'s seeded rates when it is sent.
 * Delivery to a node that is down drops the message, as a refused connection would. Every loss
 * and delivery is recorded as an event. Invariant: a message is delivered at most once, and
 * never before its {@code deliverAtMs}.
 */
public final class SimulatedNetwork {
    private final VirtualClock clock;
    private final EventSink events;
    private final FaultPlan faults;
    private final Map<Long, Deque<Envelope>> connections = new TreeMap<>();
    private final java.util.function.BiConsumer<Integer, Integer> onReset;
    private long nextSequence;
    private int requestsLost;
    private int responsesLost;
    private LatencyModel latency;
    private final dev.deliverycheck.env.RandomSource latencyRandom;
    private final java.util.Set<Integer> down = new java.util.HashSet<>();
    private boolean answersOnOwnConnection;

    /**
     * @param onReset told {@code (node, peer)} for both ends of a connection that was reset, so
     *                each node learns of the disconnect as a real client would
     */
    public SimulatedNetwork(VirtualClock clock, EventSink events, FaultPlan faults, long latencyMs,
                            java.util.function.BiConsumer<Integer, Integer> onReset) {
        this(clock, events, faults, LatencyModel.constant(latencyMs), null, onReset);
    }

    /**
     * @param latency       per-message latency model; while the fault plan is not healed it may
     *                      draw long tails and stalls
     * @param latencyRandom the stream latencies are drawn from (unused by a constant model, may be null then)
     */
    public SimulatedNetwork(VirtualClock clock, EventSink events, FaultPlan faults, LatencyModel latency,
                            dev.deliverycheck.env.RandomSource latencyRandom,
                            java.util.function.BiConsumer<Integer, Integer> onReset) {
        if (!latency.isConstant() && latencyRandom == null) {
            throw new IllegalArgumentException("a variable latency model needs a random source");
        }
        this.onReset = onReset;
        this.clock = clock;
        this.events = events;
        this.faults = faults;
        this.latency = latency;
        this.latencyRandom = latencyRandom;
    }

    /** The transport a node with id {@code source} uses to send. */
    public Transport transportFor(int source) {
        return new Transport() {
            @Override
            public void send(int destination, Message message) {
                SimulatedNetwork.this.send(source, destination, message);
            }

            @Override
            public void disconnect(int peer) {
                resetConnection(source, peer);
            }
        };
    }

    public void setLatencyMs(long latencyMs) {
        this.latency = LatencyModel.constant(latencyMs);
    }

    private void send(int source, int destination, Message message) {
        long drawn = latency.drawMessageMs(latencyRandom, !faults.healed());
        long key = key(source, destination, message instanceof dev.deliverycheck.protocol.Request
                || !answersOnOwnConnection);
        Deque<Envelope> queue = connections.get(key);
        // TCP keeps order within a connection: a message never arrives before the one sent ahead of it.
        long deliverAt = clock.milliseconds() + drawn;
        if (queue != null && !queue.isEmpty()) {
            deliverAt = Math.max(deliverAt, queue.peekLast().deliverAtMs());
        }
        Envelope e = new Envelope(nextSequence++, source, destination, message, deliverAt);
        if (down.contains(destination)) {
            // a refused connection: the sender learns of it at once, as a real client does
            recordLoss(e);
            onReset.accept(source, destination);
            return;
        }
        if (faults.shouldLose(e)) {
            // A message lost on the wire is a broken connection, as in the measured Kafka runs:
            // everything else in flight between the two nodes is lost with it, and both ends notice.
            recordLoss(e);
            resetConnection(source, destination);
            return;
        }
        (queue != null ? queue : connections.computeIfAbsent(key, k -> new ArrayDeque<>())).addLast(e);
    }

    /** The queue of one direction of one connection: requests from source, or answers from it. */
    private static long key(int source, int destination, boolean request) {
        return ((long) source << 33) | ((destination & 0xffffffffL) << 1) | (request ? 0 : 1);
    }

    private long key(Envelope e) {
        return key(e.source(), e.destination(), e.isRequest() || !answersOnOwnConnection);
    }

    /**
     * From now on, answers travel on the connection the requester opened, apart from the answering
     * node's own requests (see the class comment). Call it while no answer is in flight.
     */
    public void separateAnswerConnections() {
        if (inFlightCount(false) > 0) {
            throw new IllegalStateException("answers in flight: separate the connections before any answer is sent");
        }
        answersOnOwnConnection = true;
    }

    @SpecAction({"NetworkLoseRequest", "NetworkLoseResponse"})
    private void recordLoss(Envelope e) {
        if (e.isRequest()) {
            requestsLost++;
            // NetworkLoseRequest
            events.emit(new NetworkLoseRequest(e.source(), e.destination(), e.message().correlationId(), e.type()));
        } else {
            responsesLost++;
            // NetworkLoseResponse
            events.emit(new NetworkLoseResponse(e.source(), e.destination(), e.message().correlationId(), e.type()));
        }
    }

    /** Heads of all non-empty connections in arrival order (ties: oldest first): the messages that can be delivered next. */
    public List<Envelope> deliverableHeads() {
        List<Envelope> heads = new ArrayList<>();
        for (Deque<Envelope> q : connections.values()) {
            if (!q.isEmpty()) {
                heads.add(q.peekFirst());
            }
        }
        heads.sort(ARRIVAL_ORDER);
        return heads;
    }

    private static final Comparator<Envelope> ARRIVAL_ORDER =
            Comparator.comparingLong(Envelope::deliverAtMs).thenComparingLong(Envelope::sequence);

    /** Whether {@code e} is still the head of its connection (not lost, not delivered). */
    public boolean isHead(Envelope e) {
        Deque<Envelope> q = connections.get(key(e));
        return q != null && q.peekFirst() == e;
    }

    /** All messages in flight, oldest first. */
    public List<Envelope> inFlight() {
        List<Envelope> all = new ArrayList<>();
        connections.values().forEach(all::addAll);
        all.sort(Comparator.comparingLong(Envelope::sequence));
        return all;
    }

    /**
     * The head that {@code deliverableHeads()} lists first among those with the earliest
     * {@code deliverAtMs} (ties go to the oldest message), or null if nothing is in flight.
     */
    public Envelope earliestHead() {
        Envelope best = null;
        for (Deque<Envelope> q : connections.values()) {
            Envelope e = q.peekFirst();
            if (e != null && (best == null || e.deliverAtMs() < best.deliverAtMs()
                    || (e.deliverAtMs() == best.deliverAtMs() && e.sequence() < best.sequence()))) {
                best = e;
            }
        }
        return best;
    }

    /** Requests ({@code true}) or responses ({@code false}) in flight; counts what {@link #inFlight()} lists. */
    public int inFlightCount(boolean requests) {
        int n = 0;
        for (Deque<Envelope> q : connections.values()) {
            for (Envelope e : q) {
                if (e.isRequest() == requests) {
                    n++;
                }
            }
        }
        return n;
    }

    public boolean isEmpty() {
        for (Deque<Envelope> q : connections.values()) {
            if (!q.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Earliest time a queued message becomes deliverable, or Long.MAX_VALUE. */
    public long nextDeliveryMs() {
        long t = Long.MAX_VALUE;
        for (Deque<Envelope> q : connections.values()) {
            if (!q.isEmpty()) {
                t = Math.min(t, q.peekFirst().deliverAtMs());
            }
        }
        return t;
    }

    /** Removes the head of the envelope's connection; the caller hands it to the destination. */
    @SpecAction("NetworkDeliver")
    public Envelope take(Envelope head) {
        Deque<Envelope> q = connections.get(key(head));
        if (q == null || q.peekFirst() != head) {
            throw new IllegalStateException("not the head of its connection: " + head);
        }
        q.pollFirst();
        // NetworkDeliver
        events.emit(new NetworkDeliver(head.source(), head.destination(), head.message().correlationId(), head.type()));
        return head;
    }

    /** Loses the oldest in-flight message matching the filter; returns it, or null if none matched. */
    public Envelope loseOldest(Predicate<Envelope> filter) {
        Envelope victim = null;
        for (Deque<Envelope> q : connections.values()) {
            for (Envelope e : q) {
                if (filter.test(e) && (victim == null || e.sequence() < victim.sequence())) {
                    victim = e;
                }
            }
        }
        if (victim != null) {
            connections.get(key(victim)).remove(victim);
            recordLoss(victim);
            // TCP never drops one message and delivers the next on the same connection: a lost
            // message is a broken connection, which both ends notice (as the seeded losses do)
            resetConnection(victim.source(), victim.destination());
        }
        return victim;
    }

    /**
     * Resets the connection between two nodes: every message in flight between them, in either
     * direction, is lost, and both ends are told of the disconnect.
     */
    public void resetConnection(int a, int b) {
        for (int[] direction : new int[][] {{a, b}, {b, a}}) {
            // each direction's losses in send order, requests and answers interleaved as they were sent
            List<Envelope> lost = new ArrayList<>();
            for (boolean request : new boolean[] {true, false}) {
                Deque<Envelope> q = connections.get(key(direction[0], direction[1], request));
                while (q != null && !q.isEmpty()) {
                    lost.add(q.pollFirst());
                }
            }
            lost.sort(Comparator.comparingLong(Envelope::sequence));
            lost.forEach(this::recordLoss);
        }
        onReset.accept(a, b);
        onReset.accept(b, a);
    }

    /** Drops every message to or from a node (it crashed: its connections are gone). */
    public void dropAllOf(int node) {
        for (Map.Entry<Long, Deque<Envelope>> entry : connections.entrySet()) {
            Deque<Envelope> q = entry.getValue();
            if (!q.isEmpty() && (q.peekFirst().source() == node || q.peekFirst().destination() == node)) {
                while (!q.isEmpty()) {
                    recordLoss(q.pollFirst());
                }
            }
        }
    }

    /** Marks a node down (crashed) or up; messages sent to a down node are lost, as a refused connection. */
    public void setDown(int node, boolean isDown) {
        if (isDown) {
            down.add(node);
        } else {
            down.remove(node);
        }
    }

    public int requestsLost() {
        return requestsLost;
    }

    public int responsesLost() {
        return responsesLost;
    }
}
