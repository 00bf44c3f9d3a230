package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutcomeTest {
    @Test
    void parsesTheTwoExpectationForms() {
        assertThat(Outcome.parseExpected("holds")).isEqualTo(Outcome.holds());
        assertThat(Outcome.parseExpected("violates NoLoss")).isEqualTo(Outcome.violates("NoLoss"));
        assertThat(Outcome.parseExpected("violates NoLoss").toString()).isEqualTo("violates NoLoss");
    }

    @Test
    void rejectsAnythingElseAsAnExpectation() {
        for (String bad : new String[] {"", "hold", "violates", "violates two words", "deadlock", "violates 1x"}) {
            assertThatThrownBy(() -> Outcome.parseExpected(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("holds");
        }
    }

    @Test
    void aViolationMatchesOnlyTheSameProperty() {
        assertThat(Outcome.violates("NoLoss")).isNotEqualTo(Outcome.violates("NoDuplicate"));
        assertThat(Outcome.deadlock().toString()).isEqualTo("deadlock");
        assertThat(Outcome.error("boom").toString()).isEqualTo("error: boom");
    }

    @Test
    void aViolationMustNameItsProperty() {
        assertThatThrownBy(() -> new Outcome(Outcome.Kind.VIOLATES, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Outcome(Outcome.Kind.HOLDS, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
