package dev.deliverycheck.report;

import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.IsolationLevel;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code deliverycheck kafka} found against real Kafka software, in the report's own terms (the report does
 * not depend on the harness that produced it): per invariant the expected and observed outcome over the runs, and
 * for each violation the events of one run that showed it, as the harness observed them.
 *
 * @param title    what was judged: mode, producer settings, target and client
 * @param runs     how many real runs were judged
 */
public record RealKafkaResult(String title, int runs, List<Row> rows) {
    public RealKafkaResult {
        rows = List.copyOf(rows);
    }

    public boolean ok() {
        return rows.stream().allMatch(Row::ok);
    }

    /** One invariant over all runs. {@code example} is null when it was never violated. */
    public record Row(String invariant, String expected, String observed, boolean ok, int violatedRuns, Example example) {
    }

    /**
     * A run that violated the invariant: its schedule (shrunk when the harness shrank it), the faults the proxy
     * applied, the checker's explanation, the offending record ids, and its history in observed order.
     *
     * @param file           the saved schedule file, or null when the run replayed a schedule the user gave
     * @param replayCommand  the one command that runs this schedule again
     * @param reproduced     in how many of {@code replays} replays the violation showed again (0 of 0: not replayed)
     */
    public record Example(String scheduleText, Path file, String replayCommand, List<String> appliedFaults,
                          String explanation, List<Long> offending, IsolationLevel readerIsolation, List<Event> events,
                          int reproduced, int replays) {
        public Example {
            appliedFaults = List.copyOf(appliedFaults);
            offending = List.copyOf(offending);
            events = List.copyOf(events);
        }
    }
}
