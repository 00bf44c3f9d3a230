package dev.deliverycheck.wire.harness;

import dev.deliverycheck.explore.Step;
import dev.deliverycheck.wire.proxy.Fault;
import dev.deliverycheck.wire.proxy.FaultAction;
import java.util.Set;

/**
 * One step of a schedule run against real Kafka software: either a workload step, which is one of the explorer's
 * own {@link Step}s ({@code send key=K}, {@code flush}, {@code begin-txn}, {@code commit-txn}, {@code abort-txn},
 * {@code restart-producer}, {@code crash-broker}, {@code restart-broker}) and runs in order, or a fault step
 * ({@code lose-response Produce 1}, {@code delay 200 EndTxn 1}, ...) that arms the proxy for the n-th request of a
 * kind, wherever it stands; {@code await-request KIND N} holds the workload until the n-th request of a kind
 * reached the proxy (bounded), so that the next send cannot join a batch already on the wire. A step whose
 * precondition does not hold does nothing, so any subsequence is a schedule.
 *
 * <p>Invariant: one vocabulary. A workload step is parsed and named by the explorer's {@link Step}; a real run
 * has one broker, so its broker steps are {@code crash-broker 0} and {@code restart-broker 0}, written without
 * the id, and a {@code send} has a key (k0 when the line gives none).
 */
public sealed interface RealStep {
    /** The explorer's steps a real run knows (its other steps need a simulated network). */
    Set<String> WORKLOAD_VERBS = Set.of("send", "flush", "begin-txn", "commit-txn", "abort-txn", "restart-producer",
            "crash-broker", "restart-broker");

    String toLine();

    /** Whether the step injects a fault (what "fault steps" of a shrunk schedule counts). */
    boolean isFault();

    /** Whether the step kills the broker (so it needs a broker deliverycheck started). */
    boolean crashesBroker();

    /** A workload step: the explorer's {@link Step} of the same name. */
    record Workload(Step step) implements RealStep {
        public Workload {
            if (!WORKLOAD_VERBS.contains(step.toLine().split(" ")[0])
                    || (step instanceof Step.Send s && s.key() == null)
                    || (step instanceof Step.CrashBroker c && c.broker() != 0)
                    || (step instanceof Step.RestartBroker r && r.broker() != 0)) {
                throw new IllegalArgumentException("'" + step.toLine() + "' is not a step of a real run");
            }
        }

        @Override
        public String toLine() {
            return step instanceof Step.CrashBroker || step instanceof Step.RestartBroker
                    ? step.toLine().split(" ")[0] : step.toLine();
        }

        @Override
        public boolean isFault() {
            return step.isFault();
        }

        @Override
        public boolean crashesBroker() {
            return step instanceof Step.CrashBroker;
        }
    }

    /**
     * Waits until the {@code occurrence}-th request of {@code kind} reached the proxy (at most
     * {@link ClientWorkload#AWAIT_REQUEST_TIMEOUT}; a request that never comes lets the workload go on).
     */
    record AwaitRequest(String kind, int occurrence) implements RealStep {
        public AwaitRequest {
            dev.deliverycheck.wire.proxy.KafkaFrames.kind(kind);
            if (occurrence < 1) {
                throw new IllegalArgumentException("await-request counts requests from 1, got " + occurrence);
            }
        }

        @Override
        public String toLine() {
            return "await-request " + kind + " " + occurrence;
        }

        @Override
        public boolean isFault() {
            return false;
        }

        @Override
        public boolean crashesBroker() {
            return false;
        }
    }

    /** Arms the proxy: {@code fault.action()} for the {@code fault.occurrence()}-th request of {@code fault.kind()}. */
    record ProxyFault(Fault fault) implements RealStep {
        @Override
        public String toLine() {
            return fault.toLine();
        }

        @Override
        public boolean isFault() {
            return fault.isFault();
        }

        @Override
        public boolean crashesBroker() {
            return fault.action() == FaultAction.CRASH_BROKER;
        }
    }

    /** The workload step {@code step}. */
    static RealStep of(Step step) {
        return new Workload(step);
    }

    /**
     * Parses one schedule line; throws IllegalArgumentException naming what is wrong. A fault step is the proxy's
     * ({@link Fault#parse}); a workload step is read by the explorer's own parser ({@link Step#parse}).
     */
    static RealStep parse(String line) {
        Fault fault = Fault.parse(line);
        if (fault != null) {
            return new ProxyFault(fault);
        }
        String[] parts = line.trim().split("\\s+");
        if (parts[0].equals("await-request")) {
            if (parts.length != 3) {
                throw new IllegalArgumentException("expected 'await-request KIND N'");
            }
            try {
                return new AwaitRequest(parts[1], Integer.parseInt(parts[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected 'await-request KIND N' with a number");
            }
        }
        if (!WORKLOAD_VERBS.contains(parts[0])) {
            throw new IllegalArgumentException("unknown step '" + parts[0] + "' (known: send, flush, begin-txn, "
                    + "commit-txn, abort-txn, restart-producer, crash-broker, restart-broker, await-request KIND N, and the "
                    + "fault steps deliver|lose-request|lose-response|disconnect|refuse|refuse-late|crash-broker KIND N, "
                    + "delay MS KIND N)");
        }
        boolean brokerStep = parts[0].endsWith("-broker");
        Step step = Step.parse(brokerStep && parts.length == 1 ? parts[0] + " 0" : line);
        if (step instanceof Step.Send send && send.key() == null) {
            step = new Step.Send("k0");
        }
        if ((step instanceof Step.CrashBroker c && c.broker() != 0) || (step instanceof Step.RestartBroker r && r.broker() != 0)) {
            throw new IllegalArgumentException("'" + parts[0] + "' takes no argument but the broker id 0 (a real run has one broker)");
        }
        return new Workload(step);
    }
}
