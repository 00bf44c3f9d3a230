package dev.deliverycheck.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deliverycheck.producer.partitioner.PartitionerType;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreKafka44s() {
        ProducerConfig c = ProducerConfig.defaults();
        assertThat(c.acks()).isEqualTo((short) -1);
        assertThat(c.retries()).isEqualTo(Integer.MAX_VALUE);
        assertThat(c.idempotenceEnabled()).isTrue();
        assertThat(c.maxInFlightRequestsPerConnection()).isEqualTo(5);
        assertThat(c.lingerMs()).isEqualTo(5);
        assertThat(c.batchSize()).isEqualTo(16384);
        assertThat(c.bufferMemory()).isEqualTo(33554432L);
        assertThat(c.maxBlockMs()).isEqualTo(60000);
        assertThat(c.deliveryTimeoutMs()).isEqualTo(120000);
        assertThat(c.requestTimeoutMs()).isEqualTo(30000);
        assertThat(c.retryBackoffMs()).isEqualTo(100);
        assertThat(c.retryBackoffMaxMs()).isEqualTo(1000);
        assertThat(c.maxRequestSize()).isEqualTo(1048576);
        assertThat(c.transactionalId()).isNull();
        assertThat(c.transactionTimeoutMs()).isEqualTo(60000);
        assertThat(c.partitioner()).isEqualTo(PartitionerType.UNIFORM_STICKY);
        assertThat(c.partitionerIgnoreKeys()).isFalse();
        assertThat(c.adaptivePartitioningEnabled()).isTrue();
        assertThat(c.partitionerAvailabilityTimeoutMs()).isZero();
    }

    @Test
    void parsesStringsNumbersAndProperties() {
        Properties p = new Properties();
        p.setProperty("linger.ms", " 20 ");
        p.setProperty("acks", "1");
        p.setProperty("enable.idempotence", "FALSE");
        p.setProperty("partitioner", "Round-Robin");
        ProducerConfig c = ProducerConfig.of(p);
        assertThat(c.lingerMs()).isEqualTo(20);
        assertThat(c.acks()).isEqualTo((short) 1);
        assertThat(c.idempotenceEnabled()).isFalse();
        assertThat(c.partitioner()).isEqualTo(PartitionerType.ROUND_ROBIN);
        assertThat(ProducerConfig.of(map("acks", -1, "batch.size", 100L)).acks()).isEqualTo((short) -1);
        assertThat(ProducerConfig.of(map("acks", "-1")).values().get("acks")).isEqualTo("all");
    }

    @Test
    void aValueOfTheWrongTypeNamesKeyValueAndType() {
        assertThatThrownBy(() -> ProducerConfig.of(map("linger.ms", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value soon for configuration linger.ms: Not a number of type LONG");
        assertThatThrownBy(() -> ProducerConfig.of(map("enable.idempotence", "yes")))
                .hasMessage("Invalid value yes for configuration enable.idempotence: Expected value to be either true or false");
    }

    @Test
    void rangeAndChoiceRules() {
        assertThatThrownBy(() -> ProducerConfig.of(map("linger.ms", -1)))
                .hasMessage("Invalid value -1 for configuration linger.ms: Value must be at least 0");
        assertThatThrownBy(() -> ProducerConfig.of(map("max.in.flight.requests.per.connection", 0)))
                .hasMessage("Invalid value 0 for configuration max.in.flight.requests.per.connection: Value must be at least 1");
        assertThatThrownBy(() -> ProducerConfig.of(map("acks", "2")))
                .hasMessage("Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1");
        assertThatThrownBy(() -> ProducerConfig.of(map("partitioner", "random")))
                .hasMessageContaining("for configuration partitioner: String must be one of: hash, round-robin, sticky, uniform-sticky");
        assertThatThrownBy(() -> ProducerConfig.of(map("transactional.id", "")))
                .hasMessage("Invalid value  for configuration transactional.id: String may not be empty");
        assertThatThrownBy(() -> ProducerConfig.of(map("retries", -3)))
                .isInstanceOf(ConfigException.class).extracting("key").isEqualTo("retries");
    }

    @Test
    void unknownKeysAreRejected() {
        assertThatThrownBy(() -> ProducerConfig.of(map("enable.idempotense", true)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value true for configuration enable.idempotense: unknown configuration key");
    }

    @Test
    void explicitIdempotenceWithAcksOtherThanAllIsAnError() {
        assertThatThrownBy(() -> ProducerConfig.of(map("enable.idempotence", true, "acks", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value 1 for configuration acks: must be all (-1) when enable.idempotence=true");
        assertThatThrownBy(() -> ProducerConfig.of(map("enable.idempotence", "true", "acks", 0)))
                .hasMessageStartingWith("Invalid value 0 for configuration acks:");
    }

    @Test
    void explicitIdempotenceWithZeroRetriesIsAnError() {
        assertThatThrownBy(() -> ProducerConfig.of(map("enable.idempotence", true, "retries", 0)))
                .hasMessageStartingWith("Invalid value 0 for configuration retries: must be non-zero when enable.idempotence=true");
    }

    @Test
    void explicitIdempotenceWithMoreThanFiveInFlightIsAnError() {
        assertThatThrownBy(() -> ProducerConfig.of(map("enable.idempotence", true, "max.in.flight.requests.per.connection", 6)))
                .hasMessageStartingWith("Invalid value 6 for configuration max.in.flight.requests.per.connection: must be at most 5");
        assertThat(ProducerConfig.of(map("enable.idempotence", true, "max.in.flight.requests.per.connection", 5))
                .idempotenceEnabled()).isTrue();
    }

    @Test
    void defaultIdempotenceIsSilentlyTurnedOffByConflictingSettings() {
        assertThat(ProducerConfig.of(map("acks", "1")).idempotenceEnabled()).isFalse();
        assertThat(ProducerConfig.of(map("acks", "0")).idempotenceEnabled()).isFalse();
        assertThat(ProducerConfig.of(map("retries", 0)).idempotenceEnabled()).isFalse();
        assertThat(ProducerConfig.of(map("max.in.flight.requests.per.connection", 10)).idempotenceEnabled()).isFalse();
        assertThat(ProducerConfig.of(map("acks", "all")).idempotenceEnabled()).isTrue();
    }

    @Test
    void transactionalIdNeedsIdempotence() {
        assertThat(ProducerConfig.of(map("transactional.id", "tx")).transactional()).isTrue();
        assertThatThrownBy(() -> ProducerConfig.of(map("transactional.id", "tx", "enable.idempotence", false)))
                .hasMessageStartingWith("Invalid value tx for configuration transactional.id: cannot set a transactional.id without also enabling idempotence");
        assertThatThrownBy(() -> ProducerConfig.of(map("transactional.id", "tx", "acks", "1")))
                .hasMessageContaining("transactional.id")
                .hasMessageContaining("off because of acks");
    }

    @Test
    void explicitDeliveryTimeoutBelowLingerPlusRequestTimeoutIsAnError() {
        assertThatThrownBy(() -> ProducerConfig.of(map("delivery.timeout.ms", 1000, "linger.ms", 5, "request.timeout.ms", 1000)))
                .hasMessage("Invalid value 1000 for configuration delivery.timeout.ms: should be equal to or larger than "
                        + "linger.ms + request.timeout.ms (5 + 1000 = 1005)");
        assertThat(ProducerConfig.of(map("delivery.timeout.ms", 1005, "linger.ms", 5, "request.timeout.ms", 1000))
                .deliveryTimeoutMs()).isEqualTo(1005);
    }

    @Test
    void defaultedDeliveryTimeoutIsRaisedToLingerPlusRequestTimeout() {
        ProducerConfig c = ProducerConfig.of(map("linger.ms", 100_000, "request.timeout.ms", 30_000));
        assertThat(c.deliveryTimeoutMs()).isEqualTo(130_000);
    }

    @Test
    void hashPartitionerCannotIgnoreKeys() {
        assertThatThrownBy(() -> ProducerConfig.of(map("partitioner", "hash", "partitioner.ignore.keys", true)))
                .hasMessageStartingWith("Invalid value true for configuration partitioner.ignore.keys");
        assertThat(ProducerConfig.of(map("partitioner", "sticky", "partitioner.ignore.keys", true)).partitionerIgnoreKeys()).isTrue();
    }

    @Test
    void withLayersOverridesAndValidatesAgain() {
        ProducerConfig base = ProducerConfig.of(DeliveryMode.IDEMPOTENT.preset());
        assertThat(base.with("linger.ms", 0).lingerMs()).isZero();
        assertThatThrownBy(() -> base.with("acks", "1")).isInstanceOf(ConfigException.class);
        assertThat(base.originals()).containsEntry("enable.idempotence", true);
    }
}
