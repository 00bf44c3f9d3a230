package dev.deliverycheck.wire.harness;

import dev.deliverycheck.check.Expectation;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.check.Verdict;
import dev.deliverycheck.explore.Shrinker;
import dev.deliverycheck.explore.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs schedules against real Kafka and judges each by the mode's column of the outcome matrix; shrinks the
 * first violation of each invariant over real runs (every candidate is a real run) with the explorer's
 * {@link Shrinker}, saves it, and replays the shrunk schedule to say how often it reproduces (real runs are not
 * deterministic).
 *
 * <p>The Shrinker works on the explorer's {@link Step}s; here each step of a real schedule is handed to it as
 * an opaque token {@code crash-broker i} (a step without simplifications) whose number is the step's index, so
 * the Shrinker removes real steps and never rewrites them.
 */
public final class RealExplorer {
    private final RealRun runner;
    private final ProducerSettings settings;
    private final Path out;
    private final Consumer<String> progress;
    private final int shrinkAttempts;
    private final int replays;

    public RealExplorer(RealRun runner, ProducerSettings settings, Path out, int shrinkAttempts, int replays,
                        Consumer<String> progress) {
        this.runner = runner;
        this.settings = settings;
        this.out = out;
        this.shrinkAttempts = shrinkAttempts;
        this.replays = replays;
        this.progress = progress;
    }

    /** A violation found, shrunk and replayed. */
    public record Finding(long seed, int originalSteps, int shrunkSteps, long faultSteps, Path file,
                          RealSchedule schedule, String explanation, int shrinkRuns, int replays, int reproduced,
                          double secondsToFind, double secondsToShrink) {
    }

    /**
     * One invariant over all runs: violated in {@code violatedRuns} of them; the first violation shrunk.
     * {@code example} is a run that violated it (of the shrunk schedule when there is a finding), null when none did.
     */
    public record Outcome(Invariant invariant, Expectation expected, boolean holds, int violatedRuns, Finding finding,
                          Example example) {
        public boolean matches() {
            return expected.matches(holds);
        }
    }

    /** A violating run and the schedule it ran, kept so that it can be shown (the report draws its history). */
    public record Example(RealSchedule schedule, RealRun.Outcome run) {
    }

    public record Report(Mode mode, String settingsSource, int runs, long seed, Map<Invariant, Outcome> invariants,
                         double seconds, double runsPerMinute) {
        public boolean ok() {
            return invariants.values().stream().allMatch(Outcome::matches);
        }
    }

