package dev.deliverycheck.sim;

import dev.deliverycheck.broker.Broker;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Node;
import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerRestart;
import dev.deliverycheck.event.ProducerRestart;
import dev.deliverycheck.event.SpecAction;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerNode;
import dev.deliverycheck.producer.ProducerRecord;
import dev.deliverycheck.producer.internals.TransactionManager;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.ArrayList;
import java.util.List;
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
    private final EventTally events;
    private final VirtualClock clock = new VirtualClock(0);
    private final FaultPlan faults;
    private final SimulatedNetwork network;
    private final ClusterMetadata metadata;
    private final BrokerSlots brokers;
    private final ProducerInstances producers;
    private final Scheduler scheduler;
    private final Clockwork clockwork;
    private final ReadCache reads = new ReadCache();
    private final TransactionSteps transactions;
    private long nextRecordId;
    private int brokerCrashes;
    private int brokerShutdowns;
    private int producerRestarts;

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
        this.events = new EventTally(sink);
        this.scheduler = new Scheduler(clock, this::buildLiveNodes, config.seed());
        SeededRandom random = new SeededRandom(config.seed());
        this.faults = new FaultPlan(config.requestLoss(), config.ackLoss(), random.split());
        // A constant model draws nothing: it takes no stream, so runs under it keep their random streams.
        boolean variable = !config.latency().isConstant();
        this.network = new SimulatedNetwork(clock, events, faults, config.latency(), variable ? random.split() : null,
                this::notifyDisconnect);
        if (config.separateAnswerConnections()) {
            network.separateAnswerConnections();
        }
        SeededRandom fsyncRandom = variable ? random.split() : null;
        this.clockwork = new Clockwork(clock, network, scheduler, this::node);
        // the producer learns the transaction protocol from what the brokers advertise, as from Kafka's ApiVersions
        this.metadata = ClusterMetadata.of(config.brokers(), TOPIC, config.partitions())
                .withTransactionVersion(config.brokerConfig().transactionVersion());
        this.brokers = new BrokerSlots(config, metadata, clock, network, events, random, fsyncRandom);
        // ProducerConfig is immutable: the one parsed instance serves every producer instance of the run.
        this.producers = new ProducerInstances(producerConfig, metadata, clock, network, random, events);
        this.transactions = new TransactionSteps(config.mode().transactional(), producers, this::runDue);
        if (config.mode().transactional()) {
            transactions.initTransactions();
        }
        runDue();
    }

    private ProducerNode<String, String> producer() {
        return producers.current();
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
            producer().send(record, null);
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
        return clockwork.deliver(index);
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
        clockwork.advance(ms);
    }

    /** Runs the cluster in time order for {@code ms}: messages are delivered as they arrive (loss rates apply). */
    public void runFor(long ms) {
        clockwork.runFor(ms);
    }

    @SpecAction("BrokerCrash")
    public boolean crashBroker(int id) {
        if (!brokers.exists(id) || !brokers.up(id)) {
            return false;
        }
        brokers.stop(id);
        scheduler.invalidate();
        // BrokerCrash
        events.emit(new BrokerCrash(id));
        brokers.crashDisk(id);
        cutOff(id);
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
        if (!brokers.exists(id) || !brokers.up(id)) {
            return false;
        }
        brokers.get(id).shutdown();
        brokers.stop(id);
        scheduler.invalidate();
        // BrokerCrash (after a clean shutdown nothing is unflushed)
        events.emit(new BrokerCrash(id));
        cutOff(id);
        brokerShutdowns++;
        return true;
    }

    /** A stopped broker's connections close: what is in flight to or from it is lost, every live node is told. */
    private void cutOff(int id) {
        network.dropAllOf(id);
        network.setDown(id, true);
        for (Node n : scheduler.liveNodes()) {
            n.disconnected(id);
        }
    }

    @SpecAction("BrokerRestart")
    public boolean restartBroker(int id) {
        if (!brokers.exists(id) || brokers.up(id)) {
            return false;
        }
        // BrokerRestart
        events.emit(new BrokerRestart(id));
        network.setDown(id, false);
        brokers.start(id);
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
        ProducerNode<String, String> old = producers.replace();
        scheduler.invalidate();
        // ProducerRestart
        events.emit(new ProducerRestart(old.nodeId(), producer().nodeId(), SimulationConfig.TRANSACTIONAL_ID));
        producerRestarts++;
        transactions.initTransactions();
        runDue();
        return true;
    }

    /**
     * The newest zombie (an instance replaced by {@link #restartProducer}) tries to commit the
     * transaction it had open when it was replaced; it must be fenced.
     */
    public boolean zombieCommit() {
        return transactions.zombieCommit();
    }

    public boolean beginTransaction() {
        return transactions.begin();
    }

    public boolean commitTransaction() {
        return transactions.end(true);
    }

    public boolean abortTransaction() {
        return transactions.end(false);
    }

    /** {@code flush()} without blocking: every batch becomes ready; polls send them. */
    public void flush() {
        producer().beginFlush();
        runDue();
    }

    // ---- phases --------------------------------------------------------------------------------

    /** Ends the fault phase: no more random losses, every crashed broker restarts. */
    public void heal() {
        faults.heal();
        for (int b = 0; b < brokers.count(); b++) {
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
        transactions.finish();
        return clockwork.runUntil(this::quiescent, maxMs, transactions::actAsApplicationWould);
    }

    /** Runs (deliveries and timers) until {@code future} completes or {@code maxMs} passed. */
    public boolean runUntilDone(CompletableFuture<?> future, long maxMs) {
        return clockwork.runUntilDone(future, maxMs);
    }

    /**
     * Nothing in flight, no broker work left, and no producer instance with a send outstanding:
     * zombies count too, since a fenced instance must still complete its sends (with an error).
     */
    private boolean quiescent() {
        return network.isEmpty() && !producer().hasIncomplete() && transactions.pending().isDone()
                && brokers.idle() && producers.zombiesDone();
    }

    /**
     * A reader fetches every partition from offset 0, both isolation levels (ConsumerFetch). A
     * fetch whose leader's log position is unchanged is answered from the last one
     * ({@link ReadCache}); the emitted event is then the same ConsumerFetch again.
     */
    public void readAll() {
        for (TopicPartition tp : metadata.partitionsFor(TOPIC)) {
            Broker leader = brokers.get(metadata.leaderFor(tp));
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

    /** Brokers that are up (in id order), the producer, then the zombies: the scheduler's poll order. */
    private Node[] buildLiveNodes() {
        List<Node> nodes = new ArrayList<>();
        brokers.addUp(nodes);
        producers.addAll(nodes);
        return nodes.toArray(new Node[0]);
    }

    private Node node(int id) {
        return brokers.exists(id) ? brokers.get(id) : producers.get(id);
    }

    // ---- observations (for preconditions and reports) ------------------------------------------

    /**
     * Counts events that can change a reader's view or a checker's verdict (appends, flushes,
     * markers, crashes, acknowledgements, transaction outcomes, fencing). Checking again after a
     * step that did not move it cannot find anything new.
     */
    public long observableChanges() {
        return events.observableChanges();
    }

    public long nowMs() {
        return clock.milliseconds();
    }

    public SimulatedNetwork network() {
        return network;
    }

    public boolean brokerUp(int id) {
        return brokers.up(id);
    }

    public int brokerCount() {
        return brokers.count();
    }

    /** Transactions the coordinator aborted for exceeding transaction.timeout.ms so far. */
    public int timeoutAborts() {
        return events.timeoutAborts();
    }

    /**
     * Whether the coordinator's last transaction decision still awaits its markers (a
     * CoordinatorPrepare without its CoordinatorComplete): a marker request on the wire while
     * none is awaited is a late copy of one already answered.
     */
    public boolean markersAwaited() {
        return events.decisionPending();
    }

    /** Records handed to {@code send()} whose outcome (acknowledged or failed) is not known yet. */
    public int sendsPending() {
        return events.sendsPending();
    }

    /** Transaction decisions (CoordinatorPrepare) so far. */
    public int transactionDecisions() {
        return events.decisions();
    }

    /** Whether a produce answer was lost since the producer last retried a batch (a retry it may still owe). */
    public boolean produceAnswerLostSinceLastRetry() {
        return events.produceAnswerLostSinceLastRetry();
    }

    /** Whether broker {@code id} is up and leads a partition whose log has an unflushed tail. */
    public boolean hasUnflushedTail(int id) {
        return brokers.hasUnflushedTail(id, TOPIC);
    }

    public TransactionManager.State transactionState() {
        return transactions.state();
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
        return transactions.pending();
    }
}
