package dev.deliverycheck.broker;

import dev.deliverycheck.env.Transport;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.ClusterMetadata;
import dev.deliverycheck.protocol.FetchRequest;
import dev.deliverycheck.protocol.FetchResponse;
import dev.deliverycheck.protocol.IsolationLevel;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.Record;
import dev.deliverycheck.protocol.RecordBatch;
import dev.deliverycheck.protocol.Request;
import dev.deliverycheck.protocol.Response;
import dev.deliverycheck.protocol.TopicPartition;
import dev.deliverycheck.sim.SimulatedDisk;
import dev.deliverycheck.sim.VirtualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Test rig: brokers on simulated disks, a manual clock, and a capturing network. Messages sent by
 * a broker queue up until the test delivers them ({@link #deliverAll}); messages to a client id
 * (100 and up) land in {@link #inbox}. A test can drop queued messages to model loss.
 */
final class Cluster {
    static final String TOPIC = "t";

    final ClusterMetadata metadata;
    final VirtualClock clock = new VirtualClock(1_000);
    final List<Event> events = new ArrayList<>();
    final Deque<Envelope> network = new ArrayDeque<>();
    final List<Envelope> inbox = new ArrayList<>();
    final SimulatedDisk[] disks;
    final Broker[] brokers;
    BrokerConfig config;

    record Envelope(int from, int to, Message message) {
    }

    Cluster(int brokerCount, int partitions, BrokerConfig config) {
        this.metadata = ClusterMetadata.of(brokerCount, TOPIC, partitions);
        this.config = config;
        this.disks = new SimulatedDisk[brokerCount];
        this.brokers = new Broker[brokerCount];
        for (int b = 0; b < brokerCount; b++) {
            disks[b] = new SimulatedDisk();
            brokers[b] = start(b);
        }
    }

    Broker start(int b) {
        int self = b;
        Transport transport = new Transport() {
            @Override
            public void send(int to, Message message) {
                network.add(new Envelope(self, to, message));
            }

            @Override
            public void disconnect(int peer) {
                // A closed connection loses what is queued on it, in both directions, and both ends notice.
                network.removeIf(e -> e.from() == self && e.to() == peer || e.from() == peer && e.to() == self);
                if (peer >= 0 && peer < brokers.length && brokers[peer] != null) {
                    brokers[peer].disconnected(self);
                }
            }
        };
        return new Broker(b, metadata, config, disks[b], clock, transport, events::add);
    }

    /** The machine crashes: the broker object is dropped, its disk loses unflushed bytes, a new broker opens it. */
    void crashAndRestart(int b) {
        network.removeIf(e -> e.to() == b);
        disks[b].crash();
        brokers[b] = start(b);
    }

    static TopicPartition tp(int p) {
        return new TopicPartition(TOPIC, p);
    }

    Broker leader(TopicPartition tp) {
        return brokers[metadata.leaderFor(tp)];
    }

    /** A client request straight into a broker. */
    void send(int client, int broker, Request request) {
        brokers[broker].receive(client, request);
    }

    /** Delivers queued broker-to-broker messages (and polls) until the network is quiet. */
    void deliverAll() {
        deliverAllExcept(e -> false);
    }

    /** Like {@link #deliverAll} but drops (loses) every message matching {@code lose}. */
    void deliverAllExcept(Predicate<Envelope> lose) {
        for (int round = 0; round < 1000; round++) {
            pollAll();
            if (network.isEmpty()) {
                return;
            }
            while (!network.isEmpty()) {
                Envelope e = network.poll();
                if (lose.test(e)) {
                    continue;
                }
                if (e.to() >= 100) {
                    inbox.add(e);
                } else {
                    brokers[e.to()].receive(e.from(), e.message());
                }
            }
        }
        throw new AssertionError("network never went quiet");
    }

    /** Delivers the first queued message matching {@code which} (out of order), without polling. */
    void deliverFirst(Predicate<Envelope> which) {
        Envelope e = network.stream().filter(which).findFirst()
                .orElseThrow(() -> new AssertionError("no such message in " + network));
        network.remove(e);
        if (e.to() >= 100) {
            inbox.add(e);
        } else {
            brokers[e.to()].receive(e.from(), e.message());
        }
    }

    void pollAll() {
        for (Broker b : brokers) {
            if (b.nextWakeupMs() <= clock.milliseconds()) {
                b.poll();
            }
        }
    }

    /** The last response of type {@code type} that reached {@code client}. */
    <T extends Response> T lastResponse(int client, Class<T> type) {
        for (int i = inbox.size() - 1; i >= 0; i--) {
            Envelope e = inbox.get(i);
            if (e.to() == client && type.isInstance(e.message())) {
                return type.cast(e.message());
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " for client " + client + " in " + inbox);
    }

    <T extends Response> List<T> responses(int client, Class<T> type) {
        return inbox.stream().filter(e -> e.to() == client && type.isInstance(e.message()))
                .map(e -> type.cast(e.message())).toList();
    }

    <T extends Event> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<Long> read(TopicPartition tp, IsolationLevel isolation) {
        FetchResponse r = leader(tp).fetch(new FetchRequest(0, tp, 0, Integer.MAX_VALUE, isolation));
        return r.records().stream().map(f -> f.record().recordId()).toList();
    }

    static RecordBatch batch(TopicPartition tp, long pid, int epoch, int seq, boolean transactional, long... ids) {
        List<Record> records = new ArrayList<>();
        for (long id : ids) {
            records.add(Record.withId(id, 0, null, ("v" + id).getBytes()));
        }
        return new RecordBatch(tp, pid, (short) epoch, seq, transactional, null, records);
    }

    static RecordBatch plain(TopicPartition tp, long... ids) {
        List<Record> records = new ArrayList<>();
        for (long id : ids) {
            records.add(Record.withId(id, 0, null, ("v" + id).getBytes()));
        }
        return RecordBatch.plain(tp, records);
    }
}
