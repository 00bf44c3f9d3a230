package dev.deliverycheck.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table docs/bench quotes is the figures' own, one row per load. */
class PredictedVsMeasuredTableTest {
    private static PartitionersOnBroker.Load load(long rate, double predicted, double measured, boolean withStalls) {
        Measurement.LatencyRatios p = new Measurement.LatencyRatios(predicted, predicted + 0.2, predicted + 0.05);
        Measurement.LatencyRatios m = new Measurement.LatencyRatios(measured, measured, measured);
        PartitionersOnBroker.ModelRunFigures rr = new PartitionersOnBroker.ModelRunFigures(rate, 2500, 20, 1, 1, 2, 1);
        PartitionersOnBroker.ModelRunFigures us = new PartitionersOnBroker.ModelRunFigures(rate, 6000, 8, 1, 1, 2, 1);
        PartitionersOnBroker.RealRunFigures real = new PartitionersOnBroker.RealRunFigures(rate, 1200, 40, 1, 1, 2, 0,
                List.of(1.0), List.of(2.0));
        PartitionersOnBroker.RealRunFigures builtIn = new PartitionersOnBroker.RealRunFigures(rate, 4800, 10, 1, 1, 2, 0,
                List.of(1.0), List.of(2.0));
        return new PartitionersOnBroker.Load(rate,
                new PartitionersOnBroker.Predicted(p, "uniform-sticky", p, Map.of("round-robin", rr, "uniform-sticky", us)),
                new PartitionersOnBroker.Measured(m, "built-in", Map.of("round-robin", real, "built-in", builtIn)),
                new PartitionersOnBroker.PredictedMinusMeasured(new Measurement.LatencyRatios(predicted - measured,
                        predicted + 0.2 - measured, predicted + 0.05 - measured), false),
                new PartitionersOnBroker.FreeClient(p, 1, 1), null,
                withStalls ? new PartitionersOnBroker.VariantRatios(new Measurement.LatencyRatios(0.4, 0.4, 0.4), 1, 1, 1, 1)
                        : null,
                withStalls ? new PartitionersOnBroker.VariantRatios(new Measurement.LatencyRatios(0.35, 0.9, 0.6), 1, 1, 1, 1)
                        : null);
    }

    @Test
    void everyLoadIsARowOfTheFiguresOwnNumbers() {
        PartitionersOnBroker.OnBroker on = new PartitionersOnBroker.OnBroker("apache", 1, 16, 50_000, 4, 0.1,
                List.of(load(10_000, 0.9, 1.2, false), load(50_000, 0.5, 0.45, true)),
                new LoadAverage(21.4, 17.5, 10.1, 2), new LoadAverage(null, null, null, 2));
        String md = PredictedVsMeasuredTable.markdown(new PartitionersOnBroker.Figures(null, null, null, on));
        List<String> lines = md.lines().toList();
        assertThat(lines.get(0)).contains("apache, 1 broker, 16 partitions, median of 4 interleaved rounds")
                .contains("21.4 / 17.5 / 10.1 on 2 cores before, unknown after");
        assertThat(lines).contains("| 10,000/s | 0.90 / 1.10 / 0.95 | 1.20 / 1.20 / 1.20 | -0.30 / -0.10 / -0.25 | no "
                        + "| (no stall term) | (free client) | 2,500 · 6,000 | 1,200 · 4,800 |",
                "| 50,000/s | 0.50 / 0.70 / 0.55 | 0.45 / 0.45 / 0.45 | +0.05 / +0.25 / +0.10 | no "
                        + "| 0.40 / 0.40 / 0.40 | 0.35 / 0.90 / 0.60 | 2,500 · 6,000 | 1,200 · 4,800 |");
        assertThat(lines.stream().filter(l -> l.startsWith("| ")).count()).isEqualTo(3); // header and two loads
    }
}
