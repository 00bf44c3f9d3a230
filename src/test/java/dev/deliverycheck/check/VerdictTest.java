package dev.deliverycheck.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {

    @Test
    void passHoldsWithoutOffenders() {
        Verdict verdict = Verdict.pass(Invariant.NO_LOSS, "all 3 records owed to readers are in their partitions");

        assertThat(verdict.holds()).isTrue();
        assertThat(verdict.offendingIds()).isEmpty();
        assertThat(verdict.label()).isEqualTo("holds");
        assertThat(verdict).hasToString("NoLoss holds: all 3 records owed to readers are in their partitions");
    }

    @Test
    void failCarriesOffendersAndFirstOffence() {
        Verdict verdict = Verdict.fail(Invariant.NO_DUPLICATE, List.of(17L, 18L), "record 17 appears at offsets 3 and 9 of t-0");

        assertThat(verdict.holds()).isFalse();
        assertThat(verdict.invariant()).isEqualTo(Invariant.NO_DUPLICATE);
        assertThat(verdict.offendingIds()).containsExactly(17L, 18L);
        assertThat(verdict.label()).isEqualTo("violated");
        assertThat(verdict).hasToString("NoDuplicate violated: record 17 appears at offsets 3 and 9 of t-0");
    }

    @Test
    void offendersAreCopied() {
        List<Long> ids = new ArrayList<>(List.of(1L));
        Verdict verdict = Verdict.fail(Invariant.NO_LOSS, ids, "x");
        ids.add(2L);

        assertThat(verdict.offendingIds()).containsExactly(1L);
        assertThatThrownBy(() -> verdict.offendingIds().add(3L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aHoldingVerdictListsNoOffenders() {
        assertThatThrownBy(() -> new Verdict(Invariant.NO_LOSS, true, List.of(1L), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1]");
    }

    @Test
    void aViolationMayHaveNoRecordIds() {
        // A late commit of a zombie that appended nothing offends without a record.
        assertThat(new Verdict(Invariant.ZOMBIE_FENCED, false, List.of(), "x").holds()).isFalse();
    }

    @Test
    void explanationIsOneLine() {
        assertThatThrownBy(() -> Verdict.pass(Invariant.NO_LOSS, "two\nlines"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one line");
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> Verdict.pass(null, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Verdict.pass(Invariant.NO_LOSS, null)).isInstanceOf(NullPointerException.class);
    }
}
