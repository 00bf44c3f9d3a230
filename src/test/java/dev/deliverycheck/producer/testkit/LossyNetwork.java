package dev.deliverycheck.producer.testkit;

import dev.deliverycheck.env.RandomSource;
import dev.deliverycheck.env.Transport;
import dev.deliverycheck.producer.ProducerNode;
import dev.deliverycheck.protocol.Message;
import dev.deliverycheck.protocol.Request;
import dev.deliverycheck.protocol.Response;
import dev.deliverycheck.sim.VirtualClock;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A deterministic little world for one producer node and some {@link FakeBroker}s: messages take
 * 1–{@code maxDelayMs} ms, requests and responses are lost with seeded probabilities, and the
 * clock jumps from event to event. A test stand-in for the project's simulation.
 */
public final class LossyNetwork implements Transport {
    private record InTransit(long atMs, long order, int from, int to, Message message) {
    }

    private final VirtualClock clock;
    private final RandomSource random;
    private final List<FakeBroker> brokers;
    private final int producerId;
    private final int maxDelayMs;
    private double requestLoss;
    private double responseLoss;
    private final PriorityQueue<InTransit> queue = new PriorityQueue<>((a, b) -> a.atMs() != b.atMs()
            ? Long.compare(a.atMs(), b.atMs()) : Long.compare(a.order(), b.order()));
    private long order;
    private long stepsAtSameTime;
    private long lastStepMs = Long.MIN_VALUE;
    private ProducerNode<?, ?> node;
    public int requestsLost;
    public int responsesLost;

    public LossyNetwork(VirtualClock clock, RandomSource random, List<FakeBroker> brokers, int producerId, int maxDelayMs) {
        this.clock = clock;
        this.random = random;
        this.brokers = brokers;
        this.producerId = producerId;
        this.maxDelayMs = maxDelayMs;
    }

    public void attach(ProducerNode<?, ?> node) {
        this.node = node;
    }

    public void faults(double requestLoss, double responseLoss) {
        this.requestLoss = requestLoss;
        this.responseLoss = responseLoss;
    }

    @Override
    public void send(int destination, Message message) {
        if (random.nextDouble() < requestLoss) {
            requestsLost++;
            return;
        }
        queue.add(new InTransit(clock.milliseconds() + 1 + random.nextInt(maxDelayMs), order++, producerId, destination, message));
    }

    /** Runs until the producer has nothing incomplete and the network is empty, or until {@code untilMs}. */
    public void runUntilQuiet(long untilMs) {
        while (clock.milliseconds() <= untilMs) {
            if (!node.hasIncomplete() && queue.isEmpty() && node.isQuiescent()) {
                return;
            }
            step(untilMs);
        }
    }

    /** Runs until {@code untilMs}. */
    public void runUntil(long untilMs) {
        while (clock.milliseconds() < untilMs) {
            if (!step(untilMs)) {
                clock.advanceTo(untilMs);
            }
        }
    }

    /** Delivers the next message or polls the node at its wakeup, whichever is first. */
    public boolean step(long untilMs) {
        long wake = node.nextWakeupMs();
        long msgAt = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().atMs();
        long next = Math.min(wake, msgAt);
        if (next == Long.MAX_VALUE || next > untilMs) {
            return false;
        }
        clock.advanceTo(Math.max(clock.milliseconds(), next));
        stepsAtSameTime = clock.milliseconds() == lastStepMs ? stepsAtSameTime + 1 : 0;
        lastStepMs = clock.milliseconds();
        if (stepsAtSameTime > 100_000) {
            throw new AssertionError("the node keeps asking to be polled at " + lastStepMs + " without progress");
        }
        if (msgAt <= wake) {
            InTransit m = queue.poll();
            if (m.to() == producerId) {
                node.receive(m.from(), m.message());
            } else {
                Optional<? extends Response> answer = brokers.get(m.to()).handle((Request) m.message());
                if (answer.isPresent()) {
                    if (random.nextDouble() < responseLoss) {
                        responsesLost++;
                    } else {
                        queue.add(new InTransit(clock.milliseconds() + 1 + random.nextInt(maxDelayMs), order++, m.to(),
                                producerId, answer.get()));
                    }
                }
            }
        } else {
            node.poll();
        }
        return true;
    }
}
