package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.event.ConsumerFetch;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.NetworkDeliver;
import dev.deliverycheck.event.ProducerSendAcked;
import dev.deliverycheck.sim.SimulationConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The steps that only let the cluster work: {@code run MS} and {@code deliver INDEX times=N}. */
class TrafficStepsTest {
    private static final ScheduleRunner RUNNER = new ScheduleRunner(SimulationConfig.forExploration(Mode.IDEMPOTENT));

    private static Schedule schedule(Step... steps) {
        return new Schedule(Mode.IDEMPOTENT, 11, 1, 1, null, List.of(steps));
    }

    /** The events each step caused, by step index (the end phase is left out). */
    private static List<List<Event>> eventsPerStep(Schedule s) {
        List<List<Event>> perStep = new ArrayList<>();
        RUNNER.run(s, (step, events) -> {
            if (step != null) {
                perStep.add(List.copyOf(events));
            }
        });
        return perStep;
    }

    @Test
    void aRunDeliversEveryMessageAndFiresEveryTimerInItsTime() {
        List<List<Event>> events = eventsPerStep(schedule(new Step.Send("k1"), new Step.Flush(), new Step.Run(5_000)));

        List<Event> run = events.get(2);
        assertThat(run).filteredOn(e -> e instanceof NetworkDeliver d && d.messageType().equals("InitProducerIdRequest"))
                .hasSize(1);
        assertThat(run).filteredOn(e -> e instanceof ProducerSendAcked).hasSize(1);
        assertThat(run).noneMatch(e -> e.getClass().getSimpleName().startsWith("NetworkLose"));
    }

    @Test
    void aRunMovesTheClockByExactlyItsLengthEvenWhenNothingIsLeftToDo() {
        long[] times = RUNNER.stepTimes(schedule(new Step.Run(250), new Step.Run(0), new Step.Advance(5),
                new Step.Send("k1"), new Step.Run(40_000)));

        assertThat(times).hasSize(6);
        assertThat(times[1] - times[0]).isEqualTo(250);
        assertThat(times[2]).isEqualTo(times[1]);
        assertThat(times[3] - times[2]).isEqualTo(5);
        assertThat(times[4]).isEqualTo(times[3]);
        assertThat(times[5] - times[4]).isEqualTo(40_000);
    }

    @Test
    void theSameScheduleWithRunsGivesTheSameHistory() {
        Schedule s = schedule(new Step.Send("k1"), new Step.Run(3), new Step.Send("k2"), new Step.Send(null),
                new Step.LoseRequest(0), new Step.Run(31_000), new Step.CrashBroker(0), new Step.Run(100),
                new Step.RestartBroker(0), new Step.Run(60_000));

        RunResult first = RUNNER.run(s);
        RunResult second = RUNNER.run(s);

        assertThat(first.history().events()).isNotEmpty().isEqualTo(second.history().events());
        assertThat(first.verdicts()).isEqualTo(second.verdicts());
    }

    @Test
    void aRepeatedDeliveryIsTheSameAsTheDeliveriesOneByOne() {
        Schedule once = schedule(new Step.Send("k1"), new Step.Send("k2"), new Step.Flush(), new Step.Deliver(1, 4),
                new Step.Advance(20), new Step.Deliver(0, 3));
        Schedule oneByOne = schedule(new Step.Send("k1"), new Step.Send("k2"), new Step.Flush(), new Step.Deliver(1),
                new Step.Deliver(1), new Step.Deliver(1), new Step.Deliver(1), new Step.Advance(20), new Step.Deliver(0),
                new Step.Deliver(0), new Step.Deliver(0));

        // Reads happen after each step that changed something, so only the readers' fetches may differ.
        List<Event> a = RUNNER.run(once).history().events().stream().filter(e -> !(e instanceof ConsumerFetch)).toList();
        List<Event> b = RUNNER.run(oneByOne).history().events().stream().filter(e -> !(e instanceof ConsumerFetch)).toList();
        assertThat(a).filteredOn(e -> e instanceof NetworkDeliver).hasSizeGreaterThanOrEqualTo(4);
        assertThat(a).isEqualTo(b);
    }
}
