package dev.deliverycheck.wire.harness;

import dev.deliverycheck.wire.proxy.Fault;

/**
 * One step of a schedule run against real Kafka software. The workload steps use the explorer's words
 * ({@code send key=K}, {@code flush}, {@code begin-txn}, {@code commit-txn}, {@code abort-txn},
 * {@code restart-producer}, {@code crash-broker}, {@code restart-broker}) and run in order; a fault step
 * ({@code lose-response Produce 1}, {@code delay 200 EndTxn 1}, ...) arms the proxy for the n-th request of a kind,
 * wherever it stands; {@code await-request KIND N} holds the workload until the n-th request of a kind reached
 * the proxy (bounded), so that the next send cannot join a batch already on the wire. A step whose precondition
 * does not hold does nothing, so any subsequence is a schedule.
 */
public sealed interface RealStep {
    String toLine();

    /** Whether the step injects a fault (what "fault steps" of a shrunk schedule counts). */
    default boolean isFault() {
        return false;
    }

    record Send(String key) implements RealStep {
        @Override
        public String toLine() {
            return "send key=" + key;
        }
    }

    record Flush() implements RealStep {
        @Override
        public String toLine() {
            return "flush";
        }
    }

    record BeginTxn() implements RealStep {
        @Override
        public String toLine() {
            return "begin-txn";
        }
    }

    record CommitTxn() implements RealStep {
        @Override
        public String toLine() {
            return "commit-txn";
        }
    }

    record AbortTxn() implements RealStep {
        @Override
        public String toLine() {
            return "abort-txn";
        }
    }

    /** A new producer instance (same transactional.id); the old one, a zombie, then tries to write and commit. */
    record RestartProducer() implements RealStep {
        @Override
        public String toLine() {
            return "restart-producer";
        }

        @Override
        public boolean isFault() {
            return true;
        }
    }

    /** kill -9 the broker (only a broker the harness started). */
    record CrashBroker() implements RealStep {
        @Override
        public String toLine() {
            return "crash-broker";
        }

        @Override
        public boolean isFault() {
            return true;
        }
    }

    record RestartBroker() implements RealStep {
        @Override
        public String toLine() {
            return "restart-broker";
        }
    }

    /**
     * Waits until the {@code occurrence}-th request of {@code kind} reached the proxy (at most
     * {@link Workload#AWAIT_REQUEST_TIMEOUT}; a request that never comes lets the workload go on).
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
    }

    /** Parses one schedule line; throws IllegalArgumentException naming what is wrong. */
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
        if (parts[0].equals("send")) {
            if (parts.length == 2 && parts[1].startsWith("key=") && parts[1].length() > 4) {
                return new Send(parts[1].substring(4));
            }
            if (parts.length == 1) {
                return new Send("k0");
            }
            throw new IllegalArgumentException("expected 'send key=K'");
        }
        boolean brokerId = parts.length == 2 && parts[1].equals("0") && parts[0].endsWith("-broker");
        if (parts.length != 1 && !brokerId) {
            throw new IllegalArgumentException("'" + parts[0] + "' takes no arguments");
        }
        return switch (parts[0]) {
            case "flush" -> new Flush();
            case "begin-txn" -> new BeginTxn();
            case "commit-txn" -> new CommitTxn();
            case "abort-txn" -> new AbortTxn();
            case "restart-producer" -> new RestartProducer();
            case "crash-broker" -> new CrashBroker();
            case "restart-broker" -> new RestartBroker();
            default -> throw new IllegalArgumentException("unknown step '" + parts[0] + "' (known: send, flush, begin-txn, "
                    + "commit-txn, abort-txn, restart-producer, crash-broker, restart-broker, await-request KIND N, and the fault "
                    + "steps deliver|lose-request|lose-response|disconnect|refuse|refuse-late|crash-broker KIND N, "
                    + "delay MS KIND N)");
        };
    }
}
