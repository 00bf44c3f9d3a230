package dev.deliverycheck.check;

import static dev.deliverycheck.check.Expectation.HOLDS;
import static dev.deliverycheck.check.Expectation.NOT_APPLICABLE;
import static dev.deliverycheck.check.Expectation.VIOLATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModeTest {

    private static List<Expectation> row(Mode mode) {
        return Arrays.stream(Invariant.values()).map(mode::expected).toList();
    }

    @Test
    void expectationsAreDesignsOutcomeMatrix() {
        assertThat(row(Mode.AT_MOST_ONCE)).containsExactly(HOLDS, VIOLATED, HOLDS, HOLDS, NOT_APPLICABLE, NOT_APPLICABLE);
        assertThat(row(Mode.AT_LEAST_ONCE)).containsExactly(VIOLATED, HOLDS, HOLDS, VIOLATED, NOT_APPLICABLE, NOT_APPLICABLE);
        assertThat(row(Mode.IDEMPOTENT)).containsExactly(HOLDS, HOLDS, HOLDS, HOLDS, NOT_APPLICABLE, NOT_APPLICABLE);
        assertThat(row(Mode.EXACTLY_ONCE)).containsExactly(HOLDS, HOLDS, HOLDS, HOLDS, HOLDS, HOLDS);
    }

    @Test
    void applicableInvariantsFollowTheMatrixColumns() {
        List<Invariant> four = List.of(Invariant.NO_DUPLICATE, Invariant.NO_LOSS, Invariant.ACKED_DURABLE, Invariant.PARTITION_ORDER);
        assertThat(Mode.AT_MOST_ONCE.invariants()).isEqualTo(four);
        assertThat(Mode.AT_LEAST_ONCE.invariants()).isEqualTo(four);
        assertThat(Mode.IDEMPOTENT.invariants()).isEqualTo(four);
        assertThat(Mode.EXACTLY_ONCE.invariants()).containsExactly(Invariant.values());
    }

    @Test
    void onlyExactlyOnceIsTransactional() {
        assertThat(Arrays.stream(Mode.values()).filter(Mode::transactional)).containsExactly(Mode.EXACTLY_ONCE);
    }

    @Test
    void cliNamesRoundTrip() {
        assertThat(Arrays.stream(Mode.values()).map(Mode::cliName))
                .containsExactly("at-most-once", "at-least-once", "idempotent", "exactly-once");
        for (Mode mode : Mode.values()) {
            assertThat(Mode.fromCliName(mode.cliName())).isSameAs(mode);
        }
    }

    @Test
    void unknownModeIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> Mode.fromCliName("exactly_once"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown mode 'exactly_once', expected one of at-most-once, at-least-once, idempotent, exactly-once");
    }

    @Test
    void expectationLabelsAndMatching() {
        assertThat(HOLDS.label()).isEqualTo("holds");
        assertThat(VIOLATED.label()).isEqualTo("violated");
        assertThat(NOT_APPLICABLE.label()).isEqualTo("n/a");
        assertThat(HOLDS.matches(true)).isTrue();
        assertThat(HOLDS.matches(false)).isFalse();
        assertThat(VIOLATED.matches(false)).isTrue();
        assertThat(VIOLATED.matches(true)).isFalse();
        assertThat(NOT_APPLICABLE.matches(true)).isFalse();
        assertThat(NOT_APPLICABLE.matches(false)).isFalse();
    }
}
