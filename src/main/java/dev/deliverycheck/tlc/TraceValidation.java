package dev.deliverycheck.tlc;

import dev.deliverycheck.event.Event;

/**
 * The verdict of trace validation: whether some behaviour of the mode's TLA+ spec explains the
 * whole Java run, and if not, the first event none explains.
 *
 * @param ok                     every event was explained, in order, to the end of the trace
 * @param eventsMatched          how many events, from the first, some spec behaviour explains
 * @param firstUnexplainedIndex  0-based index of the first unexplained event, {@code -1} if ok
 * @param firstUnexplainedEvent  that event, {@code null} if ok
 * @param seconds                wall-clock time of the TLC run
 * @param distinctStates         spec states TLC visited along the trace
 * @param violatedInvariant      the guarantee's safety invariant that the state after the first
 *                               unexplained event violates, {@code null} if the event is rejected
 *                               because no action explains it
 */
public record TraceValidation(boolean ok, int eventsMatched, int firstUnexplainedIndex, Event firstUnexplainedEvent,
                              double seconds, long distinctStates, String violatedInvariant) {
    public TraceValidation(boolean ok, int eventsMatched, int firstUnexplainedIndex, Event firstUnexplainedEvent,
                           double seconds, long distinctStates) {
        this(ok, eventsMatched, firstUnexplainedIndex, firstUnexplainedEvent, seconds, distinctStates, null);
    }

    /** One line for a report, naming the first unexplained event and its index. */
    public String message() {
        if (ok) {
            return String.format("trace ok: all %d events explained by the spec (%.1f s)", eventsMatched, seconds);
        }
        if (violatedInvariant != null) {
            return String.format("trace rejected: event #%d %s leads the spec to a state that violates %s "
                    + "(events 0..%d were explained)", firstUnexplainedIndex, firstUnexplainedEvent, violatedInvariant,
                    firstUnexplainedIndex - 1);
        }
        return String.format("trace rejected: event #%d %s is explained by no behaviour of the spec "
                + "(events 0..%d were)", firstUnexplainedIndex, firstUnexplainedEvent, firstUnexplainedIndex - 1);
    }
}
