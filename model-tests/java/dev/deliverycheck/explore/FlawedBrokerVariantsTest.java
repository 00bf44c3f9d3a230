package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.sim.BrokerFactory;
import dev.deliverycheck.sim.SimulationConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Teeth for the bug classes the explorer used to miss (issue 16): each test builds the explorer's
 * broker with one single-line bug ({@link BrokerConfig.Flaw}) and shows that {@code explore} with
 * the default verify budget (2,000 schedules) finds it, shrunk to at most
 * {@link ModelTestSupport#MAX_SHRUNK_STEPS} steps. One seed per variant here, to keep
 * {@code mvn verify} affordable; the five-seed sweep is {@code FlawSweep} (README).
 */
class FlawedBrokerVariantsTest {
    static final int BUDGET = 2_000;
    /** A seed the per-mode model tests (seed 1) do not use. */
    static final long SEED = 16_000;

    @TempDir
    Path replays;

    /** The variant, the mode it is explored in, and the check that must catch it. */
    enum Variant {
        SNAPSHOT_REPLAY_SKIPPED(BrokerConfig.Flaw.SKIP_REPLAY_AFTER_SNAPSHOT, Mode.IDEMPOTENT, Invariant.NO_DUPLICATE),
        ACK_BEFORE_FLUSH(BrokerConfig.Flaw.ACK_BEFORE_FLUSH, Mode.IDEMPOTENT, Invariant.ACKED_DURABLE),
        NO_EPOCH_BUMP_ON_INIT(BrokerConfig.Flaw.NO_EPOCH_BUMP_ON_INIT, Mode.EXACTLY_ONCE, Invariant.ZOMBIE_FENCED),
        NEVER_COMMITS(BrokerConfig.Flaw.NEVER_COMMIT, Mode.EXACTLY_ONCE, null);

        final BrokerConfig.Flaw flaw;
        final Mode mode;
        /** The invariant that must fail, or null for Progress. */
        final Invariant invariant;

        Variant(BrokerConfig.Flaw flaw, Mode mode, Invariant invariant) {
            this.flaw = flaw;
            this.mode = mode;
            this.invariant = invariant;
        }

        String check() {
            return invariant == null ? dev.deliverycheck.check.ProgressChecker.NAME : invariant.tlaName();
        }

        ExploreReport explore(Path replayDir, int runs, long seed) {
            SimulationConfig base = SimulationConfig.forExploration(mode);
            SimulationConfig template = base.withBroker(base.brokerConfig().withFlaw(flaw), BrokerFactory.REAL,
                    name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            return new Explorer(template, replayDir, line -> { }).explore(runs, ModelTestSupport.STEPS, seed);
        }

        /** The finding of this variant's check in {@code report}, or null if it was not caught. */
        ExploreReport.Finding finding(ExploreReport report) {
            return invariant == null ? report.progress() : report.invariants().get(invariant).finding();
        }
    }

    /** Seeds per variant: 1 by default, {@code -Ddeliverycheck.flawSeeds=5} for the sweep the README records. */
    static int seeds() {
        return Math.max(1, Integer.getInteger("deliverycheck.flawSeeds", 1));
    }

    private void assertCaught(Variant variant) {
        for (int k = 0; k < seeds(); k++) {
            long seed = SEED + 100_000L * k;
            ExploreReport report = variant.explore(replays, BUDGET, seed);
            ExploreReport.Finding f = variant.finding(report);
            assertThat(f).as("%s must fail %s within %d schedules from seed %d", variant, variant.check(), BUDGET, seed)
                    .isNotNull();
            // The sweep's record: time to first violation per bug class (README).
            System.out.printf("flaw %s: %s at schedule %d of %d from seed %d (%.2f s), shrunk %d -> %d steps%n",
                    variant, variant.check(), f.runsToFind(), BUDGET, seed, f.secondsToFind(), f.originalSteps(),
                    f.shrunkSteps());
            assertThat(f.shrunkSteps()).as("%s shrunk schedule, replay %s", variant, f.file())
                    .isLessThanOrEqualTo(ModelTestSupport.MAX_SHRUNK_STEPS);
        }
    }

    @Test
    void skippingTheReplayAfterASnapshotDuplicates() {
        assertCaught(Variant.SNAPSHOT_REPLAY_SKIPPED);
    }

    @Test
    void anAckBeforeTheFlushIsLostInACrash() {
        assertCaught(Variant.ACK_BEFORE_FLUSH);
    }

    @Test
    void aCoordinatorThatForgetsToBumpTheEpochLetsTheZombieIn() {
        assertCaught(Variant.NO_EPOCH_BUMP_ON_INIT);
    }

    @Test
    void aCoordinatorThatNeverCommitsFailsProgress() {
        assertCaught(Variant.NEVER_COMMITS);
    }
}
