package dev.deliverycheck.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediansTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Medians.median(3, 1, 2)).isEqualTo(2);
        assertThat(Medians.median(4, 1, 2, 3)).isEqualTo(2.5);
        assertThat(Medians.median()).isNaN();
    }

    @Test
    void aRatioOverNothingIsZero() {
        assertThat(Medians.ratio(1, 0)).isZero();
        assertThat(Medians.ratio(1, 4)).isEqualTo(0.25);
    }
}
