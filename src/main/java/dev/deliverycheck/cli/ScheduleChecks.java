package dev.deliverycheck.cli;

import dev.deliverycheck.check.Expectation;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.check.ProgressChecker;
import dev.deliverycheck.explore.RunResult;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code replay}'s one-line answers about a schedule file it cannot use (missing, unreadable) and
 * the guarantees a replayed run broke, for a schedule that names no failure. What a file may say
 * (brokers it has, a {@code fails:} its mode judges, a broker count the producer-id blocks allow)
 * {@link dev.deliverycheck.explore.ScheduleFile} checks while parsing, with the line.
 */
final class ScheduleChecks {
    private ScheduleChecks() {
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
}
