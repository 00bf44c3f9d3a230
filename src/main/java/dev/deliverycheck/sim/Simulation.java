package dev.deliverycheck.sim;

import dev.deliverycheck.broker.Broker;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Node;
import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerRestart;
import dev.deliverycheck.event.NetworkLoseResponse;
import dev.deliverycheck.event.ProducerRestart;
import dev.deliverycheck.event.ProducerRetry;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerNode;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.producer.StringSerializer;
import dev.deliverycheck.producer.internals.TransactionManager;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One deterministic cluster: brokers on simulated disks, one producer (plus the zombies that
 * producer restarts leave behind), a simulated network and a virtual clock, all driven from
 * one thread.
 *
 * <p>This is the only place where producer and broker meet. It offers the steps a schedule is
 * made of (send, deliver, lose, advance time, crash, restart, transaction boundaries, flush);
 * after every step each node does whatever is due at the current virtual time. Invariant: the
 * same configuration and the same calls give the same history, event for event.
 */
public final class Simulation {
    public static final String TOPIC = "events";
    public static final int FIRST_PRODUCER_NODE = 100;

    private final SimulationConfig config;
    /** {@code config.producerConfig()}, parsed once: every producer instance of the run uses it. */
    private final ProducerConfig producerConfig;
    private final EventSink events;
    private final VirtualClock clock = new VirtualClock(0);
    private final SeededRandom random;
    private final FaultPlan faults;
    private final SimulatedNetwork network;
    /** Draws each broker incarnation's fsync latency (null under a constant latency model). */
    private final SeededRandom fsyncRandom;
    private final ClusterMetadata metadata;
    private final SimulatedDisk[] disks;
    private final Broker[] brokers;
    private final List<ProducerNode<String, String>> zombies = new ArrayList<>();
    private final Map<Integer, Node> producersById = new LinkedHashMap<>();
    private ProducerNode<String, String> producer;
    private final Scheduler scheduler;
    private final ReadCache reads = new ReadCache();
    private CompletableFuture<Void> pendingTransactionOp = CompletableFuture.completedFuture(null);
    private int nextProducerNode = FIRST_PRODUCER_NODE;
    private long nextRecordId;
    private int brokerCrashes;
    private int brokerShutdowns;
    private long observableChanges;
    private int producerRestarts;
    private boolean produceAnswerLostSinceLastRetry;
    private int timeoutAborts;

    public Simulation(SimulationConfig config, EventSink sink) {
        this(config, sink, config.producerConfig());
    }

    /**
     * As {@link #Simulation(SimulationConfig, EventSink)} with the producer configuration parsed
     * already, for callers that run many simulations of one configuration; it must be
     * {@code config.producerConfig()} (ProducerConfig is immutable, so one instance serves all).
     */
    public Simulation(SimulationConfig config, EventSink sink, ProducerConfig producerConfig) {
        this.config = config;
        this.producerConfig = producerConfig;
        this.events = event -> {
            if (changesWhatReadersOrCheckersSee(event)) {
                observableChanges++;
            }
            if (event instanceof NetworkLoseResponse l && l.messageType().equals("ProduceResponse")) {
                produceAnswerLostSinceLastRetry = true;
            } else if (event instanceof ProducerRetry) {
                produceAnswerLostSinceLastRetry = false;
            } else if (event instanceof dev.deliverycheck.event.CoordinatorTimeoutAbort) {
                timeoutAborts++;
            }
            sink.emit(event);
        };
        this.scheduler = new Scheduler(clock, this::buildLiveNodes, config.seed());
        this.random = new SeededRandom(config.seed());
        this.faults = new FaultPlan(config.requestLoss(), config.ackLoss(), random.split());
        // A constant model draws nothing: it takes no stream, so runs under it keep their random streams.
        boolean variable = !config.latency().isConstant();
        this.network = new SimulatedNetwork(clock, events, faults, config.latency(), variable ? random.split() : null,
                this::notifyDisconnect);
        this.fsyncRandom = variable ? random.split() : null;
        // the producer learns the transaction protocol from what the brokers advertise, as from Kafka's ApiVersions
        this.metadata = ClusterMetadata.of(config.brokers(), TOPIC, config.partitions())
                .withTransactionVersion(config.brokerConfig().transactionVersion());
        this.disks = new SimulatedDisk[config.brokers()];
        this.brokers = new Broker[config.brokers()];
        for (int b = 0; b < config.brokers(); b++) {
            disks[b] = config.tornWrites() ? new SimulatedDisk(random.split()) : new SimulatedDisk();
            brokers[b] = newBroker(b);
        }
        this.producer = newProducer();
        if (config.mode().transactional()) {
            pendingTransactionOp = producer.initTransactions();
        }
        runDue();
    }