    /** Runs {@code runs} generated schedules from {@code seed} (run i uses seed + i). */
    public Report explore(int runs, long seed) {
        List<RealSchedule> schedules = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            schedules.add(RealScheduleGenerator.generate(settings.mode(), seed + i));
        }
        return judge(schedules, seed);
    }

    /** Runs one given schedule {@code runs} times. */
    public Report replay(RealSchedule schedule, int runs) {
        List<RealSchedule> schedules = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            schedules.add(schedule);
        }
        return judge(schedules, schedule.seed());
    }

    private Report judge(List<RealSchedule> schedules, long seed) {
        Mode mode = settings.mode();
        long start = System.nanoTime();
        Map<Invariant, RealRun.Outcome> firstViolation = new LinkedHashMap<>();
        Map<Invariant, RealSchedule> failingSchedule = new LinkedHashMap<>();
        Map<Invariant, Double> foundAfter = new LinkedHashMap<>();
        Map<Invariant, Integer> violations = new LinkedHashMap<>();
        double runSeconds = 0;
        for (int i = 0; i < schedules.size(); i++) {
            RealSchedule schedule = schedules.get(i).withMode(mode);
            RealRun.Outcome outcome = runner.run(schedule);
            runSeconds += outcome.seconds();
            StringBuilder line = new StringBuilder(String.format("run %d/%d seed %d (%.1f s, faults %s):", i + 1,
                    schedules.size(), schedule.seed(), outcome.seconds(), outcome.appliedFaults()));
            for (Verdict v : outcome.verdicts()) {
                line.append(' ').append(v.invariant().tlaName()).append('=').append(v.label());
                violations.merge(v.invariant(), v.holds() ? 0 : 1, Integer::sum);
                if (!v.holds() && !firstViolation.containsKey(v.invariant())) {
                    firstViolation.put(v.invariant(), outcome);
                    failingSchedule.put(v.invariant(), schedule);
                    foundAfter.put(v.invariant(), (System.nanoTime() - start) / 1e9);
                }
            }
            progress.accept(line.toString());
        }
        double exploreSeconds = (System.nanoTime() - start) / 1e9;
        Map<Invariant, Outcome> outcomes = new LinkedHashMap<>();
        for (Invariant invariant : mode.invariants()) {
            RealRun.Outcome violated = firstViolation.get(invariant);
            // A plain replay (nothing to shrink, no replays asked for) only counts violations.
            boolean shrink = shrinkAttempts > 0 || replays > 0;
            Example example = violated == null ? null : new Example(failingSchedule.get(invariant), violated);
            Finding finding = null;
            if (violated != null && shrink) {
                Shrunk shrunk = shrinkAndSave(invariant, failingSchedule.get(invariant), violated,
                        foundAfter.get(invariant));
                finding = shrunk.finding();
                example = new Example(finding.schedule(), shrunk.lastViolatingRun());
            }
            outcomes.put(invariant, new Outcome(invariant, mode.expected(invariant), violated == null,
                    violations.getOrDefault(invariant, 0), finding, example));
        }
        double perMinute = runSeconds > 0 ? schedules.size() * 60.0 / runSeconds : 0;
        return new Report(mode, settings.source(), schedules.size(), seed, outcomes, exploreSeconds, perMinute);
    }

    /**
     * A finding and the last run that violated its invariant while shrinking and replaying: a run of the shrunk
     * schedule when any of those violated it, else the run that found the violation.
     */
    private record Shrunk(Finding finding, RealRun.Outcome lastViolatingRun) {
    }

    private Shrunk shrinkAndSave(Invariant invariant, RealSchedule failing, RealRun.Outcome found,
                                 double secondsToFind) {
        long start = System.nanoTime();
        Verdict verdict = found.verdict(invariant.tlaName());
        AtomicReference<RealRun.Outcome> lastViolating = new AtomicReference<>(found);
        List<RealStep> steps = failing.steps();
        List<Step> tokens = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            tokens.add(new Step.CrashBroker(i));
        }
        progress.accept("shrinking the " + invariant.tlaName() + " violation of seed " + failing.seed() + " ("
                + steps.size() + " steps; every candidate is a real run)");
        Shrinker shrinker = new Shrinker(candidate -> violates(failing.withSteps(decode(steps, candidate)), invariant,
                lastViolating), shrinkAttempts);
        List<RealStep> shrunk = decode(steps, shrinker.shrink(tokens));
        double shrinkSeconds = (System.nanoTime() - start) / 1e9;
        RealSchedule saved = failing.withSteps(shrunk).failing(invariant.tlaName());
        int reproduced = 0;
        for (int i = 0; i < replays; i++) {
            reproduced += violates(saved, invariant, lastViolating) ? 1 : 0;
        }
        Path file = out.resolve("kafka-" + failing.mode().cliName() + "-" + invariant.tlaName() + "-seed" + failing.seed()
                + ".schedule");
        try {
            saved.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        progress.accept(String.format("%s: shrunk %d -> %d steps (%d fault steps) in %.0f s, %d real runs; replayed %d/%d: %s",
                invariant.tlaName(), steps.size(), shrunk.size(), saved.faultSteps(), shrinkSeconds, shrinker.attempts(),
                reproduced, replays, file));
        return new Shrunk(new Finding(failing.seed(), steps.size(), shrunk.size(), saved.faultSteps(), file, saved,
                verdict.explanation(), shrinker.attempts(), replays, reproduced, secondsToFind, shrinkSeconds),
                lastViolating.get());
    }

    /** Runs {@code schedule}; if the run violates {@code invariant}, it becomes {@code lastViolating}. */
    private boolean violates(RealSchedule schedule, Invariant invariant, AtomicReference<RealRun.Outcome> lastViolating) {
        RealRun.Outcome outcome = runner.run(schedule);
        Verdict verdict = outcome.verdict(invariant.tlaName());
        boolean violated = verdict != null && !verdict.holds();
        if (violated) {
            lastViolating.set(outcome);
        }
        return violated;
    }

    private static List<RealStep> decode(List<RealStep> steps, List<Step> tokens) {
        List<RealStep> decoded = new ArrayList<>();
        for (Step token : tokens) {
            decoded.add(steps.get(((Step.CrashBroker) token).broker()));
        }
        return decoded;
    }
}
