package dev.deliverycheck.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.env.SeededRandom;
import org.junit.jupiter.api.Test;

class LatencyModelTest {
    private static final int DRAWS = 100_000;

    @Test
    void aConstantModelDrawsNothing() {
        SeededRandom random = new SeededRandom(1);
        SeededRandom untouched = new SeededRandom(1);
        LatencyModel constant = LatencyModel.constant(5);

        assertThat(constant.isConstant()).isTrue();
        assertThat(constant.drawMessageMs(random, true)).isEqualTo(5);
        assertThat(constant.drawFsyncMs(random, 7)).isEqualTo(7);
        assertThat(random.nextInt(1_000_000)).isEqualTo(untouched.nextInt(1_000_000));
    }

    @Test
    void theLongTailedModelHasABodyATailAndStalls() {
        LatencyModel model = LatencyModel.longTailed();
        SeededRandom random = new SeededRandom(42);
        int body = 0;
        int tail = 0;
        int stalls = 0;
        int belowFsync = 0;
        for (int i = 0; i < DRAWS; i++) {
            long ms = model.drawMessageMs(random, true);
            assertThat(ms).isBetween(1L, LatencyModel.MAX_STALL_MS);
            if (ms >= 1_000) {
                stalls++;
            } else if (ms > 10) {
                tail++;
            } else {
                body++;
            }
            if (ms < 5) {
                belowFsync++;
            }
        }
        assertThat(stalls).isBetween(DRAWS * 10 / 1000, DRAWS * 20 / 1000);
        assertThat(tail).isBetween(DRAWS * 100 / 1000, DRAWS * 140 / 1000);
        assertThat(body + tail + stalls).isEqualTo(DRAWS);
        // Answers faster than a 5 ms fsync: what lets a crash expose an acknowledgement sent too early.
        assertThat(belowFsync).isGreaterThan(DRAWS / 4);
    }

    @Test
    void afterHealingOnlyTheBodyIsDrawn() {
        LatencyModel model = LatencyModel.longTailed();
        SeededRandom random = new SeededRandom(7);
        for (int i = 0; i < DRAWS; i++) {
            assertThat(model.drawMessageMs(random, false)).isBetween(1L, 10L);
        }
    }

    @Test
    void fsyncLatenciesAreMostlyShortWithALongTail() {
        LatencyModel model = LatencyModel.longTailed();
        SeededRandom random = new SeededRandom(3);
        int slow = 0;
        for (int i = 0; i < DRAWS; i++) {
            int ms = model.drawFsyncMs(random, 5);
            assertThat(ms).isBetween(1, 499);
            if (ms >= 100) {
                slow++;
            }
        }
        assertThat(slow).isBetween(DRAWS * 15 / 1000, DRAWS * 25 / 1000);
    }

    @Test
    void theSameSeedGivesTheSameLatencies() {
        LatencyModel model = LatencyModel.longTailed();
        SeededRandom a = new SeededRandom(9);
        SeededRandom b = new SeededRandom(9);
        for (int i = 0; i < 1_000; i++) {
            assertThat(model.drawMessageMs(a, true)).isEqualTo(model.drawMessageMs(b, true));
        }
    }

    @Test
    void rejectsImpossibleShares() {
        assertThatThrownBy(() -> new LatencyModel(5, 900, 200)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid latency model 5 ms, tail 900/1000, stall 200/1000");
    }
}
