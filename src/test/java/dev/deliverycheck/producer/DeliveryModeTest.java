package dev.deliverycheck.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeliveryModeTest {
    @Test
    void parsesCliNamesAndListsValidOnesOnError() {
        assertThat(DeliveryMode.parse("at-most-once")).isEqualTo(DeliveryMode.AT_MOST_ONCE);
        assertThat(DeliveryMode.parse(" Exactly-Once ")).isEqualTo(DeliveryMode.EXACTLY_ONCE);
        assertThatThrownBy(() -> DeliveryMode.parse("twice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown delivery mode 'twice'; valid modes: at-most-once, at-least-once, idempotent, exactly-once");
        assertThatThrownBy(() -> DeliveryMode.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void atMostOnceNeverRetries() {
        ProducerConfig c = ProducerConfig.of(DeliveryMode.AT_MOST_ONCE.preset());
        assertThat(c.retries()).isZero();
        assertThat(c.acks()).isEqualTo((short) 1);
        assertThat(c.idempotenceEnabled()).isFalse();
    }

    @Test
    void atLeastOnceRetriesWithoutIdempotence() {
        ProducerConfig c = ProducerConfig.of(DeliveryMode.AT_LEAST_ONCE.preset());
        assertThat(c.acks()).isEqualTo((short) -1);
        assertThat(c.retries()).isEqualTo(Integer.MAX_VALUE);
        assertThat(c.idempotenceEnabled()).isFalse();
        assertThat(c.maxInFlightRequestsPerConnection()).isEqualTo(5);
    }

    @Test
    void idempotentAddsIdempotence() {
        ProducerConfig c = ProducerConfig.of(DeliveryMode.IDEMPOTENT.preset());
        assertThat(c.idempotenceEnabled()).isTrue();
        assertThat(c.transactional()).isFalse();
    }

    @Test
    void exactlyOnceNeedsTheCallersTransactionalId() {
        ProducerConfig c = ProducerConfig.of(DeliveryMode.EXACTLY_ONCE.preset("app-1"));
        assertThat(c.transactionalId()).isEqualTo("app-1");
        assertThat(c.idempotenceEnabled()).isTrue();
        assertThat(DeliveryMode.EXACTLY_ONCE.preset()).doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        assertThatThrownBy(() -> DeliveryMode.IDEMPOTENT.preset("x")).isInstanceOf(IllegalArgumentException.class);
    }
}
