package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.RC;
import static dev.deliverycheck.check.Events.RU;
import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.T1;
import static dev.deliverycheck.check.Events.aborted;
import static dev.deliverycheck.check.Events.acked;
import static dev.deliverycheck.check.Events.failed;
import static dev.deliverycheck.check.Events.fetch;
import static dev.deliverycheck.check.Events.send;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.BrokerCrash;
import dev.deliverycheck.event.BrokerRestart;
import dev.deliverycheck.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class AckedDurableCheckerTest {

    private static Verdict check(Event... events) {
        return new AckedDurableChecker().check(History.of(List.of(events)));
    }

    @Test
    void acknowledgedRecordsThatSurvivedACrashHold() {
        Verdict verdict = check(send(100, 1, T0), acked(100, 1, T0, 0), send(100, 2, T0), acked(100, 2, T0, 1),
                new BrokerCrash(0), new BrokerRestart(0), fetch(T0, RU, 1, 2));

        assertThat(verdict.invariant()).isEqualTo(Invariant.ACKED_DURABLE);
        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.explanation()).isEqualTo("all 2 acknowledged records are in their partitions");
    }

    @Test
    void anAcknowledgedRecordLostInACrashIsAViolation() {
        Verdict verdict = check(send(100, 1, T0), acked(100, 1, T0, 0), send(100, 2, T0), acked(100, 2, T0, 1),
                new BrokerCrash(0), new BrokerRestart(0), fetch(T0, RU, 1));

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.offendingIds()).containsExactly(2L);
        assertThat(verdict.explanation())
                .isEqualTo("record 2 acknowledged at offset 1 of t-0 is missing from the read_uncommitted view of t-0");
    }

    @Test
    void offsetZeroIsAPromise() {
        Verdict verdict = check(acked(100, 1, T0, 0), fetch(T0, RU));

        assertThat(verdict.offendingIds()).containsExactly(1L);
        assertThat(verdict.explanation()).contains("acknowledged at offset 0");
    }

    @Test
    void acksZeroPromisesNothing() {
        Verdict verdict = check(send(100, 1, T0), acked(100, 1, T0, -1), fetch(T0, RU));

        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.explanation()).isEqualTo("all 0 acknowledged records are in their partitions");
    }

    @Test
    void failedSendsAreIndeterminateAndNotJudged() {
        assertThat(check(send(100, 1, T0), failed(100, 1, T0), fetch(T0, RU)).holds()).isTrue();
    }

    @Test
    void everyLostAckIsListedInAckOrder() {
        Verdict verdict = check(acked(100, 3, T1, 4), acked(100, 1, T0, 2), acked(100, 2, T0, 3), fetch(T0, RU, 2), fetch(T1, RU));

        assertThat(verdict.offendingIds()).containsExactly(3L, 1L);
        assertThat(verdict.explanation()).isEqualTo("record 3 acknowledged at offset 4 of t-1 is missing from "
                + "the read_uncommitted view of t-1; 2 offending records in all");
    }

    @Test
    void anUnfetchedPartitionIsSaidToBeUnfetched() {
        assertThat(check(acked(100, 1, T1, 0)).explanation()).endsWith("t-1 (never fetched)");
    }

    @Test
    void durabilityIsJudgedReadUncommittedEvenInTransactionalRuns() {
        // An acknowledged record of an aborted transaction stays in the log; read_committed hides it.
        assertThat(check(txSend(100, 0, 1, T0), acked(100, 1, T0, 0), aborted(100, 0), fetch(T0, RU, 1), fetch(T0, RC))
                .holds()).isTrue();
        assertThat(check(txSend(100, 0, 1, T0), acked(100, 1, T0, 0), fetch(T0, RU), fetch(T0, RC, 1))
                .holds()).isFalse();
    }

    @Test
    void theAcknowledgedPartitionIsTheOneJudged() {
        assertThat(check(acked(100, 1, T0, 0), fetch(T0, RU), fetch(T1, RU, 1)).offendingIds()).containsExactly(1L);
    }
}
