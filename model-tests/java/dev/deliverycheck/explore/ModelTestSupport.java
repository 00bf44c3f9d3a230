package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.Expectation;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.sim.SimulationConfig;
import java.nio.file.Path;

/**
 * Shared budget and assertions for the per-mode model tests. The budget scales with the system
 * property {@code deliverycheck.budget} (default 1): {@code mvn verify -Ddeliverycheck.budget=20}
 * explores twenty times as many schedules.
 */
final class ModelTestSupport {
    static final int STEPS = 50;
    static final int MAX_SHRUNK_STEPS = 15;

    private ModelTestSupport() {
    }

    static int budget() {
        return Math.max(1, Integer.getInteger("deliverycheck.budget", 1));
    }

    static int runs(int base) {
        return base * budget();
    }

    static ExploreReport explore(SimulationConfig template, Path replayDir, int runs, long seed) {
        return new Explorer(template, replayDir, line -> { }).explore(runs, STEPS, seed);
    }

    /** Asserts DESIGN.md's matrix row for the report's mode, with seeds and replay files in every message. */
    static void assertMatrixRow(ExploreReport report) {
        Mode mode = report.mode();
        for (ExploreReport.InvariantOutcome o : report.invariants().values()) {
            ExploreReport.Finding f = o.finding();
            String where = f == null ? "no violation in " + report.runs() + " schedules from seed " + report.seed()
                    : "violation at seed " + f.seed() + ", replay " + f.file() + ": " + f.explanation();
            assertThat(o.matches())
                    .as("%s %s: expected %s, observed %s (%s)", mode.cliName(), o.invariant().tlaName(),
                            o.expected().label(), o.observed(), where)
                    .isTrue();
            if (o.expected() == Expectation.VIOLATED) {
                assertThat(f.shrunkSteps())
                        .as("%s %s shrunk schedule length (seed %d, replay %s)", mode.cliName(),
                                o.invariant().tlaName(), f.seed(), f.file())
                        .isLessThanOrEqualTo(MAX_SHRUNK_STEPS);
            }
        }
        assertThat(report.undercoveredScenarios())
                .as("%s: fault scenarios generated below their floors in %d schedules; coverage %s", mode.cliName(),
                        report.runs(), report.coverage())
                .isEmpty();
        assertThat(report.unsettledRuns()).as("%s: runs that did not settle", mode.cliName()).isZero();
        ExploreReport.Finding p = report.progress();
        assertThat(report.progressHolds())
                .as("%s Progress: %s", mode.cliName(), p == null ? "" : "violated at seed " + p.seed() + ", replay "
                        + p.file() + ": " + p.explanation())
                .isTrue();
    }

    static void assertCaught(ExploreReport report, Invariant invariant) {
        ExploreReport.InvariantOutcome o = report.invariants().get(invariant);
        assertThat(o.holds())
                .as("broker variant %s must violate %s within %d schedules from seed %d", report.brokerVariant(),
                        invariant.tlaName(), report.runs(), report.seed())
                .isFalse();
        assertThat(o.finding().shrunkSteps()).as("shrunk schedule, replay %s", o.finding().file())
                .isLessThanOrEqualTo(MAX_SHRUNK_STEPS * 2);
    }
}
