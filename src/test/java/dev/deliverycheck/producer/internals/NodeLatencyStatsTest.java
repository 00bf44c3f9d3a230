package dev.deliverycheck.producer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeLatencyStatsTest {

    @Test
    void aBrokerIsUnavailableOnlyAfterKeepingReadyDataWaitingPastTheTimeout() {
        NodeLatencyStats stats = new NodeLatencyStats(100);
        assertThat(stats.isAvailable(0)).as("never seen").isTrue();
        stats.update(0, 0, true);
        stats.update(0, 100, false);
        assertThat(stats.isAvailable(0)).as("exactly the timeout").isTrue();
        stats.update(0, 101, false);
        assertThat(stats.isAvailable(0)).isFalse();
        assertThat(stats.isAvailable(1)).as("broker 1 never lagged").isTrue();
        stats.update(0, 102, true);
        assertThat(stats.isAvailable(0)).as("it took data again").isTrue();
    }

    @Test
    void theFirstUpdateCountsAsADrainEvenWhenTheBrokerCannotTakeData() {
        NodeLatencyStats stats = new NodeLatencyStats(100);
        stats.update(3, 50, false);
        stats.update(3, 150, false);
        assertThat(stats.isAvailable(3)).isTrue();
        stats.update(3, 151, false);
        assertThat(stats.isAvailable(3)).isFalse();
    }

    @Test
    void withTheTimeoutOffEveryBrokerIsAvailable() {
        NodeLatencyStats stats = new NodeLatencyStats(0);
        stats.update(0, 0, true);
        stats.update(0, 1_000_000, false);
        assertThat(stats.isAvailable(0)).isTrue();
    }
}
