package dev.deliverycheck.explore;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a schedule: an action of the explorer's alphabet with its arguments. Each step
 * has a one-line text form (the replay-file syntax) and a list of simpler variants that the
 * shrinker tries. A step whose precondition does not hold when it runs (e.g. deliver with an
 * empty network) does nothing, so any subsequence of a schedule is itself a valid schedule.
 */
public sealed interface Step {
    /** The replay-file line, e.g. {@code "send key=k3"} or {@code "advance 100"}. */
    String toLine();

    /** Simpler versions of this step, simplest first (shrinking's last phase). */
    default List<Step> simplifications() {
        return List.of();
    }

    /** Whether the step injects a fault (so a schedule's fault count can be reported). */
    default boolean isFault() {
        return false;
    }

    /**
     * Whether the step only lets the cluster work (deliver, advance, run): no fault, no call of the
     * application. The shrinker may replace a window of such steps by one {@link Run}.
     */
    default boolean isTraffic() {
        return false;
    }

    /** {@code send()} one record, keyed (hash partitioner) or keyless (the configured keyless partitioner). */
    record Send(String key) implements Step {
        @Override
        public String toLine() {
            return key == null ? "send" : "send key=" + key;
        }

        @Override
        public List<Step> simplifications() {
            return key == null || key.equals("k0") ? List.of() : List.of(new Send("k0"));
        }
    }

    /**
     * Deliver the head message of the {@code index}-th non-empty connection (mod their count), the
     * heads ordered by arrival: delay and reordering across connections. With {@code times > 1},
     * the same delivery {@code times} times over, each choosing its head anew: exactly the steps
     * {@code deliver INDEX} written {@code times} times (the shrinker writes it for such a window).
     */
    record Deliver(int index, int times) implements Step {
        public Deliver {
            if (index < 0 || times < 1) {
                throw new IllegalArgumentException("deliver needs a non-negative index and times >= 1, got "
                        + index + " and " + times);
            }
        }

        /** One delivery. */
        public Deliver(int index) {
            this(index, 1);
        }

        @Override
        public String toLine() {
            return times == 1 ? "deliver " + index : "deliver " + index + " times=" + times;
        }

        @Override
        public List<Step> simplifications() {
            List<Step> simpler = new ArrayList<>(2);
            if (index != 0) {
                simpler.add(new Deliver(0, times));
            }
            if (times > 1) {
                simpler.add(new Deliver(index, times - 1));
            }
            return simpler;
        }

        @Override
        public boolean isTraffic() {
            return true;
        }
    }

    /** Lose the {@code index}-th oldest in-flight request (mod their count). */
    record LoseRequest(int index) implements Step {
        @Override
        public String toLine() {
            return "lose-request " + index;
        }

        @Override
        public List<Step> simplifications() {
            return index == 0 ? List.of() : List.of(new LoseRequest(0));
        }

        @Override
        public boolean isFault() {
            return true;
        }
    }

    /** Lose the {@code index}-th oldest in-flight response, i.e. an ACK (mod their count). */
    record LoseResponse(int index) implements Step {
        @Override
        public String toLine() {
            return "lose-response " + index;
        }

        @Override
        public List<Step> simplifications() {
            return index == 0 ? List.of() : List.of(new LoseResponse(0));
        }

        @Override
        public boolean isFault() {
            return true;
        }
    }

    /** Let {@code ms} of virtual time pass; nodes do what falls due (linger, retries, timeouts). */
    record Advance(long ms) implements Step {
        public Advance {
            if (ms < 0) {
                throw new IllegalArgumentException("advance needs a non-negative number of ms, got " + ms);
            }
        }

        @Override
        public String toLine() {
            return "advance " + ms;
        }

        @Override
        public List<Step> simplifications() {
            return ms <= 1 ? List.of() : List.of(new Advance(1), new Advance(ms / 2));
        }

        @Override
        public boolean isTraffic() {
            return true;
        }
    }

    /**
     * Let the traffic flow for {@code ms} of virtual time, with no fault: every message is
     * delivered when it arrives, in arrival order, and every timer fires when it falls due, as in
     * the end phase. Time always moves by exactly {@code ms}, whether or not anything is left to
     * happen (as {@link Advance} does), so a run is the same whatever the network holds. The
     * generator never draws it; the shrinker writes it for a window of {@link #isTraffic()} steps
     * whose deliveries and advances the failure needs only as a whole.
     */
    record Run(long ms) implements Step {
        public Run {
            if (ms < 0) {
                throw new IllegalArgumentException("run needs a non-negative number of ms, got " + ms);
            }
        }

        @Override
        public String toLine() {
            return "run " + ms;
        }

        /** Shorter runs: the failure may need only the first messages of the window. */
        @Override
        public List<Step> simplifications() {
            return ms <= 1 ? List.of() : List.of(new Run(1), new Run(ms / 2));
        }

