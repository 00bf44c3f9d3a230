package dev.deliverycheck.wire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The paced real client delivers every record of its window, with each partitioner, against the wire broker. */
class PacedKafkaProducerRunTest {
    private BrokerUnderTest broker;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerUnderTest.start("ours");
        broker.createTopic("paced", 16);
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void roundRobinAndBuiltInDeliverTheWindowsRecordsAtTheOfferedPace() {
        for (PacedKafkaProducerRun.Partitioner p : PacedKafkaProducerRun.Partitioner.values()) {
            PacedKafkaProducerRun.Result r = PacedKafkaProducerRun.run(broker.bootstrap(), "paced", p, 2_000, 100,
                    0.05, 0.25, 20.0);

            // 2 000/s for 0.25 s: about 500 records; never more than were due by the window's end (600 + the first),
            // as the thread may fall behind but never runs ahead
            assertThat(r.sent()).as(p.label()).isBetween(100L, 601L);
            assertThat(r.acked()).as(p.label()).isEqualTo(r.sent());
            assertThat(r.failed()).as(p.label()).isZero();
            assertThat(r.p50Ms()).as(p.label()).isPositive();
            assertThat(r.p99Ms()).as(p.label()).isGreaterThanOrEqualTo(r.p50Ms());
            assertThat(r.requestsPerSecond()).as(p.label()).isPositive();
            assertThat(r.recordsPerRequest()).as(p.label()).isPositive();
        }
    }
}
