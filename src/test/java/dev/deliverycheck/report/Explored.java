package dev.deliverycheck.report;

import dev.deliverycheck.check.Mode;
import dev.deliverycheck.explore.ExploreReport;
import dev.deliverycheck.explore.Explorer;
import dev.deliverycheck.sim.SimulationConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Real explorer output for the report tests: each mode explored once per test JVM, in-process,
 * with a small budget (seed 1 finds at-least-once's duplicate and at-most-once's loss in its
 * first runs), shrunk schedules written to a temporary directory.
 */
final class Explored {
    static final int RUNS = 30;
    private static final Map<Mode, ExploreReport> CACHE = new EnumMap<>(Mode.class);
    private static Path replays;

    private Explored() {
    }

    static synchronized ExploreReport of(Mode mode) {
        return CACHE.computeIfAbsent(mode, m -> new Explorer(SimulationConfig.forExploration(m), replayDir(), line -> {
        }).explore(RUNS, 50, 1));
    }

    private static Path replayDir() {
        if (replays == null) {
            try {
                replays = Files.createTempDirectory("deliverycheck-report-replays-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return replays;
    }
}
