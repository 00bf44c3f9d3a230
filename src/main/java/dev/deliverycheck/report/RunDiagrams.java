package dev.deliverycheck.report;

import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.explore.RunResult;
import dev.deliverycheck.explore.Schedule;
import dev.deliverycheck.explore.ScheduleRunner;
import dev.deliverycheck.explore.Step;
import dev.deliverycheck.sim.SimulationConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a schedule (runs are deterministic: same schedule, same events) and draws it: one
 * divider per step, the events each step caused, the end phase, and the broken invariant named
 * after the step where the explorer first saw it, with its offending records highlighted.
 */
public final class RunDiagrams {
    static final String END_PHASE = "end: faults stop, crashed brokers restart, the producer flushes, the cluster settles";

    /** A replayed run and its diagram. */
    public record Drawn(RunResult result, Diagram diagram) {
    }

    private RunDiagrams() {
    }

    /**
     * @param invariant the invariant to name and highlight, or null to draw the run without a focus
     */
    public static Drawn draw(Schedule schedule, SimulationConfig template, Invariant invariant) {
        List<EventDiagram.StepEvents> steps = new ArrayList<>();
        int[] index = {0};
        RunResult result = new ScheduleRunner(template).run(schedule, (Step step, List<Event> events) -> {
            String label = step == null ? END_PHASE : "step " + (++index[0]) + ": " + step.toLine();
            steps.add(new EventDiagram.StepEvents(label, List.copyOf(events)));
        });
        List<Long> offending = List.of();
        int at = -1;
        String banner = null;
        if (invariant != null && result.violated(invariant)) {
            Verdict v = result.verdicts().get(invariant);
            offending = v.offendingIds();
            at = result.violationStep().getOrDefault(invariant, steps.size() - 1);
            banner = invariant.tlaName() + " violated: " + v.explanation();
        }
        String title = schedule.mode().cliName() + (invariant == null ? "" : " " + invariant.tlaName()) + ", seed "
                + schedule.seed() + ", " + schedule.steps().size() + " steps";
        Diagram diagram = EventDiagram.of(title, schedule.brokers(), result.history().readerIsolation(), steps, offending,
                at, banner);
        return new Drawn(result, diagram);
    }
}
