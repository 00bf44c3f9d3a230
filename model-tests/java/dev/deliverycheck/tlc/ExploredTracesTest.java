package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.explore.RunResult;
import dev.deliverycheck.explore.ScheduleGenerator;
import dev.deliverycheck.explore.ScheduleRunner;
import dev.deliverycheck.sim.SimulationConfig;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The real producer and broker, run by the explorer with random faults, checked against the TLA+
 * spec of their mode: every event of each run must be explained (TraceValidator). Runs per mode:
 * 3 x {@code deliverycheck.budget}; fixed seeds, so a failure names a reproducible run.
 */
class ExploredTracesTest {
    private static final int STEPS = 60;
    private static final TraceValidator VALIDATOR =
            new TraceValidator(ProjectRoot.tlaDir(ProjectRoot.locate())).withProgress(null);

    private static int runsPerMode() {
        return 3 * Math.max(1, Integer.getInteger("deliverycheck.budget", 1));
    }

    private static Stream<DynamicTest> explored(Mode mode) {
        return LongStream.rangeClosed(1, runsPerMode()).mapToObj(seed -> DynamicTest.dynamicTest(
                mode.cliName() + " seed " + seed, () -> {
                    RunResult run = new ScheduleGenerator(mode).generate(seed, STEPS,
                            new ScheduleRunner(SimulationConfig.forExploration(mode)));
                    List<Event> events = run.history().events();
                    TraceValidation v = VALIDATOR.validate(mode, events);
                    assertThat(v.ok()).as("%s seed %d: %s", mode.cliName(), seed, v.message()).isTrue();
                    assertThat(v.eventsMatched()).isEqualTo(events.size());
                }));
    }

    @TestFactory
    Stream<DynamicTest> atMostOnceRunsAreBehavioursOfTheSpec() {
        return explored(Mode.AT_MOST_ONCE);
    }

    @TestFactory
    Stream<DynamicTest> atLeastOnceRunsAreBehavioursOfTheSpec() {
        return explored(Mode.AT_LEAST_ONCE);
    }

    @TestFactory
    Stream<DynamicTest> idempotentRunsAreBehavioursOfTheSpec() {
        return explored(Mode.IDEMPOTENT);
    }

    @TestFactory
    Stream<DynamicTest> exactlyOnceRunsAreBehavioursOfTheSpec() {
        return explored(Mode.EXACTLY_ONCE);
    }

    /**
     * Seed 109 of a 60-step exactly-once exploration: the coordinator re-sent WriteTxnMarkers,
     * and a copy of the request is written after CoordinatorComplete. The spec (like Kafka) does
     * not allow a marker of a completed transaction; see spec/tla-trace.md.
     */
    @Test
    @Disabled("code finding: the Java coordinator writes a marker after CoordinatorComplete (spec/tla-trace.md)")
    void exactlyOnceSeed109IsExplainedOnceNoMarkerFollowsCompletion() {
        RunResult run = new ScheduleGenerator(Mode.EXACTLY_ONCE).generate(109, STEPS,
                new ScheduleRunner(SimulationConfig.forExploration(Mode.EXACTLY_ONCE)));
        assertThat(VALIDATOR.validate(Mode.EXACTLY_ONCE, run.history().events()).ok()).isTrue();
    }
}
