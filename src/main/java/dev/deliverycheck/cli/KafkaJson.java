package dev.deliverycheck.cli;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.deliverycheck.wire.harness.RealExplorer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The document {@code kafka --json} prints: Jackson writes the components in this order (the CLI contract scripts
 * read); figures in seconds and runs per minute rounded to tenths.
 */
record KafkaJson(String mode, String target, String client, String producerConfig, int runs, long seed,
                 Map<String, Verdict> invariants, double seconds, double runsPerMinute, boolean ok) {

    /** One invariant over all runs, and the fields of its shrunk finding when there is one. */
    record Verdict(String expected, String observed, boolean ok, int violatedRuns, @JsonUnwrapped Found found) {
    }

    /** A violation found, shrunk and replayed ({@link RealExplorer.Finding}). */
    record Found(long seed, int originalSteps, int shrunkSteps, long faultSteps, String schedule, String explanation,
                 int shrinkRuns, int replays, int reproduced, double secondsToFind, double secondsToShrink) {
        static Found of(RealExplorer.Finding f) {
            return f == null ? null : new Found(f.seed(), f.originalSteps(), f.shrunkSteps(), f.faultSteps(),
                    f.file().toString(), f.explanation(), f.shrinkRuns(), f.replays(), f.reproduced(),
                    tenths(f.secondsToFind()), tenths(f.secondsToShrink()));
        }
    }

    static KafkaJson of(RealExplorer.Report report, String target, String client) {
        Map<String, Verdict> invariants = new LinkedHashMap<>();
        for (RealExplorer.Outcome o : report.invariants().values()) {
            invariants.put(o.invariant().tlaName(), new Verdict(o.expected().label(), o.holds() ? "holds" : "violated",
                    o.matches(), o.violatedRuns(), Found.of(o.finding())));
        }
        return new KafkaJson(report.mode().cliName(), target, client, report.settingsSource(), report.runs(),
                report.seed(), invariants, tenths(report.seconds()), tenths(report.runsPerMinute()), report.ok());
    }

    private static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
