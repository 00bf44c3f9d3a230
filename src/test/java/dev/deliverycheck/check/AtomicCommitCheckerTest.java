package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.RC;
import static dev.deliverycheck.check.Events.RU;
import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.T1;
import static dev.deliverycheck.check.Events.T2;
import static dev.deliverycheck.check.Events.abortFailed;
import static dev.deliverycheck.check.Events.aborted;
import static dev.deliverycheck.check.Events.commitFailed;
import static dev.deliverycheck.check.Events.committed;
import static dev.deliverycheck.check.Events.endTxn;
import static dev.deliverycheck.check.Events.fetch;
import static dev.deliverycheck.check.Events.fetchAt;
import static dev.deliverycheck.check.Events.send;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AtomicCommitCheckerTest {

    private final AtomicCommitChecker checker = new AtomicCommitChecker();

    private Verdict settled(Event... events) {
        return checker.check(History.of(List.of(events)));
    }

    private Verdict midRun(Event... events) {
        return checker.checkStep(History.of(List.of(events)));
    }

    /** Transaction 0 of producer 100: records 1 (t-0) and 2 (t-1), then {@code more}. */
    private static Event[] txn0(Event... more) {
        List<Event> events = new ArrayList<>(List.of(txSend(100, 0, 1, T0), txSend(100, 0, 2, T1)));
        events.addAll(List.of(more));
        return events.toArray(Event[]::new);
    }

    @Test
    void aCommittedTransactionFullyVisibleHolds() {
        Verdict verdict = settled(txn0(endTxn(100, 0, true), committed(100, 0), fetch(T0, RC, 1), fetch(T1, RC, 2)));

        assertThat(verdict.invariant()).isEqualTo(Invariant.ATOMIC_COMMIT);
        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.explanation()).isEqualTo("none of 1 transactions is torn or shows records it must not (read_committed)");
        assertThat(midRun(txn0(endTxn(100, 0, true), committed(100, 0), fetch(T0, RC, 1), fetch(T1, RC, 2))).explanation())
                .isEqualTo("so far none of 1 transactions is torn or shows records it must not (read_committed)");
    }

    @Test
    void aCommittedTransactionMissingARecordOnceSettledIsAViolation() {
        Verdict verdict = settled(txn0(endTxn(100, 0, true), committed(100, 0), fetch(T0, RC, 1), fetch(T1, RU, 2), fetch(T1, RC)));

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.offendingIds()).containsExactly(2L);
        assertThat(verdict.explanation())
                .isEqualTo("record 2 of committed transaction 0 of producer 100 is missing from the read_committed view of t-1");
    }

    @Test
    void midRunACommittedTransactionMayStillBeWaitingForMarkers() {
        assertThat(midRun(txn0(endTxn(100, 0, true), committed(100, 0), fetch(T0, RC, 1), fetch(T1, RC))).holds()).isTrue();
    }

    @Test
    void anAbortedTransactionMustStayInvisible() {
        Event[] events = txn0(endTxn(100, 0, false), aborted(100, 0), fetch(T0, RC), fetchAt(T1, RC, 4, 1, 2));

        for (Verdict verdict : List.of(settled(events), midRun(events))) {
            assertThat(verdict.holds()).isFalse();
            assertThat(verdict.offendingIds()).containsExactly(2L);
            assertThat(verdict.explanation())
                    .isEqualTo("record 2 of aborted transaction 0 of producer 100 is visible at offset 4 of t-1 (read_committed)");
        }
    }

    @Test
    void anAbortedTransactionInvisibleHolds() {
        Event[] events = txn0(endTxn(100, 0, false), aborted(100, 0), fetch(T0, RU, 1), fetch(T1, RU, 2), fetch(T0, RC), fetch(T1, RC));
        assertThat(settled(events).holds()).isTrue();
        assertThat(midRun(events).holds()).isTrue();
    }

    @Test
    void aTransactionNeverAskedToCommitMustStayInvisible() {
        // Producer 100 was fenced (or timed out) mid-transaction; the coordinator aborted it.
        Event[] events = txn0(fetch(T0, RC, 1), fetch(T1, RC));

        for (Verdict verdict : List.of(settled(events), midRun(events))) {
            assertThat(verdict.offendingIds()).containsExactly(1L);
            assertThat(verdict.explanation()).isEqualTo("record 1 of transaction 0 of producer 100, whose commit was never "
                    + "requested, is visible at offset 0 of t-0 (read_committed)");
        }
    }

    @Test
    void anAbortRequestWithoutAnswerMustStayInvisible() {
        assertThat(midRun(txn0(endTxn(100, 0, false), abortFailed(100, 0), fetch(T0, RC, 1))).offendingIds()).containsExactly(1L);
    }

    @Test
    void aRecordLeakingIntoAnotherPartitionIsStillVisible() {
        Verdict verdict = midRun(txn0(aborted(100, 0), fetch(T2, RC, 1)));

        assertThat(verdict.offendingIds()).containsExactly(1L);
        assertThat(verdict.explanation()).contains("at offset 0 of t-2");
    }

    @Test
    void aLateCommitLandingOnTheNextTransactionIsCaught() {
        // Bufstream/KIP-890: transaction 1 was aborted, yet a delayed commit of transaction 0 made its record visible.
        Verdict verdict = midRun(txSend(100, 0, 1, T0), endTxn(100, 0, true), committed(100, 0),
                txSend(100, 1, 2, T0), endTxn(100, 1, false), aborted(100, 1), fetch(T0, RC, 1, 2));

        assertThat(verdict.offendingIds()).containsExactly(2L);
        assertThat(verdict.explanation()).startsWith("record 2 of aborted transaction 1 of producer 100");
    }

    @Test
    void anIndeterminateCommitMayHaveHappened() {
        Event[] events = txn0(endTxn(100, 0, true), commitFailed(100, 0), fetch(T0, RC, 1), fetch(T1, RC, 2));
        assertThat(settled(events).holds()).isTrue();
        assertThat(midRun(events).holds()).isTrue();
    }

    @Test
    void anIndeterminateCommitMayNotHaveHappened() {
        // The commit request was sent; its answer never came (producer crashed or timed out).
        Event[] events = txn0(endTxn(100, 0, true), fetch(T0, RC), fetch(T1, RC));
        assertThat(settled(events).holds()).isTrue();
        assertThat(midRun(events).holds()).isTrue();
    }

    @Test
    void anIndeterminateCommitMustNotBeTornOnceSettled() {
        Event[] events = txn0(txSend(100, 0, 3, T1), endTxn(100, 0, true), commitFailed(100, 0),
                fetch(T0, RC, 1), fetch(T1, RC));

        Verdict verdict = settled(events);
        assertThat(verdict.offendingIds()).containsExactly(2L, 3L);
        assertThat(verdict.explanation()).isEqualTo("transaction 0 of producer 100, whose commit outcome is unknown, is torn: "
                + "record 1 is visible in t-0 but record 2 is missing from the read_committed view of t-1; 2 offending records in all");
        assertThat(midRun(events).holds()).isTrue();
    }

    @Test
    void tornNamesTheFirstVisibleRecord() {
        Verdict verdict = settled(txSend(100, 0, 1, T0), txSend(100, 0, 2, T1), txSend(100, 0, 3, T2), endTxn(100, 0, true),
                fetch(T0, RC), fetch(T1, RC, 2), fetch(T2, RC, 3));

        assertThat(verdict.offendingIds()).containsExactly(1L);
        assertThat(verdict.explanation()).contains("record 2 is visible in t-1 but record 1 is missing from the read_committed view of t-0");
    }

    @Test
    void aFailedCommitFollowedByAConfirmedAbortMustStayInvisible() {
        Verdict verdict = settled(txn0(endTxn(100, 0, true), commitFailed(100, 0), endTxn(100, 0, false), aborted(100, 0),
                fetch(T0, RC, 1), fetch(T1, RC, 2)));

        assertThat(verdict.offendingIds()).containsExactly(1L, 2L);
        assertThat(verdict.explanation()).startsWith("record 1 of aborted transaction 0");
    }

    @Test
    void contradictoryConfirmationsCannotBothBeHonoured() {
        Event[] confirmedBoth = {txSend(100, 0, 1, T0), committed(100, 0), aborted(100, 0)};
        List<Event> visible = new ArrayList<>(List.of(confirmedBoth));
        visible.add(fetch(T0, RC, 1));
        List<Event> invisible = new ArrayList<>(List.of(confirmedBoth));
        invisible.add(fetch(T0, RC));

        assertThat(settled(visible.toArray(Event[]::new)).explanation()).contains("of aborted transaction 0");
        assertThat(settled(invisible.toArray(Event[]::new)).explanation()).contains("of committed transaction 0");
    }

    @Test
    void transactionsOfDifferentProducerInstancesAreSeparate() {
        // The zombie 100 never committed its transaction 0; the new instance 101 committed its own transaction 0.
        Verdict verdict = settled(txSend(100, 0, 1, T0), txSend(101, 0, 2, T0), endTxn(101, 0, true), committed(101, 0),
                fetch(T0, RC, 2, 1));

        assertThat(verdict.offendingIds()).containsExactly(1L);
        assertThat(verdict.explanation()).contains("transaction 0 of producer 100, whose commit was never requested");
    }

    @Test
    void offendersFollowTransactionOrder() {
        Verdict verdict = settled(txSend(100, 1, 5, T0), txSend(100, 0, 6, T0), aborted(100, 0), aborted(100, 1),
                fetch(T0, RC, 6, 5));

        assertThat(verdict.offendingIds()).containsExactly(5L, 6L);
        assertThat(verdict.explanation()).startsWith("record 5 of aborted transaction 1");
    }

    @Test
    void recordsOutsideTransactionsAreNotJudged() {
        assertThat(settled(send(100, 1, T0), fetch(T0, RC, 1)).holds()).isTrue();
        assertThat(settled(send(100, 1, T0), fetch(T0, RC)).explanation())
                .isEqualTo("none of 0 transactions is torn or shows records it must not (read_committed)");
    }
}
