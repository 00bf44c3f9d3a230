package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.deliverycheck.producer.ProducerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench throughput} (issue 2): records/s of 100-byte records through accumulator → sender
 * → in-process broker, in real time on a {@link dev.deliverycheck.local.LocalCluster} (one broker,
 * 16 partitions, in-memory disk, default producer: {@code acks=all}, idempotent), the application
 * sending as fast as {@code send()} returns, for {@code linger.ms} 0 and 5 × {@code batch.size}
 * 16 KiB and 256 KiB. The configurations run in interleaved rounds after an unreported JVM warm-up;
 * each figure is the median over the rounds.
 */
public final class ThroughputScenario implements Benchmark {
    static final long[] LINGERS = {0, 5};
    static final int[] BATCH_SIZES = {16 * 1024, 256 * 1024};

    @Override
    public String name() {
        return "throughput";
    }

    @Override
    public String description() {
        return "records/s of 100-byte records, linger.ms 0/5 x batch.size 16/256 KiB (real time, in-process broker)";
    }

    static ProducerConfig config(long linger, int batchSize) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, batchSize);
        return ProducerConfig.of(p);
    }

    @Override
    public ScenarioReport run(BenchOptions options, Progress progress) throws IOException {
        boolean quick = options.quick();
        int rounds = quick ? 1 : 2;
        Workload base = Workload.of(1, 16, config(5, 16384), 0, quick ? 0.02 : 1.0, quick ? 0.05 : 2.0, 0,
                options.seed());
        Steps step = new Steps(name(), rounds * LINGERS.length * BATCH_SIZES.length + (quick ? 0 : 1), progress);
        if (!quick) {
            RealTimeRun.run(base);
            step.done("JVM warm-up run done (not reported)");
        }
        Map<String, List<Measurement>> runs = new LinkedHashMap<>();
        CsvTable csv = new CsvTable(Measurement.csvHeader("round", "lingerMs", "batchSize"));
        for (int round = 1; round <= rounds; round++) {
            for (long linger : LINGERS) {
                for (int batchSize : BATCH_SIZES) {
                    Measurement r = RealTimeRun.run(base.withProducer(config(linger, batchSize)));
                    runs.computeIfAbsent(key(linger, batchSize), k -> new ArrayList<>()).add(r);
                    csv.row(r.csvCells(round, linger, batchSize));
                    step.done(String.format(Locale.ROOT, "round %d linger.ms %d batch.size %d: %.0f records/s, "
                            + "%.0f records/batch", round, linger, batchSize, r.recordsPerSecond(), r.meanRecordsPerBatch()));
                }
            }
        }
        List<Config> configs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        for (long linger : LINGERS) {
            for (int batchSize : BATCH_SIZES) {
                List<Measurement> rs = runs.get(key(linger, batchSize));
                configs.add(new Config(linger, batchSize, Medians.figures(rs),
                        rs.stream().map(r -> Math.round(r.recordsPerSecond())).toList()));
                names.add(key(linger, batchSize));
                medians.add(Medians.median(rs, Measurement::recordsPerSecond));
            }
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (long linger : LINGERS) {
            ratios.put("batch256KiBvs16KiBAtLinger" + linger, perRoundRatio(runs.get(key(linger, 256 * 1024)),
                    runs.get(key(linger, 16 * 1024))));
        }
        ratios.put("linger5vs0At16KiB", perRoundRatio(runs.get(key(5, 16 * 1024)), runs.get(key(0, 16 * 1024))));
        Figures json = new Figures(name(), base.setup(),
                "real time: LocalCluster, in-memory disk, system clock; figures are medians over rounds", rounds, configs,
                ratios);

        Path dir = options.outDir();
        List<Path> files = new ArrayList<>();
        files.add(csv.write(dir.resolve("throughput.csv")));
        files.add(Charts.bars(dir.resolve("throughput.png"), String.format(Locale.ROOT,
                        "Real time, in-process broker: 100-byte records/s (median of %d rounds)", rounds),
                "thousand records/s", names,
                Map.of("records/s", medians.stream().map(v -> v / 1000.0).toList())));
        Object document = JsonFile.write(dir.resolve("throughput.json"), json, files);

        List<String> summary = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            summary.add(String.format(Locale.ROOT, "%-28s %8.0f records/s", names.get(i), medians.get(i)));
        }
        summary.add("ratios (median of per-round ratios): " + ratios);
        return new ScenarioReport(document, files, summary);
    }

    /** The scenario's JSON (before {@code files}), in this order; {@code ratios} medians of per-round ratios. */
    record Figures(String scenario, Workload.Setup setup, String mode, int rounds, List<Config> configs,
                   Map<String, Double> ratios) {
    }

    /** One linger.ms and batch.size: the medians over rounds and each round's records/s. */
    record Config(long lingerMs, int batchSize, @JsonUnwrapped Medians.Figures medians,
                  List<Long> recordsPerSecondByRound) {
    }

    static String key(long linger, int batchSize) {
        return "linger.ms=" + linger + " batch.size=" + (batchSize / 1024) + "KiB";
    }

    /** Median over rounds of a's throughput / b's throughput in the same round. */
    static double perRoundRatio(List<Measurement> a, List<Measurement> b) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = Medians.ratio(a.get(i).recordsPerSecond(), b.get(i).recordsPerSecond());
        }
        return Measurement.round(Medians.median(r), 3);
    }
}
