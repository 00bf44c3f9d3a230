package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.CoordinatorComplete;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkDeliver;
import dev.deliverycheck.sim.SimulationConfig;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ScheduleGeneratorTest {
    private static final ScheduleRunner EXACTLY_ONCE = new ScheduleRunner(SimulationConfig.forExploration(Mode.EXACTLY_ONCE));

    private static List<Long> lateMarkerSeeds(int count) {
        return LongStream.iterate(1, s -> s + 1)
                .filter(s -> ScheduleGenerator.focusFor(Mode.EXACTLY_ONCE, s) == ScheduleGenerator.Focus.LATE_MARKER)
                .limit(count).boxed().toList();
    }

    @Test
    void lateMarkerRunsAreExactlyOnceOnly() {
        for (Mode mode : Mode.values()) {
            boolean seen = LongStream.range(0, 500)
                    .anyMatch(s -> ScheduleGenerator.focusFor(mode, s) == ScheduleGenerator.Focus.LATE_MARKER);
            assertThat(seen).as(mode.cliName()).isEqualTo(mode.transactional());
        }
    }

    @Test
    void theSameSeedGivesTheSameLateMarkerRun() {
        long seed = lateMarkerSeeds(1).get(0);
        ScheduleGenerator generator = new ScheduleGenerator(Mode.EXACTLY_ONCE);
        RunResult first = generator.generate(seed, 50, EXACTLY_ONCE);
        RunResult again = generator.generate(seed, 50, EXACTLY_ONCE);
        assertThat(again.schedule().steps()).isEqualTo(first.schedule().steps());
        assertThat(again.history().events()).isEqualTo(first.history().events());
    }

    /**
     * What the focus needs: runs aimed at a late marker are free of losses, crashes and restarts
     * (which would reset the connection holding the marker), deliver markers, and most of them
     * complete two or more transactions, so that a marker of one can meet the next.
     */
    @Test
    void lateMarkerRunsAreCalmAndCompleteSeveralTransactions() {
        int severalDecisions = 0;
        for (long seed : lateMarkerSeeds(20)) {
            RunResult r = new ScheduleGenerator(Mode.EXACTLY_ONCE).generate(seed, 50, EXACTLY_ONCE);
            List<Event> events = r.history().events();
            long completes = events.stream().filter(e -> e instanceof CoordinatorComplete).count();
            if (completes >= 2) {
                severalDecisions++;
            }
            assertThat(r.schedule().steps()).as("seed %d: no losses, crashes or restarts", seed)
                    .noneMatch(s -> s instanceof Step.LoseRequest || s instanceof Step.LoseResponse
                            || s instanceof Step.CrashBroker || s instanceof Step.ShutdownBroker
                            || s instanceof Step.RestartProducer);
            assertThat(events).as("seed %d delivered markers", seed)
                    .anyMatch(e -> e instanceof NetworkDeliver d && d.messageType().equals("WriteTxnMarkersRequest"));
        }
        assertThat(severalDecisions).as("runs of 20 with two or more completed transactions").isGreaterThanOrEqualTo(10);
    }
}
