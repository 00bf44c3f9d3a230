package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.aborted;
import static dev.deliverycheck.check.Events.acked;
import static dev.deliverycheck.check.Events.commitFailed;
import static dev.deliverycheck.check.Events.committed;
import static dev.deliverycheck.check.Events.endTxn;
import static dev.deliverycheck.check.Events.failed;
import static dev.deliverycheck.check.Events.send;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.check.ProgressChecker.ProgressVerdict;
import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.Event;
import dev.deliverycheck.event.ProducerBeginTxn;
import dev.deliverycheck.event.ProducerFenced;
import dev.deliverycheck.event.ProducerRestart;
import dev.deliverycheck.event.ProducerSendFailed;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressCheckerTest {

    private static ProgressVerdict check(Event... events) {
        return new ProgressChecker().check(History.of(List.of(events)), true);
    }

    private static ProducerBeginTxn begin(int producer, int txn) {
        return new ProducerBeginTxn(producer, txn);
    }

    @Test
    void everySendCompletedHolds() {
        ProgressVerdict v = check(send(1, 0, T0), send(1, 1, T0), acked(1, 0, T0, 0), failed(1, 1, T0));

        assertThat(v.holds()).isTrue();
        assertThat(v.label()).isEqualTo("holds");
        assertThat(v.explanation()).isEqualTo("settled; every send() completed, every transaction ended, "
                + "0 of 0 untouched transactions committed");
    }

    @Test
    void anUnsettledRunIsAViolation() {
        ProgressVerdict v = new ProgressChecker().check(History.of(List.of(send(1, 0, T0), acked(1, 0, T0, 0))), false);

        assertThat(v.holds()).isFalse();
        assertThat(v.explanation()).startsWith("the run did not settle");
    }

    @Test
    void aSendThatNeverCompletesIsAViolation() {
        ProgressVerdict v = check(send(1, 0, T0), send(1, 1, T0), acked(1, 0, T0, 0));

        assertThat(v.holds()).isFalse();
        assertThat(v.offendingIds()).containsExactly(1L);
        assertThat(v.explanation()).isEqualTo("1 send() call(s) never completed after the run settled, first record 1 "
                + "sent by producer 1 to t-0");
    }

    @Test
    void aFailureWithoutANamedErrorIsAViolation() {
        ProgressVerdict v = check(send(1, 0, T0), new ProducerSendFailed(1, 0, T0, " "));

        assertThat(v.holds()).isFalse();
        assertThat(v.offendingIds()).containsExactly(0L);
        assertThat(v.explanation()).isEqualTo("send() of record 0 failed without a named error");
    }

    @Test
    void aTransactionThatNeverEndsIsAViolation() {
        ProgressVerdict v = check(begin(1, 0), txSend(1, 0, 5, T0), acked(1, 5, T0, 0));

        assertThat(v.holds()).isFalse();
        assertThat(v.offendingIds()).containsExactly(5L);
        assertThat(v.explanation()).isEqualTo("transaction 0 of producer 1 began and never ended after the run settled");
    }

    @Test
    void aZombieOrAFencedInstanceNeedNotEndItsTransaction() {
        assertThat(check(begin(1, 0), new ProducerRestart(1, 2, "tx")).holds()).isTrue();
        assertThat(check(begin(1, 0), new ProducerFenced(1, "tx", 0, (short) 0)).holds()).isTrue();
    }

    @Test
    void untouchedTransactionsThatDoNotCommitAreAViolation() {
        ProgressVerdict v = check(begin(1, 0), txSend(1, 0, 1, T0), acked(1, 1, T0, 0), endTxn(1, 0, true),
                aborted(1, 0), begin(1, 1), endTxn(1, 1, true), commitFailed(1, 1), begin(1, 2), endTxn(1, 2, true),
                committed(1, 2));

        assertThat(v.holds()).isFalse();
        assertThat(v.offendingIds()).containsExactly(1L);
        assertThat(v.explanation()).isEqualTo("only 1 of 3 transactions that no fault touched committed (at least 50 % "
                + "must); transaction 0 of producer 1 asked to commit, no fault touched it, and it ended aborted");
    }

    @Test
    void halfOfTheUntouchedTransactionsCommittingHolds() {
        ProgressVerdict v = check(begin(1, 0), endTxn(1, 0, true), aborted(1, 0), begin(1, 1), endTxn(1, 1, true),
                committed(1, 1));

        assertThat(v.holds()).isTrue();
        assertThat(v.explanation()).endsWith("1 of 2 untouched transactions committed");
    }

    @Test
    void aFaultExcusesATransactionThatDidNotCommit() {
        ProgressVerdict v = check(begin(1, 0), new BrokerCrash(0), endTxn(1, 0, true), commitFailed(1, 0));

        assertThat(v.holds()).isTrue();
        assertThat(v.explanation()).endsWith("0 of 0 untouched transactions committed");
    }

    @Test
    void anAbortAskedForIsNotCounted() {
        assertThat(check(begin(1, 0), endTxn(1, 0, false), aborted(1, 0)).holds()).isTrue();
    }
}
