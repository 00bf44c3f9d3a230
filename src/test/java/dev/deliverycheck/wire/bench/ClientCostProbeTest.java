package dev.deliverycheck.wire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client probe sends each shape as one request per flush and finds its sender thread's CPU time. */
class ClientCostProbeTest {
    private BrokerUnderTest broker;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerUnderTest.start("ours");
        broker.createTopic("client-cost", 16);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void eachFlushIsOneRequestOfTheShapeAndTheSenderTimeIsMeasured() {
        try (ClientCostProbe probe = ClientCostProbe.open(broker.bootstrap(), "client-cost")) {
            ClientCostProbe.Result one = probe.measure(1, 1, 100, 2, 10);
            ClientCostProbe.Result wide = probe.measure(16, 8, 100, 2, 10);

            assertThat(one.requestsPerFlush()).isEqualTo(1.0);
            assertThat(wide.requestsPerFlush()).isEqualTo(1.0);
            assertThat(one.cpuUsPerRequest()).isPositive();
            // the sender's CPU time is part of the flush's elapsed time, never more
            assertThat(one.cpuUsPerRequest()).isLessThanOrEqualTo(one.wallUsPerRequest());
            assertThat(wide.cpuUsPerRequest()).isLessThanOrEqualTo(wide.wallUsPerRequest());
            assertThat(wide.partitions()).isEqualTo(16);
            assertThat(wide.recordsPerBatch()).isEqualTo(8);
        }
    }
}
