package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerFlush;
import dev.deliverycheck.event.BrokerRecoverPartition;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.sim.SimulationConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clean-shutdown step: flush, stop, restart from snapshots, nothing lost, and the same run twice. */
class ShutdownStepTest {
    private static Schedule schedule(Step... steps) {
        return new Schedule(Mode.IDEMPOTENT, 11, 1, 1, null, List.of(steps));
    }

    private static final Schedule SENDS_THEN_SHUTDOWN = schedule(new Step.Send("k1"), new Step.Send("k1"),
            new Step.Flush(), new Step.Deliver(0), new Step.Deliver(0), new Step.Deliver(0), new Step.Send("k1"),
            new Step.Flush(), new Step.Deliver(0), new Step.ShutdownBroker(0), new Step.RestartBroker(0));

    @Test
    void aCleanShutdownFlushesAndTheRestartRecoversProducerState() {
        List<Event> shutdownEvents = new ArrayList<>();
        List<Event> restartEvents = new ArrayList<>();
        RunResult r = new ScheduleRunner(SimulationConfig.forExploration(Mode.IDEMPOTENT)).run(SENDS_THEN_SHUTDOWN,
                (step, events) -> {
                    if (step instanceof Step.ShutdownBroker) {
                        shutdownEvents.addAll(events);
                    } else if (step instanceof Step.RestartBroker) {
                        restartEvents.addAll(events);
                    }
                });

        assertThat(shutdownEvents).anyMatch(e -> e instanceof BrokerFlush);
        assertThat(shutdownEvents).filteredOn(e -> e instanceof BrokerCrash).hasSize(1);
        assertThat(restartEvents).anyMatch(e -> e instanceof BrokerRecoverPartition p && p.producersRestored() > 0
                && p.truncatedBytes() == 0);
        assertThat(r.verdicts().values()).allMatch(dev.deliverycheck.check.Verdict::holds);
        assertThat(r.progress().holds()).isTrue();
        assertThat(r.history().acks()).hasSize(3);
    }

    @Test
    void shuttingDownABrokerThatIsDownDoesNothing() {
        RunResult r = new ScheduleRunner(SimulationConfig.forExploration(Mode.IDEMPOTENT)).run(
                schedule(new Step.CrashBroker(0), new Step.ShutdownBroker(0), new Step.ShutdownBroker(5)));

        assertThat(r.history().events()).filteredOn(e -> e instanceof BrokerCrash).hasSize(1);
    }

    @Test
    void theSameScheduleGivesTheSameHistory() {
        ScheduleRunner runner = new ScheduleRunner(SimulationConfig.forExploration(Mode.IDEMPOTENT));
        assertThat(runner.run(SENDS_THEN_SHUTDOWN).history().events())
                .isEqualTo(runner.run(SENDS_THEN_SHUTDOWN).history().events());
    }
}
