package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.RC;
import static dev.deliverycheck.check.Events.RU;
import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.T1;
import static dev.deliverycheck.check.Events.aborted;
import static dev.deliverycheck.check.Events.commitFailed;
import static dev.deliverycheck.check.Events.committed;
import static dev.deliverycheck.check.Events.endTxn;
import static dev.deliverycheck.check.Events.failed;
import static dev.deliverycheck.check.Events.fetch;
import static dev.deliverycheck.check.Events.send;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoLossCheckerTest {

    private static Verdict check(Event... events) {
        return new NoLossChecker().check(History.of(List.of(events)));
    }

    @Test
    void everySentRecordReadHolds() {
        Verdict verdict = check(send(100, 1, T0), send(100, 2, T1), send(100, 3, T0),
                fetch(T0, RU, 3, 1, 1), fetch(T1, RU, 2));

        assertThat(verdict.invariant()).isEqualTo(Invariant.NO_LOSS);
        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.explanation()).isEqualTo("all 3 records owed to readers are in their partitions");
    }

    @Test
    void aRecordMissingFromItsPartitionIsLost() {
        Verdict verdict = check(send(100, 1, T0), send(100, 2, T0), fetch(T0, RU, 1));

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.offendingIds()).containsExactly(2L);
        assertThat(verdict.explanation()).isEqualTo("record 2 sent by producer 100 is missing from the read_uncommitted view of t-0");
    }

    @Test
    void aRecordInAnotherPartitionIsStillLostFromItsOwn() {
        assertThat(check(send(100, 1, T0), fetch(T0, RU), fetch(T1, RU, 1)).offendingIds()).containsExactly(1L);
    }

    @Test
    void aFailedSendThatNeverArrivedCountsAsLost() {
        Verdict verdict = check(send(100, 1, T0), failed(100, 1, T0), send(100, 2, T0), fetch(T0, RU, 2));

        assertThat(verdict.offendingIds()).containsExactly(1L);
    }

    @Test
    void aFailedSendThatArrivedAfterAllIsNotLost() {
        assertThat(check(send(100, 1, T0), failed(100, 1, T0), fetch(T0, RU, 1)).holds()).isTrue();
    }

    @Test
    void aPartitionNeverFetchedHasLostEverything() {
        Verdict verdict = check(send(100, 1, T1), send(100, 2, T1), send(100, 3, T0), fetch(T0, RU, 3));

        assertThat(verdict.offendingIds()).containsExactly(1L, 2L);
        assertThat(verdict.explanation()).isEqualTo(
                "record 1 sent by producer 100 is missing from the read_uncommitted view of t-1 (never fetched); 2 offending records in all");
    }

    @Test
    void nonTransactionalRecordsAreJudgedReadUncommitted() {
        assertThat(check(send(100, 1, T0), fetch(T0, RU, 1), fetch(T0, RC)).holds()).isTrue();
        assertThat(check(send(100, 1, T0), fetch(T0, RU), fetch(T0, RC, 1)).holds()).isFalse();
    }

    @Test
    void committedTransactionsAreOwedReadCommitted() {
        Verdict verdict = check(txSend(100, 0, 1, T0), txSend(100, 0, 2, T1), endTxn(100, 0, true), committed(100, 0),
                fetch(T0, RC, 1), fetch(T1, RC, 2));

        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.explanation()).isEqualTo("all 2 records owed to readers are in their partitions");
    }

    @Test
    void aCommittedRecordOnlyReadUncommittedIsLost() {
        Verdict verdict = check(txSend(100, 0, 1, T0), txSend(100, 0, 2, T1), endTxn(100, 0, true), committed(100, 0),
                fetch(T0, RC, 1), fetch(T1, RU, 2), fetch(T1, RC));

        assertThat(verdict.offendingIds()).containsExactly(2L);
        assertThat(verdict.explanation())
                .isEqualTo("record 2 of committed transaction 0 of producer 100 is missing from the read_committed view of t-1");
    }

    @Test
    void abortedAndUndecidedTransactionsOweNothing() {
        Verdict verdict = check(
                txSend(100, 0, 1, T0), endTxn(100, 0, false), aborted(100, 0),
                txSend(100, 1, 2, T0), endTxn(100, 1, true), commitFailed(100, 1),
                txSend(100, 2, 3, T0),
                txSend(100, 3, 4, T0), endTxn(100, 3, true),
                fetch(T0, RC));

        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.explanation()).isEqualTo("all 0 records owed to readers are in their partitions");
    }

    @Test
    void offendersFollowSendOrderAcrossModes() {
        Verdict verdict = check(txSend(100, 0, 5, T0), send(101, 6, T0), txSend(100, 0, 7, T0), committed(100, 0),
                fetch(T0, RU), fetch(T0, RC));

        assertThat(verdict.offendingIds()).containsExactly(5L, 6L, 7L);
        assertThat(verdict.explanation()).startsWith("record 5 of committed transaction 0 of producer 100 is missing");
    }
}
