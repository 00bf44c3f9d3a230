package dev.deliverycheck.explore;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.sim.SimulationConfig;
import dev.deliverycheck.tlc.TraceValidation;
import dev.deliverycheck.tlc.TraceValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Links the explored runs to the model: regenerates the first {@code n} runs of an exploration
 * (run i has seed S+i, so they are the very runs the explorer judged) and checks with TLC that
 * each run's history is a behaviour of the mode's TLA+ spec.
 */
public final class TraceSampler {
    private final TraceValidator validator;
    private final Consumer<String> progress;

    public TraceSampler(TraceValidator validator, Consumer<String> progress) {
        this.validator = validator;
        this.progress = progress;
    }

    /** One validated run. */
    public record Sampled(long seed, int events, TraceValidation validation) {
    }

    /** The outcome over a sample of runs. */
    public record Report(Mode mode, List<Sampled> runs) {
        public boolean ok() {
            return runs.stream().allMatch(r -> r.validation().ok());
        }

        public long events() {
            return runs.stream().mapToLong(Sampled::events).sum();
        }

        public double seconds() {
            return runs.stream().mapToDouble(r -> r.validation().seconds()).sum();
        }

        /** Trace events validated per second of TLC time. */
        public double eventsPerSecond() {
            double s = seconds();
            return s > 0 ? events() / s : 0;
        }

        public Summary toJson() {
            List<Summary.Rejected> rejected = runs.stream().filter(r -> !r.validation().ok())
                    .map(r -> new Summary.Rejected(r.seed(), r.validation().message())).toList();
            return new Summary(runs.size(), runs.stream().filter(r -> r.validation().ok()).count(), events(),
                    Math.round(seconds() * 10) / 10.0, Math.round(eventsPerSecond()), rejected, ok());
        }
    }

    /** The {@code traceValidation} object of {@code explore --json} and {@code verify --json}. */
    public record Summary(int validated, long accepted, long events, double seconds, long eventsPerSecond,
                          List<Rejected> rejected, boolean ok) {
        /** A sampled run whose trace TLC did not accept, and TLC's reason. */
        public record Rejected(long seed, String message) {
        }
    }

    public Report sample(SimulationConfig template, int count, int steps, long seed) {
        Mode mode = template.mode();
        ScheduleRunner runner = new ScheduleRunner(template);
        ScheduleGenerator generator = new ScheduleGenerator(mode);
        List<Sampled> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long runSeed = seed + i;
            RunResult run = generator.generate(runSeed, steps, runner);
            TraceValidation v = validator.validate(mode, run.history().events());
            runs.add(new Sampled(runSeed, run.history().size(), v));
            progress.accept(String.format("trace %s %d/%d (seed %d, %d events): %s", mode.cliName(), i + 1, count,
                    runSeed, run.history().size(), v.message()));
        }
        return new Report(mode, runs);
    }
}
