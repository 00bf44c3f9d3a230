package dev.deliverycheck.tlc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TlcWatchdogTest {
    private static final long S = 1_000_000_000L;
    private final TlcWatchdog watchdog = new TlcWatchdog(Duration.ofSeconds(60), Duration.ofSeconds(600));

    @Test
    void aRunThatKeepsPrintingGoesOnPastTheSilenceBound() {
        assertThat(watchdog.verdict(0, 550 * S, 599 * S)).isNull();
    }

    @Test
    void aSilentRunIsStoppedAsHung() {
        assertThat(watchdog.verdict(0, 100 * S, 160 * S)).isEqualTo("TLC printed nothing for 60 s (hung)");
        assertThat(watchdog.verdict(0, 100 * S, 159 * S)).isNull();
    }

    @Test
    void everyRunEndsByTheLimitEvenWhilePrinting() {
        assertThat(watchdog.verdict(0, 600 * S, 600 * S)).isEqualTo("TLC did not finish within 600 s");
    }

    @Test
    void aLimitShorterThanTheSilenceBoundBoundsTheSilenceToo() {
        TlcWatchdog short5 = TlcWatchdog.DEFAULT.withLimit(Duration.ofSeconds(5));
        assertThat(short5.silence()).isEqualTo(Duration.ofSeconds(5));
        assertThat(short5.verdict(0, 0, 5 * S)).isEqualTo("TLC did not finish within 5 s");
        assertThat(TlcWatchdog.DEFAULT.silence()).isEqualTo(Duration.ofMinutes(15));
        assertThat(TlcWatchdog.DEFAULT.limit()).isEqualTo(Duration.ofMinutes(60));
    }

    @Test
    void boundsMustBePositive() {
        assertThatThrownBy(() -> new TlcWatchdog(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlcWatchdog.DEFAULT.withLimit(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
