package dev.deliverycheck.explore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.check.Invariant;
import dev.deliverycheck.check.Mode;
import dev.deliverycheck.sim.BrokerFactory;
import dev.deliverycheck.sim.SimulationConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression schedules for two coordinator bugs (README, bug classes), kept beside the explorer's
 * own search for them ({@code FlawedBrokerVariantsTest}, since issue 16's targeted runs): each
 * schedule, replayed on the real code with the single-line bug ({@link BrokerConfig.Flaw}), breaks
 * the invariant named, and the same schedule on the unchanged code breaks nothing. So the fix each
 * stands for cannot be removed unnoticed, whatever the generator does.
 */
class PinnedFlawSchedulesTest {
    /** Exactly-once, 2 brokers (coordinator 0), 2 partitions (events-1 led by broker 1), seed 7. */
    private static final long SEED = 7;

    /**
     * Transaction 0 writes events-1 and is acknowledged; the producer sends to events-0, whose
     * AddPartitionsToTxn is still on its way when the coordinator aborts the transaction for its age
     * (advance 61000). Without the epoch bump the late AddPartitionsToTxn opens a new transaction
     * with the same epoch, which the end of the run commits: events-0 commits, events-1 was aborted.
     */
    private static final String TIMEOUT_ABORT = "deliver 0;deliver 0;begin-txn;send key=k1;flush;deliver 0;deliver 0;"
            + "deliver 0;deliver 0;deliver 0;advance 100;deliver 0;advance 1;send key=k3;advance 61000";

    /**
     * Transaction 0 commits on events-1; its marker request is held past request.timeout.ms (advance
     * 31000), so the coordinator sends it again. With the flaw the copy goes behind the first on the
     * same live connection and the first answer completes the transaction; transaction 1 then writes
     * events-1 (its KIP-890 verification answer, on the connection broker 1 opened, passes the copy)
     * and aborts, and the stale COMMIT copy lands on it first: an aborted record becomes visible.
     */
    private static final String MARKER_RESENT = "deliver 0;deliver 0;begin-txn;send key=k1;flush;deliver 0;deliver 0;deliver 0;"
            + "deliver 0;deliver 0;advance 100;deliver 0;advance 1;commit-txn;deliver 0;deliver 0;"
            + "advance 1;advance 31000;advance 1;advance 1;advance 1;deliver 0;advance 1;advance 1;"
            + "advance 1;deliver 1;begin-txn;send key=k1;flush;deliver 1;deliver 1;deliver 1;"
            + "deliver 1;deliver 1;advance 1;advance 1;advance 1;deliver 1;advance 1;abort-txn;"
            + "deliver 1;deliver 1;advance 1;advance 1;advance 1;advance 1;advance 1;advance 1;"
            + "advance 1;advance 1";

    /**
     * Runs the schedule; with {@code separateConnections} (the explorer's default) the network carries
     * a broker's answers on the connection the requester opened ({@code SimulatedNetwork.separateAnswerConnections}).
     */
    private static RunResult run(String steps, BrokerConfig.Flaw flaw, boolean separateConnections) {
        SimulationConfig base = SimulationConfig.forExploration(Mode.EXACTLY_ONCE)
                .withSeparateAnswerConnections(separateConnections);
        SimulationConfig config = flaw == null ? base
                : base.withBroker(base.brokerConfig().withFlaw(flaw), BrokerFactory.REAL, flaw.name());
        List<Step> parsed = Arrays.stream(steps.split(";")).map(Step::parse).toList();
        return new ScheduleRunner(config).execute(new Schedule(Mode.EXACTLY_ONCE, SEED, 2, 2, null, List.of()),
                parsed.size(), (sim, i) -> parsed.get(i), null);
    }

    private static void assertOnlyTheFlawBreaks(String steps, BrokerConfig.Flaw flaw, Invariant invariant,
                                                boolean separateConnections) {
        RunResult flawed = run(steps, flaw, separateConnections);
        assertThat(flawed.violated(invariant)).as("%s must break %s (seed %d): %s", flaw, invariant.tlaName(), SEED,
                flawed.verdicts().get(invariant)).isTrue();
        RunResult clean = run(steps, null, separateConnections);
        for (Invariant i : Mode.EXACTLY_ONCE.invariants()) {
            assertThat(clean.violated(i)).as("unchanged code, %s (seed %d): %s", i.tlaName(), SEED,
                    clean.verdicts().get(i)).isFalse();
        }
        assertThat(clean.settled()).isTrue();
    }

    @Test
    void aTimeoutAbortWithoutAnEpochBumpCommitsHalfATransaction() {
        assertOnlyTheFlawBreaks(TIMEOUT_ABORT, BrokerConfig.Flaw.NO_EPOCH_BUMP_ON_TIMEOUT_ABORT, Invariant.NO_LOSS,
                false);
    }

    @Test
    void aMarkerResentOnALiveConnectionLandsOnTheNextTransaction() {
        assertOnlyTheFlawBreaks(MARKER_RESENT, BrokerConfig.Flaw.MARKER_RESENT_ON_LIVE_CONNECTION,
                Invariant.ATOMIC_COMMIT, true);
    }

    /** On one connection per direction the late copy cannot be passed: the same schedule finds nothing. */
    @Test
    void withOneConnectionPerDirectionTheLateMarkerCannotBePassed() {
        RunResult flawed = run(MARKER_RESENT, BrokerConfig.Flaw.MARKER_RESENT_ON_LIVE_CONNECTION, false);
        assertThat(flawed.violated(Invariant.ATOMIC_COMMIT)).isFalse();
    }
}
