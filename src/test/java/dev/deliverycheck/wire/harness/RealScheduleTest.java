package dev.deliverycheck.wire.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.check.Mode;
import org.junit.jupiter.api.Test;

class RealScheduleTest {

    @Test
    void generatedSchedulesRoundTripThroughTheirFileForm() {
        for (Mode mode : Mode.values()) {
            for (long seed = 1; seed <= 20; seed++) {
                RealSchedule s = RealScheduleGenerator.generate(mode, seed).failing("NoDuplicate");
                assertThat(RealSchedule.parse(s.format(), "x")).isEqualTo(s);
                assertThat(s.faultSteps()).isPositive();
            }
        }
        assertThat(RealScheduleGenerator.generate(Mode.EXACTLY_ONCE, 3)).isEqualTo(RealScheduleGenerator.generate(Mode.EXACTLY_ONCE, 3));
    }

    @Test
    void malformedLinesNameFileAndLine() {
        assertThatThrownBy(() -> RealSchedule.parse("mode: idempotent\n---\nsend key=k1\ndelay Produce 1\n", "f"))
                .hasMessage("f:4: expected 'delay MS KIND N'");
        assertThatThrownBy(() -> RealSchedule.parse("mode: idempotent\n---\nexplode\n", "f"))
                .hasMessageStartingWith("f:3: unknown step 'explode'");
        assertThatThrownBy(() -> RealSchedule.parse("mode: sometimes\n---\n", "f")).hasMessageStartingWith("f:1: unknown mode");
        assertThatThrownBy(() -> RealSchedule.parse("mode: idempotent\nsend\n", "f")).hasMessageStartingWith("f:2: expected a header");
        assertThatThrownBy(() -> RealSchedule.parse("seed: 1\n---\n", "f")).hasMessage("f: missing header 'mode: M'");
    }
}
