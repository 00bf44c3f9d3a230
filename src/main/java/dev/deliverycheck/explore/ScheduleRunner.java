package dev.deliverycheck.explore;

import dev.deliverycheck.check.Checkers;
import dev.deliverycheck.check.History;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.ProgressChecker;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.sim.Simulation;
import dev.deliverycheck.sim.SimulationConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Runs a schedule against the real producer and broker in a fresh {@link Simulation}: the steps
 * in order, the safety invariants after every step that changed anything, then the end phase
 * (faults stop, crashed brokers restart, the producer flushes and commits, the cluster settles)
 * and every invariant and Progress on the settled state.
 */
public final class ScheduleRunner {
    /** Virtual time allowed for the end phase: longer than delivery.timeout.ms and transaction.timeout.ms. */
    public static final long SETTLE_BUDGET_MS = 600_000;

    private static final ProgressChecker PROGRESS = new ProgressChecker();

    private final SimulationConfig template;
    /** Seed and shape do not enter the producer configuration, so every run can share the template's. */
    private final ProducerConfig producerConfig;

    /** {@code template} supplies everything but seed and shape, which come from the schedule. */
    public ScheduleRunner(SimulationConfig template) {
        this.template = template;
        this.producerConfig = template.producerConfig();
    }

    public SimulationConfig configFor(Schedule schedule) {
        return template.withSeed(schedule.seed()).withShape(schedule.brokers(), schedule.partitions());
    }

    public RunResult run(Schedule schedule) {
        return run(schedule, null);
    }

    /** Runs the schedule; {@code onStep}, if given, sees each step and the events it caused (for replay). */
    public RunResult run(Schedule schedule, BiConsumer<Step, List<Event>> onStep) {
        List<Step> steps = schedule.steps();
        return execute(schedule, steps.size(), (sim, i) -> steps.get(i), onStep);
    }

    /** Chooses the next step from the live simulation (the generator). */
    @FunctionalInterface
    public interface StepSource {
        Step next(Simulation sim, int index);
    }

    /**
     * Runs {@code length} steps drawn from {@code source} on the shape and seed of {@code header};
     * the result's schedule holds the steps that were drawn.
     */
    public RunResult execute(Schedule header, int length, StepSource source, BiConsumer<Step, List<Event>> onStep) {
        History history = new History();
        Simulation sim = new Simulation(configFor(header), history, producerConfig);
        Checkers checkers = Checkers.forMode(header.mode());
        Map<Invariant, Verdict> verdicts = new EnumMap<>(Invariant.class);
        Map<Invariant, Integer> violationStep = new EnumMap<>(Invariant.class);
        List<Step> executed = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            Step step = source.next(sim, i);
            int before = history.size();
            long changesBefore = sim.observableChanges();
            executed.add(step);
            try {
                apply(sim, step);
            } catch (RuntimeException e) {
                throw new SimulationFailure(header.withSteps(executed), e);
            }
            if (sim.observableChanges() != changesBefore) {
                sim.readAll();
                recordViolations(checkers.checkStep(history), verdicts, violationStep, i);
            }
            if (onStep != null) {
                onStep.accept(step, history.events().subList(before, history.size()));
            }
        }
        int before = history.size();
        boolean settled;
        try {
            sim.heal();
            settled = sim.settle(SETTLE_BUDGET_MS);
        } catch (RuntimeException e) {
            throw new SimulationFailure(header.withSteps(executed), e);
        }
        sim.readAll();
        if (onStep != null) {
            onStep.accept(null, history.events().subList(before, history.size()));
        }
        recordViolations(checkers.checkAll(history), verdicts, violationStep, length);
        return new RunResult(header.withSteps(executed), history, verdicts, violationStep, settled,
                PROGRESS.check(history, settled));
    }

    /**
     * The virtual time before the first step and after each step of {@code schedule}: element
     * {@code k} is the clock after {@code k} steps. Runs the steps as {@link #run} does, reads
     * included, but checks nothing and skips the end phase; the shrinker measures with it how long
     * a window of steps spans.
     */
    public long[] stepTimes(Schedule schedule) {
        Simulation sim = new Simulation(configFor(schedule), new History(), producerConfig);
        List<Step> steps = schedule.steps();
        long[] times = new long[steps.size() + 1];
        times[0] = sim.nowMs();
        for (int i = 0; i < steps.size(); i++) {
            long changesBefore = sim.observableChanges();
            try {
                apply(sim, steps.get(i));
            } catch (RuntimeException e) {
                throw new SimulationFailure(schedule.withSteps(steps.subList(0, i + 1)), e);
            }
            if (sim.observableChanges() != changesBefore) {
                sim.readAll();
            }
            times[i + 1] = sim.nowMs();
        }
        return times;
    }

    private static void recordViolations(List<Verdict> found, Map<Invariant, Verdict> verdicts,
                                         Map<Invariant, Integer> violationStep, int step) {
        for (Verdict v : found) {
            Verdict previous = verdicts.get(v.invariant());
            if (previous == null || (previous.holds() && !v.holds())) {
                verdicts.put(v.invariant(), v);
                if (!v.holds()) {
                    violationStep.put(v.invariant(), step);
                }
            }
        }
    }

    /** Executes one step; a step whose precondition does not hold does nothing. */
    static void apply(Simulation sim, Step step) {
        if (step instanceof Step.Send s) {
            sim.send(s.key());
        } else if (step instanceof Step.Deliver d) {
            for (int k = 0; k < d.times(); k++) {
                sim.deliver(d.index());
            }
        } else if (step instanceof Step.LoseRequest l) {
            sim.loseRequest(l.index());
        } else if (step instanceof Step.LoseResponse l) {
            sim.loseResponse(l.index());
        } else if (step instanceof Step.Advance a) {
            sim.advance(a.ms());
        } else if (step instanceof Step.Run r) {
            sim.runFor(r.ms());
        } else if (step instanceof Step.CrashBroker c) {
            sim.crashBroker(c.broker());
        } else if (step instanceof Step.ShutdownBroker c) {
            sim.shutdownBroker(c.broker());
        } else if (step instanceof Step.RestartBroker r) {
            sim.restartBroker(r.broker());
        } else if (step instanceof Step.RestartProducer) {
            sim.restartProducer();
        } else if (step instanceof Step.BeginTxn) {
            sim.beginTransaction();
        } else if (step instanceof Step.CommitTxn) {
            sim.commitTransaction();
        } else if (step instanceof Step.AbortTxn) {
            sim.abortTransaction();
        } else if (step instanceof Step.Flush) {
            sim.flush();
        } else {
            throw new IllegalArgumentException("unknown step " + step);
        }
    }
}
