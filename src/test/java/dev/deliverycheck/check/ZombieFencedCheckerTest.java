package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.T1;
import static dev.deliverycheck.check.Events.append;
import static dev.deliverycheck.check.Events.init;
import static dev.deliverycheck.check.Events.marker;
import static dev.deliverycheck.check.Events.plainAppend;
import static dev.deliverycheck.check.Events.prepare;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.Event;
import dev.deliverycheck.protocol.ControlType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZombieFencedCheckerTest {

    private static Verdict check(Event... events) {
        return new ZombieFencedChecker().check(History.of(List.of(events)));
    }

    @Test
    void aFencedZombieThatStaysQuietHolds() {
        Verdict verdict = check(init("tx", 7, 0), append(T0, 7, 0, 0, 1L), init("tx", 7, 1),
                prepare(7, 1, false), marker(T0, 7, 1, ControlType.ABORT, 1), append(T0, 7, 1, 2, 2L));

        assertThat(verdict.invariant()).isEqualTo(Invariant.ZOMBIE_FENCED);
        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.explanation())
                .isEqualTo("no append or commit of an older epoch after any of 2 transactional CoordinatorInitProducerId events");
    }

    @Test
    void anAppendOfTheOldEpochAfterTheBumpIsAViolation() {
        Verdict verdict = check(init("tx", 7, 0), init("tx", 7, 1), append(T0, 7, 0, 5, 1L, 2L));

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.offendingIds()).containsExactly(1L, 2L);
        assertThat(verdict.explanation()).isEqualTo("BrokerAppend of records [1, 2] to t-0 by producer id 7 with epoch 0 "
                + "after CoordinatorInitProducerId gave tx epoch 1; 2 offending records in all");
    }

    @Test
    void anAppendBeforeTheBumpIsNoOffence() {
        assertThat(check(init("tx", 7, 0), append(T0, 7, 0, 0, 1L), init("tx", 7, 1)).holds()).isTrue();
    }

    @Test
    void theCurrentEpochMayAppend() {
        assertThat(check(init("tx", 7, 3), append(T0, 7, 3, 0, 1L)).holds()).isTrue();
        assertThat(check(init("tx", 7, 3), append(T0, 7, 2, 0, 1L)).holds()).isFalse();
    }

    @Test
    void anIdempotentProducersInitFencesNothing() {
        assertThat(check(init(null, 7, 1), append(T0, 7, 0, 0, 1L)).holds()).isTrue();
    }

    @Test
    void otherProducerIdsAreNotFenced() {
        assertThat(check(init("tx", 7, 1), append(T0, 8, 0, 0, 1L)).holds()).isTrue();
    }

    @Test
    void anOlderInitDoesNotLowerTheFence() {
        Verdict verdict = check(init("tx", 7, 2), init("tx", 7, 1), append(T0, 7, 1, 0, 1L));

        assertThat(verdict.offendingIds()).containsExactly(1L);
        assertThat(verdict.explanation()).endsWith("after CoordinatorInitProducerId gave tx epoch 2");
    }

    @Test
    void aLateCommitDecisionOfTheOldEpochIsAViolation() {
        Verdict verdict = check(init("tx", 7, 0), append(T0, 7, 0, 0, 1L), append(T1, 7, 0, 0, 2L),
                init("tx", 7, 1), prepare(7, 0, true));

        assertThat(verdict.offendingIds()).containsExactly(1L, 2L);
        assertThat(verdict.explanation()).isEqualTo("CoordinatorPrepare(commit) of producer id 7 with epoch 0 "
                + "after CoordinatorInitProducerId gave tx epoch 1; 2 offending records in all");
    }

    @Test
    void aLateCommitWithNothingAppendedStillOffends() {
        Verdict verdict = check(init("tx", 7, 1), prepare(7, 0, true));

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.offendingIds()).isEmpty();
    }

    @Test
    void abortsOfTheOldEpochAreHowFencingWorks() {
        assertThat(check(init("tx", 7, 0), append(T0, 7, 0, 0, 1L), init("tx", 7, 1),
                prepare(7, 0, false), marker(T0, 7, 0, ControlType.ABORT, 1)).holds()).isTrue();
    }

    @Test
    void theNewEpochMayCommit() {
        assertThat(check(init("tx", 7, 1), append(T0, 7, 1, 0, 1L), prepare(7, 1, true),
                marker(T0, 7, 1, ControlType.COMMIT, 1)).holds()).isTrue();
    }

    @Test
    void aLateCommitMarkerOfTheOldEpochIsAViolation() {
        Verdict verdict = check(init("tx", 7, 0), append(T0, 7, 0, 0, 1L), append(T1, 7, 0, 0, 2L),
                init("tx", 7, 1), marker(T1, 7, 0, ControlType.COMMIT, 1));

        assertThat(verdict.offendingIds()).containsExactly(2L);
        assertThat(verdict.explanation()).isEqualTo("CoordinatorWriteMarker(COMMIT) on t-1 at offset 1 for producer id 7 "
                + "with epoch 0 after CoordinatorInitProducerId gave tx epoch 1");
    }

    @Test
    void aMarkerClosesItsPartitionsPendingRecords() {
        // Record 1 was committed before the bump; the zombie's late COMMIT marker on t-0 commits only record 3.
        Verdict verdict = check(init("tx", 7, 0), append(T0, 7, 0, 0, 1L), marker(T0, 7, 0, ControlType.COMMIT, 1),
                append(T0, 7, 0, 2, 3L), init("tx", 7, 1), marker(T0, 7, 0, ControlType.COMMIT, 3));

        assertThat(verdict.offendingIds()).containsExactly(3L);
    }

    @Test
    void anAbortMarkerAlsoClosesPendingRecords() {
        Verdict verdict = check(init("tx", 7, 0), append(T0, 7, 0, 0, 1L), marker(T0, 7, 0, ControlType.ABORT, 1),
                append(T1, 7, 0, 0, 2L), init("tx", 7, 1), prepare(7, 0, true));

        assertThat(verdict.offendingIds()).containsExactly(2L);
    }

    @Test
    void aStaleMarkerThatCommitsNothingIsNoZombieWrite() {
        // A resent COMMIT marker of an already decided transaction, delivered after the new epoch.
        Verdict verdict = check(init("tx", 7, 1), marker(T0, 7, 0, ControlType.COMMIT, 0));

        assertThat(verdict.holds()).isTrue();
    }

    @Test
    void aStaleMarkerThatCommitsPendingOldEpochRecordsOffends() {
        Verdict verdict = check(init("tx", 7, 0), append(T0, 7, 0, 0, 4L), init("tx", 7, 1),
                marker(T0, 7, 0, ControlType.COMMIT, 1));

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.offendingIds()).containsExactly(4L);
        assertThat(verdict.explanation()).contains("CoordinatorWriteMarker(COMMIT)");
    }

    @Test
    void aMarkerForAnotherProducerLeavesPendingRecordsAlone() {
        Verdict verdict = check(init("tx", 7, 0), append(T0, 7, 0, 0, 1L), marker(T0, 8, 0, ControlType.COMMIT, 1),
                init("tx", 7, 1), prepare(7, 0, true));

        assertThat(verdict.offendingIds()).containsExactly(1L);
    }

    @Test
    void aLateCommitCommitsOnlyTransactionalAppends() {
        Verdict verdict = check(init("tx", 7, 0), plainAppend(T0, 7, 0, 0, 1L), append(T0, 7, 0, 1, 2L),
                init("tx", 7, 1), marker(T0, 7, 0, ControlType.COMMIT, 2));

        assertThat(verdict.offendingIds()).containsExactly(2L);
    }

    @Test
    void aNonTransactionalAppendOfAnOldEpochIsStillAZombieWrite() {
        assertThat(check(init("tx", 7, 1), plainAppend(T0, 7, 0, 0, 1L)).offendingIds()).containsExactly(1L);
    }

    // --- instance-based: whatever the epochs say ---------------------------------------------

    private static dev.deliverycheck.event.ProducerInitProducerId initialised(int producer, long pid, int epoch) {
        return new dev.deliverycheck.event.ProducerInitProducerId(producer, "tx", pid, (short) epoch);
    }

    @Test
    void aZombieAppendWithTheSameEpochIsCaughtByInstance() {
        // A coordinator that forgot to bump the epoch: both instances hold epoch 0.
        Verdict verdict = check(init("tx", 7, 0), initialised(1, 7, 0), txSend(1, 0, 3L, T0), init("tx", 7, 0),
                initialised(2, 7, 0), append(T0, 7, 0, 0, 3L));

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.offendingIds()).containsExactly(3L);
        assertThat(verdict.explanation()).isEqualTo("BrokerAppend of records [3] to t-0 sent by producer instance 1 "
                + "after instance 2 of tx initialised");
    }

    @Test
    void aCommitOfZombieRecordsWithTheSameEpochIsCaughtByInstance() {
        Verdict verdict = check(init("tx", 7, 0), initialised(1, 7, 0), txSend(1, 0, 3L, T0), append(T0, 7, 0, 0, 3L),
                init("tx", 7, 0), initialised(2, 7, 0), prepare(7, 0, true));

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.offendingIds()).containsExactly(3L);
        assertThat(verdict.explanation()).isEqualTo("CoordinatorPrepare(commit) of producer id 7 commits records [3] of "
                + "producer instance 1 after instance 2 of tx initialised");
    }

    @Test
    void theNewestInstanceMayAppendAndCommit() {
        Verdict verdict = check(init("tx", 7, 0), initialised(1, 7, 0), init("tx", 7, 1), initialised(2, 7, 1),
                txSend(2, 0, 3L, T0), append(T0, 7, 1, 0, 3L), prepare(7, 1, true));

        assertThat(verdict.holds()).isTrue();
    }

    @Test
    void aLateAnswerToAnOlderGrantMakesNoInstanceNewer() {
        // Instance 1's answer (grant epoch 1) arrives after instance 2 initialised with the later grant (epoch 2).
        Verdict verdict = check(init("tx", 7, 1), init("tx", 7, 2), initialised(2, 7, 2), initialised(1, 7, 1),
                txSend(2, 0, 3L, T0), append(T0, 7, 2, 0, 3L));

        assertThat(verdict.holds()).isTrue();
    }

    @Test
    void anInstanceThatInitialisesLastIsTheNewest() {
        // Instance 1 initialises again after instance 2: now 2 is the zombie, 1 may write.
        Verdict verdict = check(init("tx", 7, 0), initialised(2, 7, 0), init("tx", 7, 1), initialised(1, 7, 1),
                txSend(1, 0, 3L, T0), append(T0, 7, 1, 0, 3L), txSend(2, 0, 4L, T0), append(T0, 7, 1, 1, 4L));

        assertThat(verdict.offendingIds()).containsExactly(4L);
    }

    @Test
    void aRecordOfAnUnknownSenderIsJudgedByEpochOnly() {
        assertThat(check(init("tx", 7, 0), initialised(1, 7, 0), append(T0, 7, 0, 0, 3L)).holds()).isTrue();
    }
}
