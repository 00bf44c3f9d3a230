package dev.deliverycheck.wire.proxy;

import java.util.Objects;

/**
 * One fault step: do {@code action} to the {@code occurrence}-th request of {@code kind} (counted from 1 over all
 * the proxy's connections, in arrival order). Line form: {@code lose-response Produce 1},
 * {@code delay 200 Fetch 2}.
 */
public record Fault(FaultAction action, long delayMs, String kind, int occurrence) {
    public Fault {
        Objects.requireNonNull(action, "action");
        KafkaFrames.kind(kind);
        if (occurrence < 1) {
            throw new IllegalArgumentException("a fault's occurrence counts from 1, got " + occurrence);
        }
        if ((action == FaultAction.REFUSE || action == FaultAction.REFUSE_LATE) && !kind.equals("Produce")) {
            throw new IllegalArgumentException(action.word() + " applies to Produce requests only, not " + kind);
        }
        if (delayMs < 0 || (action != FaultAction.DELAY && delayMs != 0)) {
            throw new IllegalArgumentException("only 'delay MS' takes milliseconds, and they are not negative");
        }
    }

    public static Fault of(FaultAction action, String kind, int occurrence) {
        return new Fault(action, 0, kind, occurrence);
    }

    public String toLine() {
        return action.word() + (action == FaultAction.DELAY ? " " + delayMs : "") + " " + kind + " " + occurrence;
    }

    /** Whether this step changes anything (every action but deliver does). */
    public boolean isFault() {
        return action != FaultAction.DELIVER;
    }

    /**
     * Parses {@code ACTION [MS] KIND N}; returns null when the line does not start with a fault action word, and
     * throws IllegalArgumentException naming the problem when it does but is malformed.
     */
    public static Fault parse(String line) {
        String[] parts = line.trim().split("\\s+");
        FaultAction action = FaultAction.fromWord(parts[0]);
        if (action == null || (action == FaultAction.CRASH_BROKER && parts.length == 1)) {
            return null;
        }
        int expected = action == FaultAction.DELAY ? 4 : 3;
        String usage = action.word() + (action == FaultAction.DELAY ? " MS" : "") + " KIND N";
        if (parts.length != expected) {
            throw new IllegalArgumentException("expected '" + usage + "'");
        }
        try {
            long ms = action == FaultAction.DELAY ? Long.parseLong(parts[1]) : 0;
            int n = Integer.parseInt(parts[expected - 1]);
            return new Fault(action, ms, parts[expected - 2], n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected '" + usage + "' with numbers");
        }
    }
}
