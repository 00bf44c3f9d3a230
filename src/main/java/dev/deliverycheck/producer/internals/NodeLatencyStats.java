package dev.deliverycheck.producer.internals;

import java.util.HashMap;
import java.util.Map;

/**
 * KIP-794's broker availability: Kafka's {@code RecordAccumulator.NodeLatencyStats}, kept for every
 * broker: when the sender last found data ready for it ({@code readyTimeMs}) and when it last could
 * also send that data ({@code drainTimeMs}). A broker that has had ready data it could not take for
 * longer than {@code partitioner.availability.timeout.ms} makes the partitions it leads unavailable
 * to the uniform sticky partitioner.
 *
 * <p>Invariants: {@code drainTimeMs <= readyTimeMs} for every broker (both start at the first
 * update, and a drain time is only ever set to the ready time); with the timeout at 0 (Kafka's
 * default) nothing is recorded and every broker is available.
 */
final class NodeLatencyStats {
    private final long availabilityTimeoutMs;
    private final Map<Integer, Times> byNode = new HashMap<>();

    private static final class Times {
        long readyTimeMs;
        long drainTimeMs;

        Times(long nowMs) {
            readyTimeMs = nowMs;
            drainTimeMs = nowMs;
        }
    }

    NodeLatencyStats(long availabilityTimeoutMs) {
        this.availabilityTimeoutMs = availabilityTimeoutMs;
    }

    /** Kafka's {@code updateNodeLatencyStats}: the broker had ready data at {@code nowMs}, and could take it or not. */
    void update(int node, long nowMs, boolean canDrain) {
        if (availabilityTimeoutMs <= 0) {
            return;
        }
        Times times = byNode.computeIfAbsent(node, n -> new Times(nowMs));
        if (canDrain) {
            times.drainTimeMs = nowMs;
        }
        times.readyTimeMs = nowMs;
    }

    /** Whether the broker has not kept ready data waiting longer than {@code partitioner.availability.timeout.ms}. */
    boolean isAvailable(int node) {
        if (availabilityTimeoutMs <= 0) {
            return true;
        }
        Times times = byNode.get(node);
        return times == null || times.readyTimeMs - times.drainTimeMs <= availabilityTimeoutMs;
    }
}