        @Override
        public boolean isTraffic() {
            return true;
        }
    }

    /** Crash a broker: memory, in-flight requests and the unflushed log tail are lost. */
    record CrashBroker(int broker) implements Step {
        @Override
        public String toLine() {
            return "crash-broker " + broker;
        }

        @Override
        public boolean isFault() {
            return true;
        }
    }

    /**
     * Shut a broker down cleanly: it flushes, answers what waited for the flush, writes
     * producer-state snapshots and stops (nothing on disk is lost). Restart it with
     * {@link RestartBroker}: recovery then starts from the snapshots.
     */
    record ShutdownBroker(int broker) implements Step {
        @Override
        public String toLine() {
            return "shutdown-broker " + broker;
        }

        @Override
        public boolean isFault() {
            return true;
        }
    }

    /** Restart a crashed broker: it recovers log, producer state and transaction log from its disk. */
    record RestartBroker(int broker) implements Step {
        @Override
        public String toLine() {
            return "restart-broker " + broker;
        }
    }

    /** The producer crashes; a new instance with the same transactional.id initialises. The old one lives on as a zombie. */
    record RestartProducer() implements Step {
        @Override
        public String toLine() {
            return "restart-producer";
        }

        @Override
        public boolean isFault() {
            return true;
        }
    }

    record BeginTxn() implements Step {
        @Override
        public String toLine() {
            return "begin-txn";
        }
    }

    record CommitTxn() implements Step {
        @Override
        public String toLine() {
            return "commit-txn";
        }
    }

    record AbortTxn() implements Step {
        @Override
        public String toLine() {
            return "abort-txn";
        }
    }

    /** {@code flush()}: every accumulated batch becomes ready now. */
    record Flush() implements Step {
        @Override
        public String toLine() {
            return "flush";
        }
    }

    /**
     * Parses one replay-file line; throws IllegalArgumentException naming what is wrong.
     */
    static Step parse(String line) {
        String[] parts = line.trim().split("\\s+");
        String verb = parts[0];
        return switch (verb) {
            case "send" -> {
                if (parts.length == 1) {
                    yield new Send(null);
                }
                if (parts.length == 2 && parts[1].startsWith("key=") && parts[1].length() > 4) {
                    yield new Send(parts[1].substring(4));
                }
                throw new IllegalArgumentException("expected 'send' or 'send key=K'");
            }
            case "deliver" -> deliver(parts);
            case "lose-request" -> new LoseRequest(intArg(parts, "lose-request INDEX"));
            case "lose-response" -> new LoseResponse(intArg(parts, "lose-response INDEX"));
            case "advance" -> new Advance(intArg(parts, "advance MS"));
            case "run" -> new Run(intArg(parts, "run MS"));
            case "crash-broker" -> new CrashBroker(intArg(parts, "crash-broker ID"));
            case "restart-broker" -> new RestartBroker(intArg(parts, "restart-broker ID"));
            case "shutdown-broker" -> new ShutdownBroker(intArg(parts, "shutdown-broker ID"));
            case "restart-producer" -> noArg(parts, new RestartProducer());
            case "begin-txn" -> noArg(parts, new BeginTxn());
            case "commit-txn" -> noArg(parts, new CommitTxn());
            case "abort-txn" -> noArg(parts, new AbortTxn());
            case "flush" -> noArg(parts, new Flush());
            default -> throw new IllegalArgumentException("unknown step '" + verb + "' (known: send, deliver, "
                    + "lose-request, lose-response, advance, run, crash-broker, shutdown-broker, restart-broker, restart-producer, "
                    + "begin-txn, commit-txn, abort-txn, flush)");
        };
    }

    /** {@code deliver INDEX} or {@code deliver INDEX times=N} (N at least 1). */
    private static Step deliver(String[] parts) {
        String usage = "deliver INDEX [times=N]";
        if (parts.length == 3) {
            if (!parts[2].startsWith("times=")) {
                throw new IllegalArgumentException("expected '" + usage + "', got '" + parts[2] + "'");
            }
            int times = intArg(new String[] {parts[0], parts[2].substring(6)}, usage);
            if (times < 1) {
                throw new IllegalArgumentException("expected '" + usage + "' with times at least 1, got " + times);
            }
            return new Deliver(intArg(new String[] {parts[0], parts[1]}, usage), times);
        }
        return new Deliver(intArg(parts, usage));
    }

    private static int intArg(String[] parts, String usage) {
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected '" + usage + "'");
        }
        try {
            int v = Integer.parseInt(parts[1]);
            if (v < 0) {
                throw new IllegalArgumentException("expected '" + usage + "' with a non-negative number, got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected '" + usage + "', '" + parts[1] + "' is not a number");
        }
    }

    private static Step noArg(String[] parts, Step step) {
        if (parts.length != 1) {
            throw new IllegalArgumentException("'" + parts[0] + "' takes no arguments");
        }
        return step;
    }
}
