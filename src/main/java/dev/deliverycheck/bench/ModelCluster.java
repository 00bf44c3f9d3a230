package dev.deliverycheck.bench;

import dev.deliverycheck.broker.Broker;
import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Node;
import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.local.TrafficListener;
import dev.deliverycheck.producer.ByteArraySerializer;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerNode;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.sim.SimulatedDisk;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The discrete-event bench simulator: the real {@link Broker}s (on {@link SimulatedDisk}s) and
 * the real {@link ProducerNode}, on a virtual clock with nanosecond resolution, with a
 * {@link CostModel} deciding how long brokers work and messages travel.
 *
 * <p>Each broker is a single server with a FIFO queue: a message that arrives while the broker
 * is busy waits; when its turn comes the broker works on it for the cost model's service time,
 * and at the end of that time the real broker code handles it ({@code receive}, then
 * {@code poll}, which flushes and releases the answers). Every message spends the model's one-way
 * latency on the network. Producers react instantly, except that with a client cost (per request, batch, record)
 * a producer's messages leave one at a time, each after that much of its sender's time (FIFO) — or, with the cost
 * model's {@code clientOnBrokerCore}, leave at once and that time is added to the request's service at its broker
 * (the client and the broker share the host's cores, so the sender's work waits in the broker's queue). With the
 * cost model's stalls ({@link ServiceStalls}) each broker stops working for stalls that come as a Poisson process in time, drawn
 * from a random source per broker, seeded with the cluster's seed and used for nothing else: a service that meets a
 * stall ends that much later, a message arriving during one waits for its end (no stalls: no draws, so such a run is
 * the run without the term). Nodes' timers are in milliseconds (see
 * {@link NanoClock}); a timer due at millisecond {@code m} fires at {@code m × 10⁶} ns.
 *
 * <p>Invariants: events run in (time, scheduling order) order, so the same inputs give the same
 * run; after every event each node that is due is polled until none is (a node that stays due
 * {@value #MAX_POLLS_PER_EVENT} times in a row is a bug and fails the run loudly); a broker
 * works on at most one message at a time.
 */
public final class ModelCluster {
    public static final String TOPIC = "bench";
    public static final int FIRST_PRODUCER_ID = 100;
    private static final int MAX_POLLS_PER_EVENT = 10_000;
    /** Keeps the stalls' random source apart from the producer's, which the same seed seeds. */
    private static final long STALL_SEED_SALT = 0x5354_414C_4C53L;

    private final NanoClock clock = new NanoClock();
    private final PriorityQueue<Timed> agenda = new PriorityQueue<>();
    private final CostModel cost;
    private long stalls;
    private long stallNs;
    private final ClusterMetadata metadata;
    private final BrokerServer[] servers;
    private final Map<Integer, ProducerNode<byte[], byte[]>> producers = new HashMap<>();
    /** Per producer, when its sender is next free (only with a client cost per request). */
    private final Map<Integer, Long> clientFreeAtNs = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Runnable> afterEachEvent = new ArrayList<>();
    private TrafficListener listener = TrafficListener.NONE;
    private long sequence;
    private long timerAtNs = Long.MAX_VALUE;
    private long events;

    private record Timed(long atNs, long sequence, Runnable action) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed o) {
            int c = Long.compare(atNs, o.atNs);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private record Arrival(int source, Message message) {
    }

    /** A broker and the queue of messages waiting for it. */
    private final class BrokerServer {
        final Broker broker;
        final double slowdown;
        final ArrayDeque<Arrival> queue = new ArrayDeque<>();
        /** Draws this broker's stalls; null without stalls, so a model without them draws nothing. */
        final SplittableRandom stallRandom;
        /** The next stall's start and length (only with stalls); stalls never overlap. */
        long stallAtNs;
        long stallLengthNs;
        boolean busy;
        long busyNs;

        BrokerServer(Broker broker, double slowdown, SplittableRandom stallRandom) {
            this.broker = broker;
            this.slowdown = slowdown;
            this.stallRandom = stallRandom;
            if (stallRandom != null) {
                drawStall(0);
            }
        }

        private void drawStall(long afterNs) {
            stallAtNs = afterNs + cost.stalls().nextGapNs(stallRandom);
            stallLengthNs = cost.stalls().lengthNs(stallRandom);
        }

        /**
         * When {@code workNs} of work started at {@code startNs} ends: later by every stall that starts before it
         * ends; a stall under way at {@code startNs} delays the start. Stalls that ended before are passed over.
         */
        private long endOfWork(long startNs, long workNs) {
            long at = startNs;
            long remaining = workNs;
            while (true) {
                if (stallAtNs <= at) {
                    long stallEnd = stallAtNs + stallLengthNs;
                    if (stallEnd > at) {
                        stalls++;
                        stallNs += stallEnd - at;
                        at = stallEnd;
                    }
                    drawStall(stallEnd);
                } else if (stallAtNs < at + remaining) {
                    remaining -= stallAtNs - at;
                    at = stallAtNs;
                } else {
                    return at + remaining;
                }
            }
        }

        void arrive(int source, Message message) {
            queue.addLast(new Arrival(source, message));
            if (!busy) {
                startNext();
            }
        }

        private void startNext() {
            Arrival next = queue.pollFirst();
            if (next == null) {
                busy = false;
                return;
            }
            busy = true;
            long service = cost.serviceNs(next.message(), slowdown);
            if (cost.clientOnBrokerCore() && producers.containsKey(next.source())) {
                // the producer's sender time for this request, spent on the core the broker needs (not slowed down)
                service += cost.clientNs(next.message());
            }
            long now = clock.nanoseconds();
            // a stall is the machine's (a thread off its core), not the broker's work: not scaled by slowdown
            long end = stallRandom == null ? now + service : endOfWork(now, service);
            busyNs += end - now;
            at(end, () -> finish(next));
        }

        private void finish(Arrival a) {
            broker.receive(a.source(), a.message());
            broker.poll();
            startNext();
        }
    }

    /**
     * @param slowdown per broker, the factor on its service times (1 = as the model says);
     *                 its length is the number of brokers
     */
    public ModelCluster(int partitions, CostModel cost, double[] slowdown) {
        this(partitions, cost, slowdown, BrokerConfig.DEFAULT);
    }

    /** As above, with the brokers' settings. */
    public ModelCluster(int partitions, CostModel cost, double[] slowdown, BrokerConfig brokerConfig) {
        this(partitions, cost, slowdown, brokerConfig, 0);
    }

    /** As above; {@code seed} seeds the draws of the cost model's stalls (unused without them). */
    public ModelCluster(int partitions, CostModel cost, double[] slowdown, BrokerConfig brokerConfig, long seed) {
        this.cost = cost;
        SplittableRandom stallSeeds = cost.hasStalls() ? new SplittableRandom(seed ^ STALL_SEED_SALT) : null;
        this.metadata = ClusterMetadata.of(slowdown.length, TOPIC, partitions);
        this.servers = new BrokerServer[slowdown.length];
        for (int b = 0; b < slowdown.length; b++) {
            final int id = b;
            Broker broker = new Broker(b, metadata, brokerConfig, new SimulatedDisk(), clock,
                    (destination, message) -> send(id, destination, message), EventSink.NONE);
            servers[b] = new BrokerServer(broker, slowdown[b], stallSeeds == null ? null : stallSeeds.split());
            nodes.add(broker);
        }
    }

    /** A cluster of {@code brokers} equally fast brokers. */
    public static double[] uniform(int brokers) {
        double[] s = new double[brokers];
        Arrays.fill(s, 1.0);
        return s;
    }

    public ClusterMetadata metadata() {
        return metadata;
    }

    /** A producer node (ids 100, 101, ...) on this cluster's clock and network. */
    public ProducerNode<byte[], byte[]> addProducer(ProducerConfig config, long seed) {
        int id = FIRST_PRODUCER_ID + producers.size();
        ProducerNode<byte[], byte[]> node = new ProducerNode<>(id, config, new ByteArraySerializer(),
                new ByteArraySerializer(), metadata, clock, (destination, message) -> send(id, destination, message),
                new SeededRandom(seed), EventSink.NONE);
        producers.put(id, node);
        nodes.add(node);
        runDue();
        return node;
    }

    /** Shows every message sent from now on to {@code listener} (on send, before the network delay). */
    public void listen(TrafficListener listener) {
        this.listener = listener;
    }

    /** Runs {@code action} after every event (after due nodes were polled). */
    public void afterEachEvent(Runnable action) {
        afterEachEvent.add(action);
    }

    public long nowNs() {
        return clock.nanoseconds();
    }

    /** Schedules {@code action} at virtual time {@code atNs} (not before now). */
    public void at(long atNs, Runnable action) {
        agenda.add(new Timed(Math.max(atNs, clock.nanoseconds()), sequence++, action));
    }

    /** Runs events up to and including time {@code endNs}, then moves the clock to {@code endNs}. */
    public void runUntil(long endNs) {
        while (!agenda.isEmpty() && agenda.peek().atNs() <= endNs) {
            step();
        }
        if (endNs > clock.nanoseconds()) {
            clock.advanceTo(endNs);
            runDue();
        }
    }

    /** Runs until {@code done} holds after an event, nothing is left to do, or {@code endNs} passed. */
    public boolean runUntil(java.util.function.BooleanSupplier done, long endNs) {
        while (!done.getAsBoolean()) {
            if (agenda.isEmpty() || agenda.peek().atNs() > endNs) {
                return done.getAsBoolean();
            }
            step();
        }
        return true;
    }

    private void step() {
        Timed t = agenda.poll();
        clock.advanceTo(t.atNs());
        events++;
        t.action().run();
        runDue();
        for (Runnable r : afterEachEvent) {
            r.run();
        }
    }

    /** Stalls that delayed a broker's work so far, and the delay they caused in all, ns. */
    public long[] stalls() {
        return new long[] {stalls, stallNs};
    }

    /** Events handled so far (a measure of the simulator's own work). */
    public long eventCount() {
        return events;
    }

    /**
     * Per broker, the nanoseconds of work it has started so far (a service that runs past now
     * counts whole): differences of two readings give the brokers' busy time in between.
     */
    public long[] brokerBusyNs() {
        long[] busy = new long[servers.length];
        for (int b = 0; b < servers.length; b++) {
            busy[b] = servers[b].busyNs;
        }
        return busy;
    }

    // ---- network -----------------------------------------------------------------------------

    private void send(int source, int destination, Message message) {
        listener.onSend(source, destination, message);
        long departNs = clock.nanoseconds();
        if (cost.hasClientCost() && !cost.clientOnBrokerCore() && producers.containsKey(source)) {
            // The producer's sender handles its requests one at a time: each leaves once it has had its share.
            departNs = Math.max(departNs, clientFreeAtNs.getOrDefault(source, 0L)) + cost.clientNs(message);
            clientFreeAtNs.put(source, departNs);
        }
        at(departNs + cost.oneWayLatencyNs(), () -> arrive(source, destination, message));
    }

    private void arrive(int source, int destination, Message message) {
        if (destination >= 0 && destination < servers.length) {
            servers[destination].arrive(source, message);
            return;
        }
        ProducerNode<byte[], byte[]> p = producers.get(destination);
        if (p != null) {
            p.receive(source, message);
        }
    }

    // ---- timers ------------------------------------------------------------------------------

    /** Polls every due node until none is, then makes sure a timer event exists for the next wake-up. */
    private void runDue() {
        long nowMs = clock.milliseconds();
        int polls = 0;
        boolean any = true;
        while (any) {
            any = false;
            for (Node n : nodes) {
                if (n.nextWakeupMs() <= nowMs) {
                    n.poll();
                    any = true;
                    if (++polls > MAX_POLLS_PER_EVENT) {
                        throw new IllegalStateException(n + " stays due at t=" + clock.nanoseconds() + " ns after "
                                + MAX_POLLS_PER_EVENT + " polls");
                    }
                }
            }
        }
        long next = Long.MAX_VALUE;
        for (Node n : nodes) {
            next = Math.min(next, n.nextWakeupMs());
        }
        if (next == Long.MAX_VALUE) {
            return;
        }
        long atNs = next * 1_000_000L;
        if (timerAtNs <= clock.nanoseconds() || atNs < timerAtNs) {
            timerAtNs = atNs;
            at(atNs, this::timerFired);
        }
    }

    private void timerFired() {
        if (timerAtNs <= clock.nanoseconds()) {
            timerAtNs = Long.MAX_VALUE;
        }
    }
}
