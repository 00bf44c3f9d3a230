package dev.deliverycheck.wire.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe's requests are real, accepted writes of exactly the shape asked, against deliverycheck's wire broker. */
class ProduceProbeTest {
    private BrokerUnderTest broker;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerUnderTest.start("ours");
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void everyTimedRequestIsStoredWithTheShapesRecords() throws Exception {
        ProduceProbe.Shape shape = new ProduceProbe.Shape(3, 4, 50, (short) -1);
        ProduceProbe.Result r;
        try (ProduceProbe probe = ProduceProbe.open(broker, "probe", 4)) {
            r = probe.measure(shape, 5, 12, 5);
            // a second shape continues the same partitions' sequences: still accepted
            probe.measure(new ProduceProbe.Shape(1, 2, 10, (short) 1), 2, 20, 5);
        }

        assertThat(r.serialRequests()).isEqualTo(5);
        assertThat(r.pipelinedRequests()).isEqualTo(12);
        assertThat(r.serialMedianUs()).isPositive();
        assertThat(r.pipelinedUsPerRequest()).isPositive();
        // 3 batches of 4 records of 50 bytes (+ 8-byte header) at least
        assertThat(r.requestBytes()).isGreaterThan(3 * 4 * 58);
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            for (int p = 0; p < 4; p++) {
                long end = admin.listOffsets(Map.of(new TopicPartition("probe", p), OffsetSpec.latest())).all()
                        .get(30, TimeUnit.SECONDS).get(new TopicPartition("probe", p)).offset();
                long expected = p < 3 ? 17 * 4 : 0;
                if (p == 0) {
                    expected += 22 * 2;
                }
                assertThat(end).as("partition " + p).isEqualTo(expected);
            }
        }
    }

    @Test
    void aShapeWiderThanTheTopicIsRefusedBeforeAnythingIsSent() throws Exception {
        try (ProduceProbe probe = ProduceProbe.open(broker, "narrow", 2)) {
            assertThatThrownBy(() -> probe.measure(new ProduceProbe.Shape(3, 1, 10, (short) -1), 1, 1, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the topic has 2");
        }
        assertThatThrownBy(() -> new ProduceProbe.Shape(1, 1, 10, (short) 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnknownTargetIsRefused() {
        assertThatThrownBy(() -> BrokerUnderTest.start("kafka")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apache, ours");
        assertThat(BrokerUnderTest.TARGETS).isEqualTo(List.of("apache", "ours"));
    }
}
