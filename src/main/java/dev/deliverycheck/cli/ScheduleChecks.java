package dev.deliverycheck.cli;

import dev.deliverycheck.broker.txn.ProducerIdManager;
import dev.deliverycheck.check.Expectation;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.check.ProgressChecker;
import dev.deliverycheck.explore.RunResult;
import dev.deliverycheck.explore.Schedule;
import dev.deliverycheck.explore.Step;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code replay} checks in a parsed schedule file before it runs a single step, so that a
 * hand-edited file with a typo is one error line (exit 2) instead of a run that silently ignores
 * the step, a verdict about an invariant the mode does not judge, or an internal error.
 * Invariant kept: every schedule that passes names only brokers it has, a {@code fails:} the
 * mode judges, and a broker count the broker's producer-id blocks allow. Also names the
 * guarantees a run broke, for a schedule that names no failure.
 */
final class ScheduleChecks {
    private ScheduleChecks() {
    }

    /** Throws a {@link UsageException} naming {@code file} for the first problem found. */
    static void check(Path file, Schedule schedule) {
        if (schedule.brokers() > ProducerIdManager.MAX_BROKERS) {
            throw new UsageException(file + ": brokers must be at most " + ProducerIdManager.MAX_BROKERS + ", got "
                    + schedule.brokers());
        }
        String failing = schedule.failing();
        if (failing != null && !ProgressChecker.NAME.equals(failing)) {
            List<String> judged = new ArrayList<>();
            schedule.mode().invariants().forEach(inv -> judged.add(inv.tlaName()));
            judged.add(ProgressChecker.NAME);
            if (!judged.contains(failing)) {
                throw new UsageException(file + ": fails: '" + failing + "' is not judged in mode "
                        + schedule.mode().cliName() + ", expected one of " + String.join(", ", judged));
            }
        }
        for (int i = 0; i < schedule.steps().size(); i++) {
            Step step = schedule.steps().get(i);
            int broker = brokerOf(step);
            if (broker >= schedule.brokers()) {
                throw new UsageException(file + ": step " + (i + 1) + " '" + step.toLine() + "' names broker " + broker
                        + ", but the schedule has " + schedule.brokers() + " (brokers 0.." + (schedule.brokers() - 1) + ")");
            }
        }
    }

    /**
     * The guarantees of {@code mode} (invariants it expects to hold, and Progress) that {@code result}
     * broke, by name: what decides {@code replay}'s exit code for a schedule that names no failure.
     */
    static List<String> brokenGuarantees(Mode mode, RunResult result) {
        List<String> broken = new ArrayList<>();
        for (Invariant inv : mode.invariants()) {
            if (mode.expected(inv) == Expectation.HOLDS && result.violated(inv)) {
                broken.add(inv.tlaName());
            }
        }
        if (result.progressViolated()) {
            broken.add(ProgressChecker.NAME);
        }
        return broken;
    }

    /** The one error line for a schedule file that could not be read. */
    static UsageException unreadable(Path file, IOException e) {
        if (e instanceof CharacterCodingException) {
            return new UsageException(file + " is not a schedule file (not UTF-8 text)");
        }
        return new UsageException("cannot read " + file + ": " + e.getMessage());
    }

    /** The one error line for a path that is not a readable regular file. */
    static UsageException missing(Path file) {
        return new UsageException(Files.isDirectory(file) ? file + " is a directory, not a schedule file"
                : "no such schedule file: " + file);
    }

    private static int brokerOf(Step step) {
        if (step instanceof Step.CrashBroker c) {
            return c.broker();
        } else if (step instanceof Step.ShutdownBroker s) {
            return s.broker();
        } else if (step instanceof Step.RestartBroker r) {
            return r.broker();
        }
        return -1;
    }
}
