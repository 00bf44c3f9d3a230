package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.RC;
import static dev.deliverycheck.check.Events.RU;
import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.T1;
import static dev.deliverycheck.check.Events.aborted;
import static dev.deliverycheck.check.Events.acked;
import static dev.deliverycheck.check.Events.committed;
import static dev.deliverycheck.check.Events.failed;
import static dev.deliverycheck.check.Events.fetch;
import static dev.deliverycheck.check.Events.send;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunCountsTest {

    @Test
    void anEmptyRunCountsNothing() {
        assertThat(RunCounts.of(new History())).isEqualTo(new RunCounts(0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void countsAgreeWithTheCheckers() {
        // 1: ACK lost, retried, stored three times, overtaken by 2. 3: failed and never stored.
        // 4: acked twice (retry answered twice) on t-1, then lost in a crash. 5: stored on t-1.
        History history = History.of(List.of(
                send(100, 1, T0), send(100, 2, T0), send(100, 3, T0), send(100, 4, T1), send(100, 5, T1),
                acked(100, 2, T0, 0), acked(100, 1, T0, 1), failed(100, 3, T0), acked(100, 4, T1, 0), acked(100, 4, T1, 0),
                acked(100, 5, T1, -1), failed(100, 5, T1),
                fetch(T0, RU, 2, 1, 1, 1), fetch(T1, RU, 5)));

        RunCounts counts = RunCounts.of(history);

        assertThat(counts).isEqualTo(new RunCounts(5, 4, 2, 3, 2, 2, 1, 1));
        assertThat(counts.lost()).isEqualTo(new NoLossChecker().check(history).offendingIds().size());
    }

    @Test
    void transactionalRunsCountWhatReadCommittedReadersSee() {
        History history = History.of(List.of(
                txSend(100, 0, 1, T0), txSend(100, 0, 2, T0), committed(100, 0),
                txSend(100, 1, 3, T0), aborted(100, 1),
                fetch(T0, RU, 1, 2, 3, 3), fetch(T0, RC, 1, 2)));

        assertThat(RunCounts.of(history)).isEqualTo(new RunCounts(3, 0, 0, 2, 0, 0, 0, 0));
    }
}
