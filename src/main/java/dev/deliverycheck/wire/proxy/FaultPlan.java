package dev.deliverycheck.wire.proxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fault steps of one run, applied by occurrence: counts the requests of each kind as they reach the proxy
 * and says what to do with each. Keeps the list of faults actually applied, in order, for the report.
 * Thread-safe: the proxy's connections ask concurrently; the count is over all of them.
 */
public final class FaultPlan {
    private final Map<String, Map<Integer, Fault>> byKind = new HashMap<>();
    private final Map<String, Integer> seen = new HashMap<>();
    private final List<Fault> applied = new ArrayList<>();
    private boolean workloadWaits;
    private long recordsHanded;
    private long recordsArrived;

    public FaultPlan(List<Fault> faults) {
        for (Fault fault : faults) {
            // The first step for an occurrence wins, as in a schedule read top to bottom.
            byKind.computeIfAbsent(fault.kind(), k -> new HashMap<>()).putIfAbsent(fault.occurrence(), fault);
        }
    }

    /** No faults: every request is delivered. */
    public static FaultPlan none() {
        return new FaultPlan(List.of());
    }

    /** Counts one more request of {@code kind} and returns the fault step for it (deliver when none targets it). */
    public synchronized Fault next(String kind) {
        int n = seen.merge(kind, 1, Integer::sum);
        notifyAll();
        Fault fault = byKind.getOrDefault(kind, Map.of()).get(n);
        if (fault == null) {
            return Fault.of(FaultAction.DELIVER, kind, n);
        }
        if (fault.isFault()) {
            applied.add(fault);
        }
        return fault;
    }

    /**
     * Set by the workload while it is in a step that waits for the client's answers and hands it no record
     * (flush, the end of a transaction, a producer or broker restart, the settling phase).
     */
    public synchronized void workloadWaits(boolean waits) {
        workloadWaits = waits;
        notifyAll();
    }

    /** The workload handed the client one more record to send. */
    public synchronized void recordHanded() {
        recordsHanded++;
    }

    /** A Produce carrying {@code records} records reached the proxy (whatever its fault step). */
    public synchronized void recordsArrived(int records) {
        recordsArrived += records;
        notifyAll();
    }

    /**
     * Whether no later request of the workload's can come: it waits for answers ({@link #workloadWaits(boolean)})
     * and every record it handed the client has reached the proxy in some Produce. A held late refusal is then
     * answered, as nothing will overtake it.
     */
    public synchronized boolean nothingMoreToSend() {
        return workloadWaits && recordsArrived >= recordsHanded;
    }

    /** The faults applied so far, in the order their requests arrived. */
    public synchronized List<Fault> applied() {
        return List.copyOf(applied);
    }

    /**
     * Waits until the {@code occurrence}-th request of {@code kind} has reached the proxy, at most {@code timeout};
     * returns whether it did. What a workload step uses to act only once a request is on the wire.
     */
    public synchronized boolean awaitSeen(String kind, int occurrence, java.time.Duration timeout)
            throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (seen.getOrDefault(kind, 0) < occurrence) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
        return true;
    }

    /** How many requests of {@code kind} reached the proxy. */
    public synchronized int seen(String kind) {
        return seen.getOrDefault(kind, 0);
    }
}
