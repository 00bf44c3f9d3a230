package dev.deliverycheck.wire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The paced real client delivers every record of its window, with each partitioner, against the wire broker. The
 * schedule runs on a virtual clock that moves only when the run parks (or a test stalls it), so how many records
 * fall in the window is exact arithmetic, whatever the machine's speed: 2 000/s, a 0.05 s warm-up and a 0.25 s
 * window put records 100 to 599 (due every 500 µs) in the window. Records really go to the broker and are really
 * acknowledged; only the schedule's time is virtual.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PacedKafkaProducerRunTest {
    private static final double RATE = 2_000;
    private static final double WARMUP_S = 0.05;
    private static final double WINDOW_S = 0.25;
    private static final long MS = 1_000_000L;

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
    void roundRobinAndBuiltInDeliverExactlyTheWindowsRecords() {
        for (PacedKafkaProducerRun.Partitioner p : PacedKafkaProducerRun.Partitioner.values()) {
            PacedKafkaProducerRun.Result r = run(p, new VirtualPacer(Long.MAX_VALUE, 0));

            assertThat(r.sent()).as(p.label()).isEqualTo(500);
            assertThat(r.acked()).as(p.label()).isEqualTo(r.sent());
            assertThat(r.failed()).as(p.label()).isZero();
            assertThat(r.p50Ms()).as(p.label()).isPositive();
            assertThat(r.p99Ms()).as(p.label()).isGreaterThanOrEqualTo(r.p50Ms());
            // the client's metrics were read at the window's start and end (NaN when a read is missing)
            assertThat(r.requestsPerSecond()).as(p.label()).isNotNaN().isNotNegative();
            assertThat(r.recordsPerRequest()).as(p.label()).isNotNaN().isNotNegative();
        }
    }

    /** A 120 ms stall mid-window costs no record: the 240 that fell due meanwhile leave back to back after it. */
    @Test
    void aThreadThatFellBehindCatchesUpWithinTheWindow() {
        PacedKafkaProducerRun.Result r = run(PacedKafkaProducerRun.Partitioner.BUILT_IN, new VirtualPacer(100 * MS, 120 * MS));

        assertThat(r.sent()).isEqualTo(500);
        assertThat(r.acked()).isEqualTo(r.sent());
    }

    /**
     * A stall from 250 ms to 350 ms, across the window's end at 300 ms: records 500 to 599, due while the thread
     * stood still, are never sent (it falls behind but never sends into a closed window).
     */
    @Test
    void recordsDueWhileStalledPastTheWindowsEndAreNotSent() {
        PacedKafkaProducerRun.Result r = run(PacedKafkaProducerRun.Partitioner.BUILT_IN, new VirtualPacer(250 * MS, 100 * MS));

        assertThat(r.sent()).isEqualTo(400);
        assertThat(r.acked()).isEqualTo(r.sent());
    }

    private PacedKafkaProducerRun.Result run(PacedKafkaProducerRun.Partitioner p, VirtualPacer pacer) {
        return PacedKafkaProducerRun.run(broker.bootstrap(), "paced", p, RATE, 100, WARMUP_S, WINDOW_S, 20.0, pacer);
    }

    /**
     * Time that moves only when the run parks: by exactly what it asked, plus, on the first park that ends at or
     * after {@code stallAt} (from the start), a stall of {@code stall}. Read by the run's thread and the
     * producer's I/O thread (callbacks), hence atomic.
     */
    private static final class VirtualPacer implements PacedKafkaProducerRun.Pacer {
        private static final long START = 1_000 * MS;
        private final AtomicLong now = new AtomicLong(START);
        private final long stallAt;
        private final long stall;
        private boolean stalled;

        VirtualPacer(long stallAt, long stall) {
            this.stallAt = stallAt;
            this.stall = stall;
        }

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void parkNanos(long nanos) {
            long t = now.addAndGet(nanos);
            if (!stalled && t - START >= stallAt) {
                stalled = true;
                now.addAndGet(stall);
            }
        }
    }
}
