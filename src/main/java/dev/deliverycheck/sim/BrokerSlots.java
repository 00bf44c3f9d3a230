package dev.deliverycheck.sim;

import dev.deliverycheck.broker.Broker;
import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Node;
import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.TopicPartition;
import java.util.List;

/**
 * The brokers of one simulation, one slot per broker id, each with the simulated disk that
 * outlives its incarnations.
 *
 * <p>Invariant: a slot holds the broker's current incarnation while it is up and null while it
 * is down; the disk of a slot is the same object for the whole run, so a restarted broker
 * recovers from exactly what its predecessor made durable. Random draws (torn writes, fsync
 * latency) happen in broker-id order at construction and once per start, so a seed gives the
 * same brokers.
 */
final class BrokerSlots {
    private final SimulationConfig config;
    private final ClusterMetadata metadata;
    private final VirtualClock clock;
    private final SimulatedNetwork network;
    private final EventSink events;
    /** Draws each broker incarnation's fsync latency (null under a constant latency model). */
    private final SeededRandom fsyncRandom;
    private final SimulatedDisk[] disks;
    private final Broker[] brokers;

    /** Builds and starts every broker; a disk takes a stream of {@code random} when writes may tear. */
    BrokerSlots(SimulationConfig config, ClusterMetadata metadata, VirtualClock clock, SimulatedNetwork network,
                EventSink events, SeededRandom random, SeededRandom fsyncRandom) {
        this.config = config;
        this.metadata = metadata;
        this.clock = clock;
        this.network = network;
        this.events = events;
        this.fsyncRandom = fsyncRandom;
        this.disks = new SimulatedDisk[config.brokers()];
        this.brokers = new Broker[config.brokers()];
        for (int b = 0; b < config.brokers(); b++) {
            disks[b] = config.tornWrites() ? new SimulatedDisk(random.split()) : new SimulatedDisk();
            start(b);
        }
    }

    /** Starts a new incarnation of broker {@code id} on its disk. */
    void start(int id) {
        BrokerConfig brokerConfig = config.brokerConfig();
        if (fsyncRandom != null) {
            brokerConfig = brokerConfig.withFlushLatencyMs(
                    config.latency().drawFsyncMs(fsyncRandom, brokerConfig.flushLatencyMs()));
        }
        brokers[id] = config.brokerFactory().create(id, metadata, brokerConfig, disks[id], clock,
                network.transportFor(id), events);
    }

    /** Empties the slot (the process is gone); the disk stays. */
    void stop(int id) {
        brokers[id] = null;
    }

    /** The machine crashes too: what the disk had not made durable is lost. */
    void crashDisk(int id) {
        disks[id].crash();
    }

    int count() {
        return brokers.length;
    }

    boolean exists(int id) {
        return id >= 0 && id < brokers.length;
    }

    boolean up(int id) {
        return brokers[id] != null;
    }

    /** The current incarnation of broker {@code id}, or null while it is down. */
    Broker get(int id) {
        return brokers[id];
    }

    /** Adds the brokers that are up, in id order. */
    void addUp(List<Node> nodes) {
        for (Broker b : brokers) {
            if (b != null) {
                nodes.add(b);
            }
        }
    }

    /** No broker has anything left to flush, answer, verify or mark. */
    boolean idle() {
        for (Broker b : brokers) {
            if (b != null && !b.idle()) {
                return false;
            }
        }
        return true;
    }

    /** Whether broker {@code id} is up and leads a partition of {@code topic} whose log has an unflushed tail. */
    boolean hasUnflushedTail(int id, String topic) {
        if (!up(id)) {
            return false;
        }
        for (TopicPartition tp : metadata.partitionsFor(topic)) {
            if (metadata.leaderFor(tp) == id && brokers[id].logEndOffset(tp) > brokers[id].highWatermark(tp)) {
                return true;
            }
        }
        return false;
    }
}
