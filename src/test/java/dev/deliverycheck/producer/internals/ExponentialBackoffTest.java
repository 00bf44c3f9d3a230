package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deliverycheck.producer.testkit.ScriptedRandom;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {
    @Test
    void doublesFromRetryBackoffUpToTheMaximum() {
        ExponentialBackoff b = new ExponentialBackoff(100, 1000, new ScriptedRandom().fixedDouble(0.5));
        assertThat(b.backoff(0)).isEqualTo(100);
        assertThat(b.backoff(1)).isEqualTo(200);
        assertThat(b.backoff(2)).isEqualTo(400);
        assertThat(b.backoff(3)).isEqualTo(800);
        assertThat(b.backoff(4)).isEqualTo(1000);
        assertThat(b.backoff(50)).isEqualTo(1000);
    }

    @Test
    void jitterIsTwentyPercentEitherWay() {
        assertThat(new ExponentialBackoff(100, 1000, new ScriptedRandom().fixedDouble(0.0)).backoff(1)).isEqualTo(160);
        assertThat(new ExponentialBackoff(100, 1000, new ScriptedRandom().fixedDouble(0.999)).backoff(1)).isEqualTo(239);
        assertThat(new ExponentialBackoff(100, 1000, new ScriptedRandom().fixedDouble(0.999)).backoff(9)).isEqualTo(1000);
    }

    @Test
    void maximumNotAboveInitialMeansConstantBackoff() {
        ExponentialBackoff b = new ExponentialBackoff(500, 100, new ScriptedRandom().fixedDouble(0.0));
        assertThat(b.backoff(0)).isEqualTo(500);
        assertThat(b.backoff(7)).isEqualTo(500);
    }
}
