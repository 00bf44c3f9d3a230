package dev.deliverycheck.sim;

import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.env.Node;
import dev.deliverycheck.env.SeededRandom;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.ProducerNode;
import dev.deliverycheck.producer.StringSerializer;
import dev.deliverycheck.protocol.ClusterMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The producer instances of one simulation: the current one and the zombies that producer
 * restarts left behind, with node ids counted up from {@link Simulation#FIRST_PRODUCER_NODE}.
 *
 * <p>Invariant: exactly one instance is current; a replaced instance is never stopped or
 * forgotten (it lives on as a zombie that may still send and commit, and is still delivered
 * to), and each new instance takes the next node id and the next stream of the run's random.
 */
final class ProducerInstances {
    private final ProducerConfig producerConfig;
    private final ClusterMetadata metadata;
    private final VirtualClock clock;
    private final SimulatedNetwork network;
    private final SeededRandom random;
    private final EventSink events;
    private final List<ProducerNode<String, String>> zombies = new ArrayList<>();
    private final Map<Integer, Node> byId = new LinkedHashMap<>();
    private int nextNode = Simulation.FIRST_PRODUCER_NODE;
    private ProducerNode<String, String> current;

    /** Creates the first instance. */
    ProducerInstances(ProducerConfig producerConfig, ClusterMetadata metadata, VirtualClock clock,
                      SimulatedNetwork network, SeededRandom random, EventSink events) {
        this.producerConfig = producerConfig;
        this.metadata = metadata;
        this.clock = clock;
        this.network = network;
        this.random = random;
        this.events = events;
        this.current = create();
    }

    private ProducerNode<String, String> create() {
        int id = nextNode++;
        ProducerNode<String, String> node = new ProducerNode<>(id, producerConfig, new StringSerializer(),
                new StringSerializer(), metadata, clock, network.transportFor(id), random.split(), events);
        byId.put(id, node);
        return node;
    }

    ProducerNode<String, String> current() {
        return current;
    }

    /** The current instance becomes a zombie and a new one takes its place; returns the zombie. */
    ProducerNode<String, String> replace() {
        ProducerNode<String, String> old = current;
        zombies.add(old);
        current = create();
        return old;
    }

    /** The most recently replaced instance, or null if none was. */
    ProducerNode<String, String> newestZombie() {
        return zombies.isEmpty() ? null : zombies.get(zombies.size() - 1);
    }

    /** The instance with node id {@code id}, or null. */
    Node get(int id) {
        return byId.get(id);
    }

    /** Adds the current instance, then the zombies (oldest first): the scheduler's poll order. */
    void addAll(List<Node> nodes) {
        nodes.add(current);
        nodes.addAll(zombies);
    }

    /** No zombie has a send outstanding: a fenced instance must still complete its sends (with an error). */
    boolean zombiesDone() {
        for (ProducerNode<String, String> zombie : zombies) {
            if (zombie.hasIncomplete()) {
                return false;
            }
        }
        return true;
    }
}
