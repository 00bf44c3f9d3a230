package dev.deliverycheck.check;

import static dev.deliverycheck.check.Events.RC;
import static dev.deliverycheck.check.Events.RU;
import static dev.deliverycheck.check.Events.T0;
import static dev.deliverycheck.check.Events.T1;
import static dev.deliverycheck.check.Events.acked;
import static dev.deliverycheck.check.Events.append;
import static dev.deliverycheck.check.Events.committed;
import static dev.deliverycheck.check.Events.endTxn;
import static dev.deliverycheck.check.Events.fetch;
import static dev.deliverycheck.check.Events.init;
import static dev.deliverycheck.check.Events.send;
import static dev.deliverycheck.check.Events.txSend;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.event.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckersTest {

    private static final List<Invariant> FOUR =
            List.of(Invariant.NO_DUPLICATE, Invariant.NO_LOSS, Invariant.ACKED_DURABLE, Invariant.PARTITION_ORDER);

    private static History history(Event... events) {
        return History.of(List.of(events));
    }

    @Test
    void eachModeGetsItsInvariantsInMatrixOrder() {
        for (Mode mode : Mode.values()) {
            assertThat(Checkers.forMode(mode).invariants()).isEqualTo(mode.invariants());
            assertThat(Checkers.forMode(mode).checkers()).extracting(InvariantChecker::invariant).isEqualTo(mode.invariants());
        }
        assertThat(Checkers.forMode(false).invariants()).isEqualTo(FOUR);
        assertThat(Checkers.forMode(true).invariants()).containsExactly(Invariant.values());
    }

    @Test
    void theHistoryPicksItsCheckers() {
        assertThat(Checkers.forHistory(history(send(100, 1, T0))).invariants()).isEqualTo(FOUR);
        assertThat(Checkers.forHistory(history(txSend(100, 0, 1, T0))).invariants()).containsExactly(Invariant.values());
    }

    /** At-least-once after a lost ACK: record 1 retried and stored twice, overtaken by record 2. */
    private static History atLeastOnceRun() {
        return history(send(100, 1, T0), send(100, 2, T0), acked(100, 2, T0, 0), acked(100, 1, T0, 2),
                send(100, 3, T1), fetch(T0, RU, 2, 1, 1), fetch(T1, RU));
    }

    @Test
    void checkAllJudgesEveryInvariant() {
        List<Verdict> verdicts = Checkers.forMode(Mode.AT_LEAST_ONCE).checkAll(atLeastOnceRun());

        assertThat(verdicts).extracting(Verdict::invariant).isEqualTo(FOUR);
        assertThat(verdicts).extracting(Verdict::label).containsExactly("violated", "violated", "holds", "violated");
        assertThat(verdicts.get(0).offendingIds()).containsExactly(1L);
        assertThat(verdicts.get(1).offendingIds()).containsExactly(3L);
        assertThat(verdicts.get(3).offendingIds()).containsExactly(1L);
    }

    @Test
    void checkStepLeavesNoLossForTheSettledRun() {
        List<Verdict> verdicts = Checkers.forMode(Mode.AT_LEAST_ONCE).checkStep(atLeastOnceRun());

        assertThat(verdicts).extracting(Verdict::invariant)
                .containsExactly(Invariant.NO_DUPLICATE, Invariant.ACKED_DURABLE, Invariant.PARTITION_ORDER);
        assertThat(verdicts).extracting(Verdict::holds).containsExactly(false, true, false);
    }

    @Test
    void checkStepUsesTheMidRunRules() {
        // Committed, markers not yet on t-1: fine mid-run, a violation once settled.
        History history = history(txSend(100, 0, 1, T0), txSend(100, 0, 2, T1), endTxn(100, 0, true), committed(100, 0),
                fetch(T0, RC, 1), fetch(T1, RC), fetch(T0, RU, 1), fetch(T1, RU, 2));
        Checkers checkers = Checkers.forMode(Mode.EXACTLY_ONCE);

        assertThat(checkers.checkStep(history)).allMatch(Verdict::holds);
        assertThat(checkers.firstStepViolation(history)).isNull();
        assertThat(checkers.checkAll(history)).filteredOn(v -> !v.holds()).extracting(Verdict::invariant)
                .containsExactly(Invariant.NO_LOSS, Invariant.ATOMIC_COMMIT);
    }

    @Test
    void firstStepViolationIsTheFirstInMatrixOrder() {
        Verdict first = Checkers.forMode(Mode.AT_LEAST_ONCE).firstStepViolation(atLeastOnceRun());

        assertThat(first.invariant()).isEqualTo(Invariant.NO_DUPLICATE);
        assertThat(first.explanation()).isEqualTo("record 1 appears at offsets 1 and 2 of t-0 (read_uncommitted)");
    }

    @Test
    void firstStepViolationSkipsHoldingInvariantsAndNoLoss() {
        // Only record 3 is lost (not judged mid-run) and the zombie appended after the bump.
        History history = history(init("tx", 7, 0), init("tx", 7, 1), append(T0, 7, 0, 0, 3L),
                txSend(100, 0, 3, T0), fetch(T0, RC), fetch(T0, RU, 3));

        Verdict first = Checkers.forMode(Mode.EXACTLY_ONCE).firstStepViolation(history);

        assertThat(first.invariant()).isEqualTo(Invariant.ZOMBIE_FENCED);
    }

    @Test
    void aCleanRunHoldsEverywhere() {
        History history = history(send(100, 1, T0), acked(100, 1, T0, 0), fetch(T0, RU, 1));

        assertThat(Checkers.forMode(Mode.IDEMPOTENT).checkAll(history)).allMatch(Verdict::holds).hasSize(4);
        assertThat(Checkers.forMode(Mode.IDEMPOTENT).firstStepViolation(history)).isNull();
    }
}
