package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.abortFailed;
import static dev.deliverycheck.check.Events.aborted;
import static dev.deliverycheck.check.Events.commitFailed;
import static dev.deliverycheck.check.Events.committed;
import static dev.deliverycheck.check.Events.endTxn;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransactionTest {

    private final Transaction txn = new Transaction(100, 2);

    private void assertFlags(boolean requested, boolean confirmed, boolean abortConfirmed, boolean indeterminate) {
        assertThat(txn.commitRequested()).as("commitRequested").isEqualTo(requested);
        assertThat(txn.commitConfirmed()).as("commitConfirmed").isEqualTo(confirmed);
        assertThat(txn.abortConfirmed()).as("abortConfirmed").isEqualTo(abortConfirmed);
        assertThat(txn.commitIndeterminate()).as("commitIndeterminate").isEqualTo(indeterminate);
    }

    @Test
    void anOpenTransactionAsksNothing() {
        txn.add(txSend(100, 2, 1, T0));

        assertThat(txn.producer()).isEqualTo(100);
        assertThat(txn.index()).isEqualTo(2);
        assertThat(txn.records()).extracting(s -> s.recordId()).containsExactly(1L);
        assertThat(txn.describe()).isEqualTo("transaction 2 of producer 100");
        assertFlags(false, false, false, false);
        assertThatThrownBy(() -> txn.records().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aCommitRequestWithoutAnswerIsIndeterminate() {
        txn.add(endTxn(100, 2, true));
        assertFlags(true, false, false, true);
    }

    @Test
    void anAbortRequestIsNotACommitRequest() {
        txn.add(endTxn(100, 2, false));
        assertFlags(false, false, false, false);
    }

    @Test
    void aConfirmedCommit() {
        txn.add(endTxn(100, 2, true));
        txn.add(committed(100, 2));
        assertFlags(true, true, false, false);
    }

    @Test
    void aCommitAnswerAloneProvesTheRequest() {
        txn.add(committed(100, 2));
        assertFlags(true, true, false, false);
    }

    @Test
    void aFailedCommitIsIndeterminate() {
        txn.add(commitFailed(100, 2));
        assertFlags(true, false, false, true);
    }

    @Test
    void aConfirmedAbortAfterAFailedCommitDecides() {
        txn.add(endTxn(100, 2, true));
        txn.add(commitFailed(100, 2));
        txn.add(aborted(100, 2));
        assertFlags(true, false, true, false);
    }

    @Test
    void aFailedAbortConfirmsNothing() {
        txn.add(endTxn(100, 2, false));
        txn.add(abortFailed(100, 2));
        assertFlags(false, false, false, false);
    }

    @Test
    void confirmationsAreNeverTakenBack() {
        txn.add(committed(100, 2));
        txn.add(commitFailed(100, 2));
        txn.add(endTxn(100, 2, false));
        txn.add(aborted(100, 2));
        txn.add(abortFailed(100, 2));
        assertFlags(true, true, true, false);
    }
}
