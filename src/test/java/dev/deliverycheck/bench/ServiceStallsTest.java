package dev.deliverycheck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deliverycheck.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The service-time tail: fitted from pipelined gaps, drawn deterministically, read back from a calibrate.json. */
class ServiceStallsTest {
    private static double[] gaps(int typical, double typicalUs, int slow, double slowUs) {
        double[] g = new double[typical + slow];
        Arrays.fill(g, 0, typical, typicalUs);
        Arrays.fill(g, typical, typical + slow, slowUs);
        return g;
    }

    /** Two shapes with medians 100 and 200 µs; 6 of 200 gaps are over twice their median. */
    private static ServiceStalls twoShapes() {
        double[] a = gaps(96, 100, 4, 1100);
        a[0] = 190; // 1.9 × the median: jitter, not a stall
        return ServiceStalls.fit(List.of(a, gaps(98, 200, 2, 600), new double[] {5}));
    }

    @Test
    void aStallIsAGapOverTwiceItsShapesMedianAndItsExcessIsTheGapBeyondTheMedian() {
        ServiceStalls s = twoShapes();
        assertThat(s.gaps()).as("a measurement of one gap has no median to compare with").isEqualTo(200);
        assertThat(s.share()).isEqualTo(0.03);
        // 6 stalls in 95 × 100 + 190 + 4 × 1100 + 98 × 200 + 2 × 600 µs = 34 890 µs of measurement
        assertThat(s.perSecond()).isEqualTo(Measurement.round(6 / 0.03489, 2));
        assertThat(s.meanExcessUs()).isEqualTo(800.0); // (4 × 1000 + 2 × 400) / 6
        assertThat(s.excessQuantilesUs()).hasSize(ServiceStalls.QUANTILES);
        assertThat(s.excessQuantilesUs().get(0)).isEqualTo(400.0);
        assertThat(s.excessQuantilesUs().get(ServiceStalls.QUANTILES - 1)).isEqualTo(1000.0);
        assertThat(s.excessQuantilesUs()).isSorted();
        assertThat(s.shareAbove()).containsExactly(Map.entry("2x", 0.03), Map.entry("5x", 0.02), Map.entry("10x", 0.02),
                Map.entry("100x", 0.0));
    }

    @Test
    void gapsWithoutATailGiveNoStalls() {
        ServiceStalls s = ServiceStalls.fit(List.of(gaps(50, 100, 0, 0), gaps(10, 100, 1, 150)));
        assertThat(s.share()).isZero();
        assertThat(s.excessQuantilesUs()).isEmpty();
        assertThat(new CostModel(1, 1, 1, 1).withStalls(s).hasStalls()).isFalse();
        assertThat(s.perSecond()).isZero();
        assertThat(s.any()).isFalse();
    }

    @Test
    void stallsComeAtTheMeasuredRateWithTheMeasuredLengthsAndASeedFixesThem() {
        ServiceStalls s = twoShapes();
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        int n = 100_000;
        double gaps = 0;
        double lengths = 0;
        List<Long> first = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long gap = s.nextGapNs(a);
            long length = s.lengthNs(a);
            assertThat(s.nextGapNs(b)).isEqualTo(gap);
            assertThat(s.lengthNs(b)).isEqualTo(length);
            assertThat(length).isBetween(400_000L, 1_000_000L);
            assertThat(gap).isNotNegative();
            gaps += gap;
            lengths += length;
            if (i < 100) {
                first.add(length);
            }
        }
        assertThat(gaps / n / 1e9).as("mean time between stalls").isCloseTo(1 / s.perSecond(), within(0.02 / s.perSecond()));
        // the quantiles interpolate between 400 (a third of the stalls) and 1000 µs: the mean lands near 800
        assertThat(lengths / n / 1000).isCloseTo(800, within(40.0));
        List<Long> other = new ArrayList<>();
        SplittableRandom c = new SplittableRandom(43);
        for (int i = 0; i < 100; i++) {
            s.nextGapNs(c);
            other.add(s.lengthNs(c));
        }
        assertThat(other).as("another seed draws other stalls").isNotEqualTo(first);
    }

    @Test
    void aTailIsValidatedAndReadBackFromItsJson() {
        ServiceStalls s = twoShapes();
        ServiceStalls read = ServiceStalls.fromJson(Json.parse(Json.write(s)));
        assertThat(read).isEqualTo(s);
        assertThat(Json.write(s)).startsWith("{\"thresholdOverMedian\":2.0,\"gaps\":200,\"share\":0.03,\"perSecond\":");

        assertThatThrownBy(() -> new ServiceStalls(2, 0, 1.5, 1, 0, Map.of(), List.of(1.0))).hasMessageContaining("share");
        assertThatThrownBy(() -> new ServiceStalls(0.5, 0, 0.1, 1, 0, Map.of(), List.of(1.0)))
                .hasMessageContaining("thresholdOverMedian");
        assertThatThrownBy(() -> new ServiceStalls(2, 0, 0.1, 1, 0, Map.of(), List.of(2.0, 1.0))).hasMessageContaining("ascending");
        assertThatThrownBy(() -> new ServiceStalls(2, 0, 0.1, 1, 0, Map.of(), List.of(-1.0))).hasMessageContaining("ascending");
        assertThatThrownBy(() -> new ServiceStalls(2, 0, 0.1, 1, 0, Map.of(), List.of())).hasMessageContaining("empty");
        assertThatThrownBy(() -> new ServiceStalls(2, 0, 0.1, -1, 0, Map.of(), List.of(1.0))).hasMessageContaining("perSecond");
        assertThatThrownBy(() -> ServiceStalls.fromJson(Json.parse("{\"thresholdOverMedian\":2,\"share\":0.1,"
                + "\"excessQuantilesUs\":[1]}"))).hasMessageContaining("fitted.stalls.perSecond");
        assertThatThrownBy(() -> ServiceStalls.fromJson(Json.parse("{\"thresholdOverMedian\":2,\"share\":0.1,\"perSecond\":1}")))
                .hasMessageContaining("fitted.stalls.excessQuantilesUs");
        assertThatThrownBy(() -> ServiceStalls.fromJson(Json.parse("{\"share\":0.1,\"perSecond\":1,\"excessQuantilesUs\":[1]}")))
                .hasMessageContaining("fitted.stalls.thresholdOverMedian");
        assertThatThrownBy(() -> ServiceStalls.fromJson(Json.parse("[1]"))).hasMessageContaining("not an object");
    }
}
