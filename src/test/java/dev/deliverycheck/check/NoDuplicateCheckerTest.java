package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.RC;
import static dev.deliverycheck.check.Events.RU;
import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.T1;
import static dev.deliverycheck.check.Events.acked;
import static dev.deliverycheck.check.Events.failed;
import static dev.deliverycheck.check.Events.fetch;
import static dev.deliverycheck.check.Events.fetchAt;
import static dev.deliverycheck.check.Events.send;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoDuplicateCheckerTest {

    private static Verdict check(Event... events) {
        return new NoDuplicateChecker().check(History.of(List.of(events)));
    }

    @Test
    void distinctRecordsHold() {
        Verdict verdict = check(send(100, 1, T0), send(100, 2, T0), send(100, 3, T1),
                fetch(T0, RU, 1, 2), fetch(T1, RU, 3));

        assertThat(verdict.invariant()).isEqualTo(Invariant.NO_DUPLICATE);
        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.explanation())
                .isEqualTo("no record id appears twice among the 3 records of 2 partitions read read_uncommitted");
    }

    @Test
    void anEmptyHistoryHolds() {
        assertThat(check().explanation())
                .isEqualTo("no record id appears twice among the 0 records of 0 partitions read read_uncommitted");
    }

    @Test
    void aRetriedRecordStoredTwiceIsADuplicate() {
        Verdict verdict = check(send(100, 16, T0), send(100, 17, T0), fetchAt(T0, RU, 3, 6, 17, 16, 17));

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.offendingIds()).containsExactly(17L);
        assertThat(verdict.explanation()).isEqualTo("record 17 appears at offsets 3 and 15 of t-0 (read_uncommitted)");
    }

    @Test
    void aDuplicateRightAfterItsOriginalIsFound() {
        Verdict verdict = check(fetch(T0, RU, 4, 4));

        assertThat(verdict.offendingIds()).containsExactly(4L);
        assertThat(verdict.explanation()).isEqualTo("record 4 appears at offsets 0 and 1 of t-0 (read_uncommitted)");
    }

    @Test
    void aRecordStoredThreeTimesOffendsOnceNamingItsFirstTwoOffsets() {
        Verdict verdict = check(fetch(T0, RU, 8, 9, 8, 8));

        assertThat(verdict.offendingIds()).containsExactly(8L);
        assertThat(verdict.explanation()).isEqualTo("record 8 appears at offsets 0 and 2 of t-0 (read_uncommitted)");
    }

    @Test
    void everyDuplicateIsListedAndTheFirstPartitionsFirstOneExplained() {
        Verdict verdict = check(fetch(T1, RU, 5, 5), fetch(T0, RU, 1, 2, 2, 1));

        assertThat(verdict.offendingIds()).containsExactly(2L, 1L, 5L);
        assertThat(verdict.explanation())
                .isEqualTo("record 2 appears at offsets 1 and 2 of t-0 (read_uncommitted); 3 offending records in all");
    }

    @Test
    void theSameIdInTwoPartitionsIsNotADuplicateWithinAPartition() {
        assertThat(check(fetch(T0, RU, 1), fetch(T1, RU, 1)).holds()).isTrue();
    }

    @Test
    void onlyTheLastFetchCounts() {
        assertThat(check(fetch(T0, RU, 1, 1), fetch(T0, RU, 1)).holds()).isTrue();
        assertThat(check(fetch(T0, RU, 1), fetch(T0, RU, 1, 1)).holds()).isFalse();
    }

    @Test
    void failedAndAcknowledgedSendsAreNotGuessedAbout() {
        // Record 1 failed (may or may not be stored), record 2's ACK was lost and retried: neither is a duplicate unless read twice.
        assertThat(check(send(100, 1, T0), failed(100, 1, T0), send(100, 2, T0), acked(100, 2, T0, 0),
                fetch(T0, RU, 2, 1)).holds()).isTrue();
    }

    @Test
    void transactionalRunsAreJudgedReadCommitted() {
        // The aborted first attempt stays in the log; a read_committed reader never sees it.
        Verdict verdict = check(txSend(100, 0, 1, T0), fetch(T0, RU, 1, 1), fetch(T0, RC, 1));

        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.explanation()).endsWith("read read_committed");
    }

    @Test
    void aDuplicateVisibleReadCommittedIsAViolation() {
        Verdict verdict = check(txSend(100, 0, 1, T0), fetch(T0, RU, 1), fetchAt(T0, RC, 0, 1, 1, 1));

        assertThat(verdict.offendingIds()).containsExactly(1L);
        assertThat(verdict.explanation()).isEqualTo("record 1 appears at offsets 0 and 1 of t-0 (read_committed)");
    }

    @Test
    void nonTransactionalRunsIgnoreTheReadCommittedView() {
        assertThat(check(send(100, 1, T0), fetch(T0, RC, 1, 1), fetch(T0, RU, 1)).holds()).isTrue();
    }
}
