package dev.deliverycheck.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void defaultsAreKafkasWhereKafkaHasTheSetting() {
        BrokerConfig c = BrokerConfig.DEFAULT;
        assertThat(c.messageMaxBytes()).isEqualTo(1048588);
        assertThat(c.transactionMaxTimeoutMs()).isEqualTo(900_000);
        assertThat(c.requestTimeoutMs()).isEqualTo(30_000);
        assertThat(c.retryBackoffMs()).isEqualTo(100);
        assertThat(c.producerStateWindow()).isEqualTo(5);
        assertThat(c.producerStateRecovery()).isTrue();
        assertThat(c.fencingEnabled()).isTrue();
        assertThat(c.verifyTransactionalPartitions()).isTrue();
        assertThat(c.flushLatencyMs()).isZero();
    }

    @Test
    void kafkaNamedKeysOverrideTheDefaults() {
        BrokerConfig c = BrokerConfig.fromMap(Map.of("log.segment.bytes", "4096", "message.max.bytes", 2000,
                "transaction.max.timeout.ms", "60000", "request.timeout.ms", 500, "retry.backoff.ms", "7"));
        assertThat(c.logSegmentBytes()).isEqualTo(4096);
        assertThat(c.messageMaxBytes()).isEqualTo(2000);
        assertThat(c.transactionMaxTimeoutMs()).isEqualTo(60_000);
        assertThat(c.requestTimeoutMs()).isEqualTo(500);
        assertThat(c.retryBackoffMs()).isEqualTo(7);
    }

    @Test
    void badKeysAndValuesAreRefusedWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("log.flush.everything", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log.flush.everything");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("request.timeout.ms", "soon")))
                .hasMessageContaining("request.timeout.ms").hasMessageContaining("not an integer");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("log.segment.bytes", "10")))
                .hasMessageContaining("log.segment.bytes=10");
        assertThatThrownBy(() -> BrokerConfig.DEFAULT.withProducerStateWindow(0))
                .hasMessageContaining("producerStateWindow");
        assertThatThrownBy(() -> BrokerConfig.DEFAULT.withFlushLatencyMs(-1)).hasMessageContaining("flushLatencyMs");
    }

    @Test
    void negativeTestSwitchesChangeOnlyTheirField() {
        BrokerConfig c = BrokerConfig.DEFAULT.withProducerStateWindow(1).withProducerStateRecovery(false)
                .withFencingEnabled(false).withVerifyTransactionalPartitions(false).withBumpEpochPerTxn(false);
        assertThat(c).isEqualTo(new BrokerConfig(BrokerConfig.DEFAULT.logSegmentBytes(), 1048588, 900_000, 30_000, 100,
                1, false, false, false, false, 0, false, java.util.Set.of()));
    }
}
