package dev.deliverycheck.report;

import dev.deliverycheck.event.CoordinatorWriteMarker;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.RunResult;
import dev.deliverycheck.explore.Schedule;
import dev.deliverycheck.explore.ScheduleGenerator;
import dev.deliverycheck.explore.ScheduleRunner;
import dev.deliverycheck.explore.Shrinker;
import dev.deliverycheck.explore.Step;
import dev.deliverycheck.protocol.ControlType;
import dev.deliverycheck.sim.SimulationConfig;
import java.util.List;
import java.util.Optional;

/**
 * An exactly-once exploration holds every invariant, so it has no counterexample to draw; what
 * a reader wants to see there is a transaction being aborted. This finds the first explored run
 * (seed S, S+1, ... -- the very runs the explorer judged) in which an ABORT marker was written,
 * shrinks it (as the explorer shrinks a failure) to the fewest steps that still write one, and
 * draws that run.
 */
public final class AbortExample {
    /** Runs looked at, at most: a few milliseconds each. */
    static final int LIMIT = 200;
    /** Replays allowed for shrinking the example. */
    static final int SHRINK_BUDGET = 400;

    private AbortExample() {
    }

    public static Optional<RunDiagrams.Drawn> find(ExploreReport r) {
        if (!r.mode().transactional()) {
            return Optional.empty();
        }
        SimulationConfig template = SimulationConfig.forExploration(r.mode());
        ScheduleRunner runner = new ScheduleRunner(template);
        ScheduleGenerator generator = new ScheduleGenerator(r.mode());
        for (int i = 0; i < Math.min(r.runs(), LIMIT); i++) {
            RunResult run = generator.generate(r.seed() + i, r.steps(), runner);
            if (aborts(run)) {
                Schedule original = run.schedule();
                List<Step> shrunk = new Shrinker(steps -> aborts(runner.run(original.withSteps(steps))), SHRINK_BUDGET)
                        .shrink(original.steps());
                RunDiagrams.Drawn d = RunDiagrams.draw(original.withSteps(shrunk), template, null);
                String title = r.mode().cliName() + " abort, seed " + original.seed() + ", shrunk " + original.steps().size() + " -> " + shrunk.size() + " steps";
                return Optional.of(new RunDiagrams.Drawn(d.result(), new Diagram(title, d.diagram().lanes(), d.diagram().items())));
            }
        }
        return Optional.empty();
    }

    private static boolean aborts(RunResult run) {
        return run.history().events().stream().anyMatch(e -> e instanceof CoordinatorWriteMarker m && m.type() == ControlType.ABORT);
    }
}
