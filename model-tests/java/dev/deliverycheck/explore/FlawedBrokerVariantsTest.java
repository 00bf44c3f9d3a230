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
 * {@link ModelTestSupport#MAX_SHRUNK_STEPS} (15) steps. The schedules are explored in slices
 * of {@link #SLICE} (run {@code i} still uses seed {@code S + i}), so a test costs the schedules up
 * to the first violation, not the whole budget. One seed per variant here, to keep
 * {@code mvn verify} affordable; {@code -Ddeliverycheck.flawSeeds=5} runs the five-seed sweep the
 * README records.
 */
class FlawedBrokerVariantsTest {
    static final int BUDGET = 2_000;
    /** A seed the per-mode model tests (seed 1) do not use. */
    static final long SEED = 16_000;
    /** Schedules explored per slice. */
    static final int SLICE = 100;

    @TempDir
    Path replays;

    /** The variant, the mode it is explored in, and the check that must catch it. */
    enum Variant {
        SNAPSHOT_REPLAY_SKIPPED(BrokerConfig.Flaw.SKIP_REPLAY_AFTER_SNAPSHOT, Mode.IDEMPOTENT, Invariant.NO_DUPLICATE),
        ACK_BEFORE_FLUSH(BrokerConfig.Flaw.ACK_BEFORE_FLUSH, Mode.IDEMPOTENT, Invariant.ACKED_DURABLE),
        NO_EPOCH_BUMP_ON_INIT(BrokerConfig.Flaw.NO_EPOCH_BUMP_ON_INIT, Mode.EXACTLY_ONCE, Invariant.ZOMBIE_FENCED),
        NEVER_COMMITS(BrokerConfig.Flaw.NEVER_COMMIT, Mode.EXACTLY_ONCE, null),
        TIMEOUT_ABORT_WITHOUT_EPOCH_BUMP(BrokerConfig.Flaw.NO_EPOCH_BUMP_ON_TIMEOUT_ABORT, Mode.EXACTLY_ONCE,
                Invariant.NO_LOSS),
        /**
         * Needs two transactions on one partition, the first one's marker copy held back while the
         * next transaction's produce and verification overtake it: 11-14 steps at the five seeds (the
         * shrinker's swap pass got seed 216000 from 17 to 11).
         */
        MARKER_RESENT_ON_A_LIVE_CONNECTION(BrokerConfig.Flaw.MARKER_RESENT_ON_LIVE_CONNECTION, Mode.EXACTLY_ONCE,
                Invariant.ATOMIC_COMMIT),
        /** A committed transaction and a second one begun with a send: 7-8 steps with {@code run} at the five seeds. */
        EPOCH_NOT_RESET(BrokerConfig.Flaw.NO_SEQUENCE_RESET_ON_NEW_EPOCH, Mode.EXACTLY_ONCE, Invariant.NO_LOSS);

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
            ExploreReport.Finding f = null;
            int explored = 0;
            long start = System.nanoTime();
            double secondsBefore = 0;
            while (f == null && explored < BUDGET) {
                secondsBefore = (System.nanoTime() - start) / 1e9;
                f = variant.finding(variant.explore(replays, SLICE, seed + explored));
                explored += SLICE;
            }
            assertThat(f).as("%s must fail %s within %d schedules from seed %d", variant, variant.check(), BUDGET, seed)
                    .isNotNull();
            int schedule = explored - SLICE + f.runsToFind();
            // The sweep's record: time to first violation per bug class (README).
            System.out.printf("flaw %s: %s at schedule %d of %d from seed %d (%.2f s), shrunk %d -> %d steps%n",
                    variant, variant.check(), schedule, BUDGET, seed, secondsBefore + f.secondsToFind(),
                    f.originalSteps(), f.shrunkSteps());
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

    @Test
    void aTimeoutAbortWithoutAnEpochBumpLetsTheTimedOutProducerCommitHalfATransaction() {
        assertCaught(Variant.TIMEOUT_ABORT_WITHOUT_EPOCH_BUMP);
    }

    @Test
    void aMarkerResentOnALiveConnectionLandsOnTheNextTransaction() {
        assertCaught(Variant.MARKER_RESENT_ON_A_LIVE_CONNECTION);
    }

    @Test
    void aNewEpochThatKeepsTheOldSequencesLosesABatchAsADuplicate() {
        assertCaught(Variant.EPOCH_NOT_RESET);
    }
}
