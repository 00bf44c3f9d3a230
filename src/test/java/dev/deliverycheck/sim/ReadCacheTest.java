package dev.deliverycheck.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.explore.RunResult;
import dev.deliverycheck.explore.ScheduleGenerator;
import dev.deliverycheck.explore.ScheduleRunner;
import dev.deliverycheck.explore.Step;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Simulation#readAll} ({@link ReadCache}) answers a fetch from the last one while the leader's log position is
 * unchanged. The shortcut must change nothing: every explored run, replayed with every read going
 * through the broker, has the same history event for event and the same verdicts.
 */
class ReadCacheTest {
    private static final int RUNS_PER_MODE = 40;
    private static final int STEPS = 50;

    @Test
    void readsAnsweredFromTheLastFetchGiveTheSameHistoryAsFreshReads() {
        int reused = 0;
        for (Mode mode : Mode.values()) {
            ScheduleRunner runner = new ScheduleRunner(SimulationConfig.forExploration(mode));
            ScheduleGenerator generator = new ScheduleGenerator(mode);
            for (int i = 0; i < RUNS_PER_MODE; i++) {
                RunResult cached = generator.generate(500 + i, STEPS, runner);
                List<Step> steps = cached.schedule().steps();
                RunResult fresh = runner.execute(cached.schedule(), steps.size(), (sim, index) -> {
                    if (index == 0) {
                        sim.cacheReads(false);
                    }
                    return steps.get(index);
                }, null);
                assertThat(fresh.history().events()).as("%s seed %d", mode, 500 + i)
                        .isEqualTo(cached.history().events());
                assertThat(fresh.verdicts()).isEqualTo(cached.verdicts());
                assertThat(repeatedFetchInstances(fresh.history().events())).isZero();
                reused += repeatedFetchInstances(cached.history().events());
            }
        }
        // The shortcut must actually have answered reads, or the comparison proves nothing.
        assertThat(reused).isGreaterThan(RUNS_PER_MODE * Mode.values().length);
    }

    /** ConsumerFetch events that are the very same object as an earlier one (answered from the cache). */
    private static int repeatedFetchInstances(List<Event> events) {
        Map<Event, Boolean> seen = new IdentityHashMap<>();
        int repeats = 0;
        for (Event e : events) {
            if (e instanceof ConsumerFetch && seen.put(e, true) != null) {
                repeats++;
            }
        }
        return repeats;
    }
}