    private Broker newBroker(int id) {
        dev.deliverycheck.broker.BrokerConfig brokerConfig = config.brokerConfig();
        if (fsyncRandom != null) {
            brokerConfig = brokerConfig.withFlushLatencyMs(
                    config.latency().drawFsyncMs(fsyncRandom, brokerConfig.flushLatencyMs()));
        }
        return config.brokerFactory().create(id, metadata, brokerConfig, disks[id], clock,
                network.transportFor(id), events);
    }

    private ProducerNode<String, String> newProducer() {
        int id = nextProducerNode++;
        ProducerNode<String, String> node = new ProducerNode<>(id, producerConfig, new StringSerializer(),
                new StringSerializer(), metadata, clock, network.transportFor(id), random.split(), events);
        producersById.put(id, node);
        return node;
    }

    // ---- steps -------------------------------------------------------------------------------

    /**
     * Hands one record with a fresh id to {@code send()}; returns the id, or -1 if the producer
     * refused it synchronously (e.g. a transactional producer outside a transaction).
     */
    public long send(String key) {
        long id = nextRecordId;
        ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, null, key, "value-" + id,
                List.of(Record.idHeader(id)));
        try {
            producer.send(record, null);
        } catch (RuntimeException refused) {
            return -1;
        }
        nextRecordId++;
        runDue();
        return id;
    }

    /**
     * Delivers the head message of the {@code index}-th non-empty connection (mod their count), the
     * heads ordered by arrival time: {@code deliver 0} is the next message due, a higher index
     * lets it be overtaken. Time moves to the message's arrival first, and timers due before then
     * fire first (a request timeout can beat a stalled answer); if one of them resets the
     * connection, the message is lost with it and nothing is delivered.
     */
    public boolean deliver(int index) {
        List<Envelope> heads = network.deliverableHeads();
        if (heads.isEmpty()) {
            return false;
        }
        Envelope chosen = heads.get(Math.floorMod(index, heads.size()));
        long next = nextWakeup();
        while (next < chosen.deliverAtMs()) {
            clock.advanceTo(next);
            next = runDue();
        }
        if (!network.isHead(chosen)) {
            return true;
        }
        deliverEnvelope(chosen);
        runDue();
        return true;
    }

    private void deliverEnvelope(Envelope head) {
        clock.advanceTo(head.deliverAtMs());
        network.take(head);
        Node destination = node(head.destination());
        if (destination != null) {
            destination.receive(head.source(), head.message());
        }
    }

    public boolean loseRequest(int index) {
        return loseNth(index, true);
    }

    public boolean loseResponse(int index) {
        return loseNth(index, false);
    }

    private boolean loseNth(int index, boolean requests) {
        List<Envelope> candidates = network.inFlight().stream().filter(e -> e.isRequest() == requests).toList();
        if (candidates.isEmpty()) {
            return false;
        }
        Envelope victim = candidates.get(Math.floorMod(index, candidates.size()));
        network.loseOldest(e -> e == victim);
        return true;
    }

    /** Lets {@code ms} of virtual time pass without delivering messages; due timers fire. */
    public void advance(long ms) {
        long target = clock.milliseconds() + ms;
        long next = nextWakeup();
        while (next <= target) {
            clock.advanceTo(next);
            next = runDue();
        }
        clock.advanceTo(target);
        runDue();
    }

    /** Runs the cluster in time order for {@code ms}: messages are delivered as they arrive (loss rates apply). */
    public void runFor(long ms) {
        long target = clock.milliseconds() + ms;
        long nextTimer = nextWakeup();
        while (true) {
            long nextMessage = network.nextDeliveryMs();
            long next = Math.min(nextMessage, nextTimer);
            if (next > target) {
                break;
            }
            clock.advanceTo(next);
            if (nextMessage <= nextTimer) {
                deliverEnvelope(network.earliestHead());
            }
            nextTimer = runDue();
        }
        clock.advanceTo(target);
        runDue();
    }

    @SpecAction("BrokerCrash")
    public boolean crashBroker(int id) {
        if (id < 0 || id >= brokers.length || brokers[id] == null) {
            return false;
        }
        brokers[id] = null;
        scheduler.invalidate();
        // BrokerCrash
        events.emit(new BrokerCrash(id));
        disks[id].crash();
        network.dropAllOf(id);
        network.setDown(id, true);
        for (Node n : liveNodes()) {
            n.disconnected(id);
        }
        brokerCrashes++;
        return true;
    }

    /**
     * Clean shutdown: the broker flushes every partition, answers what waited for the flush and
     * writes producer-state snapshots, then stops. Its process exits but the machine stays up, so
     * nothing on its disk is lost; connections close (what is in flight to or from it is lost).
     * Recorded as BrokerFlush events and a BrokerCrash with nothing unflushed: the spec's crash
     * when the volatile tail is empty.
     */
    @SpecAction("BrokerCrash")
    public boolean shutdownBroker(int id) {
        if (id < 0 || id >= brokers.length || brokers[id] == null) {
            return false;
        }
        brokers[id].shutdown();
        brokers[id] = null;
        scheduler.invalidate();
        // BrokerCrash (after a clean shutdown nothing is unflushed)
        events.emit(new BrokerCrash(id));
        network.dropAllOf(id);
        network.setDown(id, true);
        for (Node n : liveNodes()) {
            n.disconnected(id);
        }
        brokerShutdowns++;
        return true;
    }

    @SpecAction("BrokerRestart")
    public boolean restartBroker(int id) {
        if (id < 0 || id >= brokers.length || brokers[id] != null) {
            return false;
        }
        // BrokerRestart
        events.emit(new BrokerRestart(id));
        network.setDown(id, false);
        brokers[id] = newBroker(id);
        scheduler.invalidate();
        runDue();
        return true;
    }

    /**
     * The producer crashes; a new instance with the same transactional.id starts and initialises.
     * The old instance is not stopped: it lives on as a zombie that may still send and commit.
     */
    @SpecAction("ProducerRestart")
    public boolean restartProducer() {
        if (!config.mode().transactional()) {
            return false;
        }
        ProducerNode<String, String> old = producer;
        zombies.add(old);
        producer = newProducer();
        scheduler.invalidate();
        // ProducerRestart
        events.emit(new ProducerRestart(old.nodeId(), producer.nodeId(), SimulationConfig.TRANSACTIONAL_ID));
        producerRestarts++;
        pendingTransactionOp = producer.initTransactions();
        runDue();
        return true;
    }

    /**
     * The newest zombie (an instance replaced by {@link #restartProducer}) tries to commit the
     * transaction it had open when it was replaced; it must be fenced.
     */
    public boolean zombieCommit() {
        if (zombies.isEmpty()) {
            return false;
        }
        ProducerNode<String, String> zombie = zombies.get(zombies.size() - 1);
        if (zombie.transactionState() != TransactionManager.State.IN_TRANSACTION) {
            return false;
        }
        try {
            zombie.commitTransaction();
        } catch (RuntimeException refused) {
            return false;
        }
        runDue();
        return true;
    }

    public boolean beginTransaction() {
        if (!config.mode().transactional() || producer.transactionState() != TransactionManager.State.READY) {
            return false;
        }
        producer.beginTransaction();
        return true;
    }

    public boolean commitTransaction() {
        return endTransaction(true);
    }

    public boolean abortTransaction() {
        return endTransaction(false);
    }

    private boolean endTransaction(boolean commit) {
        if (!config.mode().transactional()) {
            return false;
        }
        TransactionManager.State state = producer.transactionState();
        boolean allowed = commit ? state == TransactionManager.State.IN_TRANSACTION
                : state == TransactionManager.State.IN_TRANSACTION || state == TransactionManager.State.ABORTABLE_ERROR;
        if (!allowed) {
            return false;
        }
        try {
            pendingTransactionOp = commit ? producer.commitTransaction() : producer.abortTransaction();
        } catch (RuntimeException refused) {
            return false;
        }
        runDue();
        return true;
    }

    /** {@code flush()} without blocking: every batch becomes ready; polls send them. */
    public void flush() {
        producer.beginFlush();
        runDue();
    }

    // ---- phases --------------------------------------------------------------------------------

    /** Ends the fault phase: no more random losses, every crashed broker restarts. */
    public void heal() {
        faults.heal();
        for (int b = 0; b < brokers.length; b++) {
            restartBroker(b);
        }
    }

    /**
     * Finishes the producer's work after faults stopped: flushes, commits an open transaction,
     * and runs in time order until nothing is left to do or {@code maxMs} of virtual time passed.
     * Returns true if the cluster became quiescent.
     */
    public boolean settle(long maxMs) {
        flush();
        if (config.mode().transactional() && producer.transactionState() == TransactionManager.State.IN_TRANSACTION) {
            commitTransaction();
        } else if (config.mode().transactional()
                && producer.transactionState() == TransactionManager.State.ABORTABLE_ERROR) {
            abortTransaction();
        }
        long deadline = clock.milliseconds() + maxMs;
        long nextTimer = nextWakeup();
        while (!quiescent()) {
            long nextMessage = network.nextDeliveryMs();
            long next = Math.min(nextMessage, nextTimer);
            if (next == Long.MAX_VALUE || next > deadline) {
                return quiescent();
            }
            clock.advanceTo(next);
            if (nextMessage <= nextTimer) {
                deliverEnvelope(network.earliestHead());
            }
            nextTimer = runDue();
            if (producer.transactionState() == TransactionManager.State.IN_TRANSACTION && pendingTransactionOp.isDone()) {
                producer.beginFlush();
                // The flush makes the producer due: what runDue saw is stale.
                nextTimer = nextWakeup();
            } else if (producer.transactionState() == TransactionManager.State.ABORTABLE_ERROR
                    && pendingTransactionOp.isDone()) {
                // A transaction that hit an abortable error ends the way an application ends it: abort.
                abortTransaction();
                nextTimer = nextWakeup();
            }
        }
        return true;
    }

    /** Runs (deliveries and timers) until {@code future} completes or {@code maxMs} passed. */
    public boolean runUntilDone(CompletableFuture<?> future, long maxMs) {
        long deadline = clock.milliseconds() + maxMs;
        while (!future.isDone()) {
            long next = Math.min(network.nextDeliveryMs(), nextWakeup());
            if (next == Long.MAX_VALUE || next > deadline) {
                return future.isDone();
            }
            runFor(Math.max(0, next - clock.milliseconds()));
        }
        return true;
    }

    /**
     * Nothing in flight, no broker work left, and no producer instance with a send outstanding:
     * zombies count too, since a fenced instance must still complete its sends (with an error).
     */
    private boolean quiescent() {
        return network.isEmpty() && !producer.hasIncomplete() && pendingTransactionOp.isDone()
                && brokersIdle() && zombiesDone();
    }

    private boolean zombiesDone() {
        for (ProducerNode<String, String> zombie : zombies) {
            if (zombie.hasIncomplete()) {
                return false;
            }
        }
        return true;
    }

    /** No broker has anything left to flush, answer, verify or mark. */
    private boolean brokersIdle() {
        for (Broker b : brokers) {
            if (b != null && !b.idle()) {
                return false;
            }
        }
        return true;
    }

    /**
     * A reader fetches every partition from offset 0, both isolation levels (ConsumerFetch). A
     * fetch whose leader's log position is unchanged is answered from the last one
     * ({@link ReadCache}); the emitted event is then the same ConsumerFetch again.
     */
    public void readAll() {
        for (TopicPartition tp : metadata.partitionsFor(TOPIC)) {
            Broker leader = brokers[metadata.leaderFor(tp)];
            if (leader == null) {
                continue;
            }
            for (IsolationLevel isolation : IsolationLevel.values()) {
                // ConsumerFetch
                events.emit(reads.fetch(leader, tp, isolation));
            }
        }
    }

    /**
     * Whether {@link #readAll} may answer from the last fetch (default true). Off, every read goes
     * through the broker: the test that proves the shortcut changes no history turns it off.
     */
    public void cacheReads(boolean enabled) {
        reads.enable(enabled);
    }

    private void notifyDisconnect(int nodeId, int peer) {
        scheduler.disconnectNotified();
        Node n = node(nodeId);
        if (n != null) {
            n.disconnected(peer);
        }
    }

    // ---- scheduling ----------------------------------------------------------------------------

    private long runDue() {
        return scheduler.runDue();
    }

    private long nextWakeup() {
        return scheduler.nextWakeup();
    }

    private Node[] liveNodes() {
        return scheduler.liveNodes();
    }

    /** Brokers that are up (in id order), the producer, then the zombies: the scheduler's poll order. */
    private Node[] buildLiveNodes() {
        List<Node> nodes = new ArrayList<>(brokers.length + 1 + zombies.size());
        for (Broker b : brokers) {
            if (b != null) {
                nodes.add(b);
            }
        }
        nodes.add(producer);
        nodes.addAll(zombies);
        return nodes.toArray(new Node[0]);
    }

    private Node node(int id) {
        if (id >= 0 && id < brokers.length) {
            return brokers[id];
        }
        return producersById.get(id);
    }

    // ---- observations (for preconditions and reports) ------------------------------------------

    /** Events after which a reader may see a different log, or a checker judge differently. */
    private static boolean changesWhatReadersOrCheckersSee(dev.deliverycheck.event.Event e) {
        return e instanceof dev.deliverycheck.event.BrokerAppend || e instanceof dev.deliverycheck.event.BrokerFlush
                || e instanceof dev.deliverycheck.event.CoordinatorWriteMarker || e instanceof BrokerCrash
                || e instanceof BrokerRestart || e instanceof dev.deliverycheck.event.BrokerRecoverPartition
                || e instanceof dev.deliverycheck.event.ProducerSendAcked
                || e instanceof dev.deliverycheck.event.ProducerEndTxnResult
                || e instanceof dev.deliverycheck.event.CoordinatorInitProducerId
                || e instanceof dev.deliverycheck.event.CoordinatorPrepare;
    }

    /**
     * Counts events that can change a reader's view or a checker's verdict (appends, flushes,
     * markers, crashes, acknowledgements, transaction outcomes, fencing). Checking again after a
     * step that did not move it cannot find anything new.
     */
    public long observableChanges() {
        return observableChanges;
    }

    public long nowMs() {
        return clock.milliseconds();
    }

    public SimulatedNetwork network() {
        return network;
    }

    public boolean brokerUp(int id) {
        return brokers[id] != null;
    }

    public int brokerCount() {
        return brokers.length;
    }

    /** Transactions the coordinator aborted for exceeding transaction.timeout.ms so far. */
    public int timeoutAborts() {
        return timeoutAborts;
    }

    /** Whether a produce answer was lost since the producer last retried a batch (a retry it may still owe). */
    public boolean produceAnswerLostSinceLastRetry() {
        return produceAnswerLostSinceLastRetry;
    }

    /** Whether broker {@code id} is up and leads a partition whose log has an unflushed tail. */
    public boolean hasUnflushedTail(int id) {
        if (!brokerUp(id)) {
            return false;
        }
        for (TopicPartition tp : metadata.partitionsFor(TOPIC)) {
            if (metadata.leaderFor(tp) == id && brokers[id].logEndOffset(tp) > brokers[id].highWatermark(tp)) {
                return true;
            }
        }
        return false;
    }

    public TransactionManager.State transactionState() {
        return producer.transactionState();
    }

    public int brokerCrashes() {
        return brokerCrashes;
    }

    public int brokerShutdowns() {
        return brokerShutdowns;
    }

    public int producerRestarts() {
        return producerRestarts;
    }

    public long recordsSent() {
        return nextRecordId;
    }

    public SimulationConfig config() {
        return config;
    }

    public CompletableFuture<Void> pendingTransactionOp() {
        return pendingTransactionOp;
    }
}
