package dev.deliverycheck.bench;

import dev.deliverycheck.producer.DeliveryMode;
import dev.deliverycheck.producer.ProducerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench idempotence-cost} (issue 3): the throughput cost of idempotence. The
 * {@code at-least-once} and {@code idempotent} presets, otherwise identical ({@code linger.ms=5},
 * {@code batch.size=16384}, 100-byte records, unpaced), in real time on a one-broker
 * {@link dev.deliverycheck.local.LocalCluster}, run as back-to-back pairs whose order alternates;
 * the figure is the median of the per-pair ratios idempotent / at-least-once.
 */
public final class IdempotenceCostScenario implements Benchmark {
    @Override
    public String name() {
        return "idempotence-cost";
    }

    @Override
    public String description() {
        return "throughput of the idempotent producer relative to at-least-once, same load, same run (real time)";
    }

    static ProducerConfig config(DeliveryMode mode) {
        Map<String, Object> p = new LinkedHashMap<>(mode.preset());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 16384);
        return ProducerConfig.of(p);
    }

    @Override
    public ScenarioReport run(BenchOptions options, Progress progress) throws IOException {
        boolean quick = options.quick();
        int pairs = quick ? 1 : 3;
        Workload base = Workload.of(1, 16, config(DeliveryMode.IDEMPOTENT), 0, quick ? 0.02 : 0.7,
                quick ? 0.05 : 2.0, 0, options.seed());
        Steps step = new Steps(name(), 2 * pairs + (quick ? 0 : 1), progress);
        if (!quick) {
            RealTimeRun.run(base);
            step.done("JVM warm-up run done (not reported)");
        }
        List<Measurement> plain = new ArrayList<>();
        List<Measurement> idempotent = new ArrayList<>();
        CsvTable csv = new CsvTable(Measurement.csvHeader("pair", "mode"));
        double[] ratios = new double[pairs];
        for (int pair = 1; pair <= pairs; pair++) {
            List<DeliveryMode> order = pair % 2 == 1 ? List.of(DeliveryMode.AT_LEAST_ONCE, DeliveryMode.IDEMPOTENT)
                    : List.of(DeliveryMode.IDEMPOTENT, DeliveryMode.AT_LEAST_ONCE);
            for (DeliveryMode mode : order) {
                Measurement r = RealTimeRun.run(base.withProducer(config(mode)));
                (mode == DeliveryMode.IDEMPOTENT ? idempotent : plain).add(r);
                csv.row(r.csvCells(pair, mode.cliName()));
                step.done(String.format(Locale.ROOT, "pair %d %s: %.0f records/s", pair, mode.cliName(),
                        r.recordsPerSecond()));
            }
            ratios[pair - 1] = Medians.ratio(idempotent.get(pair - 1).recordsPerSecond(),
                    plain.get(pair - 1).recordsPerSecond());
        }
        double ratio = Measurement.round(Medians.median(ratios), 3);
        List<Double> perPair = new ArrayList<>();
        for (double r : ratios) {
            perPair.add(Measurement.round(r, 3));
        }
        Figures json = new Figures(name(), base.setup(),
                "real time: LocalCluster, one broker, in-memory disk; pairs run back to back, order alternating", pairs,
                Medians.figures(plain), Medians.figures(idempotent), perPair, ratio);

        Path dir = options.outDir();
        List<Path> files = new ArrayList<>();
        files.add(csv.write(dir.resolve("idempotence-cost.csv")));
        List<String> categories = new ArrayList<>();
        for (int p = 1; p <= pairs; p++) {
            categories.add("pair " + p);
        }
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("at-least-once", plain.stream().map(r -> r.recordsPerSecond() / 1000.0).toList());
        series.put("idempotent", idempotent.stream().map(r -> r.recordsPerSecond() / 1000.0).toList());
        files.add(Charts.bars(dir.resolve("idempotence-cost.png"), String.format(Locale.ROOT,
                "Real time: idempotent / at-least-once throughput, median ratio %.2f", ratio), "thousand records/s",
                categories, series));
        Object document = JsonFile.write(dir.resolve("idempotence-cost.json"), json, files);

        List<String> summary = List.of(String.format(Locale.ROOT,
                "idempotent / at-least-once throughput: %.3f (median of %d pairs; per pair %s)", ratio, pairs, perPair));
        return new ScenarioReport(document, files, summary);
    }

    /** The scenario's JSON (before {@code files}), in this order; the ratio is the median of the per-pair ratios. */
    record Figures(String scenario, Workload.Setup setup, String mode, int pairs, Medians.Figures atLeastOnce,
                   Medians.Figures idempotent, List<Double> idempotentVsAtLeastOnceByPair, double idempotentVsAtLeastOnce) {
    }
}
