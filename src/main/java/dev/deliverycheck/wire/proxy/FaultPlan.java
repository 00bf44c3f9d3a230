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
