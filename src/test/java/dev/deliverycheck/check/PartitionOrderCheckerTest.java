package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.RC;
import static dev.deliverycheck.check.Events.RU;
import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.T1;
import static dev.deliverycheck.check.Events.fetch;
import static dev.deliverycheck.check.Events.fetchAt;
import static dev.deliverycheck.check.Events.send;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionOrderCheckerTest {

    private static Verdict check(Event... events) {
        return new PartitionOrderChecker().check(History.of(List.of(events)));
    }

    @Test
    void recordsInSendOrderHold() {
        Verdict verdict = check(send(100, 1, T0), send(100, 2, T1), send(100, 3, T0), fetch(T0, RU, 1, 3), fetch(T1, RU, 2));

        assertThat(verdict.invariant()).isEqualTo(Invariant.PARTITION_ORDER);
        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.explanation())
                .isEqualTo("every producer's records appear in send order in each of 2 partitions read read_uncommitted");
    }

    @Test
    void aRetriedBatchOvertakenByALaterOneIsDisorder() {
        Verdict verdict = check(send(100, 1, T0), send(100, 2, T0), send(100, 3, T0), fetchAt(T0, RU, 10, 1, 2, 3, 1));

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.offendingIds()).containsExactly(1L);
        assertThat(verdict.explanation())
                .isEqualTo("record 1 of producer 100 appears at offset 12 of t-0 after record 3 (sent later) at offset 11 (read_uncommitted)");
    }

    @Test
    void adjacentSwapIsDisorder() {
        assertThat(check(send(100, 1, T0), send(100, 2, T0), fetch(T0, RU, 2, 1)).offendingIds()).containsExactly(1L);
    }

    @Test
    void everyRecordBehindALaterOneOffends() {
        Verdict verdict = check(send(100, 1, T0), send(100, 2, T0), send(100, 3, T0), fetch(T0, RU, 3, 1, 2));

        assertThat(verdict.offendingIds()).containsExactly(1L, 2L);
        assertThat(verdict.explanation()).isEqualTo("record 1 of producer 100 appears at offset 1 of t-0 after record 3 "
                + "(sent later) at offset 0 (read_uncommitted); 2 offending records in all");
    }

    @Test
    void theLatestSentRecordSoFarIsTheYardstick() {
        // 2 then 1 offends; 3 after 2 is in order again, 1 is not the yardstick.
        Verdict verdict = check(send(100, 1, T0), send(100, 2, T0), send(100, 3, T0), fetch(T0, RU, 2, 1, 3));

        assertThat(verdict.offendingIds()).containsExactly(1L);
    }

    @Test
    void producersAreJudgedSeparately() {
        // Producers interleave freely; each one's own records are in order.
        assertThat(check(send(100, 1, T0), send(100, 2, T0), send(101, 3, T0), send(101, 4, T0),
                fetch(T0, RU, 3, 1, 4, 2)).holds()).isTrue();
        assertThat(check(send(100, 1, T0), send(101, 2, T0), send(100, 3, T0), fetch(T0, RU, 3, 2, 1))
                .offendingIds()).containsExactly(1L);
    }

    @Test
    void partitionsAreJudgedSeparately() {
        // Record 2 (t-1) was sent after 1 (t-0) and before 3 (t-0): order across partitions is not promised.
        assertThat(check(send(100, 1, T0), send(100, 2, T1), send(100, 3, T0), fetch(T1, RU, 2), fetch(T0, RU, 1, 3))
                .holds()).isTrue();
    }

    @Test
    void onlyFirstCopiesCount() {
        assertThat(check(send(100, 1, T0), send(100, 2, T0), fetch(T0, RU, 1, 2, 1)).holds()).isTrue();
    }

    @Test
    void missingRecordsAreLossNotDisorder() {
        assertThat(check(send(100, 1, T0), send(100, 2, T0), send(100, 3, T0), fetch(T0, RU, 1, 3)).holds()).isTrue();
    }

    @Test
    void recordsNobodySentAreIgnored() {
        assertThat(check(send(100, 1, T0), send(100, 2, T0), fetch(T0, RU, 1, 99, 2)).holds()).isTrue();
        assertThat(check(send(100, 1, T0), fetch(T0, RU, 99, 1)).holds()).isTrue();
    }

    @Test
    void transactionalRunsAreJudgedReadCommitted() {
        assertThat(check(txSend(100, 0, 1, T0), txSend(100, 0, 2, T0), fetch(T0, RU, 2, 1), fetch(T0, RC, 1, 2))
                .holds()).isTrue();
        Verdict verdict = check(txSend(100, 0, 1, T0), txSend(100, 0, 2, T0), fetch(T0, RU, 1, 2), fetch(T0, RC, 2, 1));
        assertThat(verdict.offendingIds()).containsExactly(1L);
        assertThat(verdict.explanation()).endsWith("(read_committed)");
    }
}
