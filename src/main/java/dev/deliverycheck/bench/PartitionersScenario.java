package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.partitioner.PartitionerType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench partitioners}: the seed's claim that the sticky partitioner (KIP-480) cuts latency
 * by 30 % or more against round robin. Keyless records at a constant rate through round robin,
 * sticky and uniform sticky (KIP-794), with KIP-480's setup ({@code acks=all},
 * {@code linger.ms=0}, 16 partitions over 3 brokers), in the bench simulator at two loads (and on
 * one broker, the shape of the real-Kafka reference measurement), plus a sensitivity sweep of the
 * cost model's per-batch term, and in real time on a {@link dev.deliverycheck.local.LocalCluster}.
 * Same seed and same load for every partitioner.
 */
public final class PartitionersScenario implements Benchmark {
    static final List<PartitionerType> PARTITIONERS =
            List.of(PartitionerType.ROUND_ROBIN, PartitionerType.STICKY, PartitionerType.UNIFORM_STICKY);
    /** Offered loads, records/s; the last is the reference load of the headline ratios. */
    static final double[] LOADS = {10_000, 50_000};
    static final double REFERENCE_LOAD = 50_000;
    /** Per-batch costs (µs) of the sensitivity sweep; the default model's value is among them. */
    static final double[] PER_BATCH_US = {0, 15, 50, 150};
    /** The seed's claim: at least this much lower latency than round robin. */
    static final double CLAIMED_REDUCTION = 0.30;

    @Override
    public String name() {
        return "partitioners";
    }

    @Override
    public String description() {
        return "round robin vs sticky (KIP-480) vs uniform sticky (KIP-794): requests, batch fill and latency "
                + "at a constant load, in the model and in real time";
    }

    static ProducerConfig config(PartitionerType partitioner) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.PARTITIONER_CONFIG, partitioner.configName());
        return ProducerConfig.of(p);
    }

    @Override
    public ScenarioReport run(BenchOptions options, Progress progress) throws IOException {
        boolean quick = options.quick();
        Workload model = Workload.of(3, 16, config(PartitionerType.ROUND_ROBIN), REFERENCE_LOAD,
                quick ? 0.005 : 0.2, quick ? 0.01 : 1.0, quick ? 0.05 : 2.0, options.seed());
        Workload real = Workload.of(3, 16, config(PartitionerType.ROUND_ROBIN), REFERENCE_LOAD,
                quick ? 0.01 : 0.5, quick ? 0.02 : 2.0, 0, options.seed());
        int rounds = quick ? 1 : 4;
        int steps = 2 * LOADS.length * PARTITIONERS.size() + PER_BATCH_US.length * 2
                + rounds * PARTITIONERS.size() + (quick ? 0 : 1);
        Steps step = new Steps(name(), steps, progress);

        CsvTable csv = new CsvTable(Measurement.csvHeader("mode", "brokers", "offeredRecordsPerSecond", "round",
                "partitioner"));
        // The model, at each load.
        List<ModelLoad> modelLoads = new ArrayList<>();
        Map<PartitionerType, Measurement> atReference = new LinkedHashMap<>();
        for (double load : LOADS) {
            Map<PartitionerType, Measurement> results = new LinkedHashMap<>();
            for (PartitionerType p : PARTITIONERS) {
                Measurement r = ModelRun.run(model.withRate(load).withProducer(config(p)), CostModel.DEFAULT);
                results.put(p, r);
                csv.row(r.csvCells("model", model.brokers(), Math.round(load), 1, p.configName()));
                step.done(String.format(Locale.ROOT, "model %.0f rec/s %s: %s", load, p.configName(), brief(r)));
            }
            modelLoads.add(loadJson(load, results));
            if (load == REFERENCE_LOAD) {
                atReference = results;
            }
        }

        // The same on one broker: the shape of the real-Kafka reference measurement.
        Workload single = new Workload(1, model.partitions(), model.producer(), model.recordsPerSecond(),
                model.valueBytes(), model.keyed(), 0, model.warmupSeconds(), model.measureSeconds(),
                model.drainSeconds(), model.seed());
        List<ModelLoad> singleLoads = new ArrayList<>();
        Map<PartitionerType, Measurement> singleAtReference = new LinkedHashMap<>();
        for (double load : LOADS) {
            Map<PartitionerType, Measurement> results = new LinkedHashMap<>();
            for (PartitionerType p : PARTITIONERS) {
                Measurement r = ModelRun.run(single.withRate(load).withProducer(config(p)), CostModel.DEFAULT);
                results.put(p, r);
                csv.row(r.csvCells("model", 1, Math.round(load), 1, p.configName()));
                step.done(String.format(Locale.ROOT, "model, one broker, %.0f rec/s %s: %s", load, p.configName(),
                        brief(r)));
            }
            singleLoads.add(loadJson(load, results));
            if (load == REFERENCE_LOAD) {
                singleAtReference = results;
            }
        }
        ModelFigures modelFigures = new ModelFigures(Math.round(REFERENCE_LOAD), modelLoads,
                new SingleBroker(1, singleLoads));
        Measurement rr = atReference.get(PartitionerType.ROUND_ROBIN);
        Measurement sticky = atReference.get(PartitionerType.STICKY);
        Measurement uniform = atReference.get(PartitionerType.UNIFORM_STICKY);
        ModelRatios atReferenceRatios = new ModelRatios(Measurement.LatencyRatios.of(sticky, rr),
                ratio(uniform.latencyMs(50), rr.latencyMs(50)), ratio(uniform.latencyMs(99), rr.latencyMs(99)));

        // How the model's answer depends on its per-batch term.
        CsvTable sensitivityCsv = new CsvTable(Measurement.csvHeader("perBatchUs", "partitioner"));
        List<Sensitivity> sensitivity = new ArrayList<>();
        List<Double> x = new ArrayList<>();
        List<Double> p50Ratios = new ArrayList<>();
        List<Double> p99Ratios = new ArrayList<>();
        for (double perBatch : PER_BATCH_US) {
            CostModel cost = new CostModel(CostModel.DEFAULT.oneWayLatencyUs(), CostModel.DEFAULT.perRequestUs(),
                    perBatch, CostModel.DEFAULT.perByteNs());
            Measurement a = ModelRun.run(model.withProducer(config(PartitionerType.ROUND_ROBIN)), cost);
            step.done(String.format(Locale.ROOT, "sensitivity perBatchUs=%.0f round-robin: %s", perBatch, brief(a)));
            Measurement b = ModelRun.run(model.withProducer(config(PartitionerType.STICKY)), cost);
            step.done(String.format(Locale.ROOT, "sensitivity perBatchUs=%.0f sticky: %s", perBatch, brief(b)));
            sensitivityCsv.row(a.csvCells(perBatch, PartitionerType.ROUND_ROBIN.configName()));
            sensitivityCsv.row(b.csvCells(perBatch, PartitionerType.STICKY.configName()));
            sensitivity.add(new Sensitivity(perBatch, Measurement.LatencyRatios.of(b, a)));
            x.add(perBatch);
            p50Ratios.add(ratio(b.latencyMs(50), a.latencyMs(50)));
            p99Ratios.add(ratio(b.latencyMs(99), a.latencyMs(99)));
        }

        // Real time, at the reference load, in interleaved rounds.
        if (!quick) {
            RealTimeRun.run(real.withProducer(config(PartitionerType.STICKY)));
            step.done("real time: JVM warm-up run done (not reported)");
        }
        Map<PartitionerType, List<Measurement>> realRuns = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (PartitionerType p : PARTITIONERS) {
                Measurement r = RealTimeRun.run(real.withProducer(config(p)));
                realRuns.computeIfAbsent(p, k -> new ArrayList<>()).add(r);
                csv.row(r.csvCells("real-time", real.brokers(), Math.round(REFERENCE_LOAD), round, p.configName()));
                step.done(String.format(Locale.ROOT, "real time round %d %.0f rec/s %s: %s", round, REFERENCE_LOAD,
                        p.configName(), brief(r)));
            }
        }
        RealTime realJson = realTime(real.setup(), rounds, realRuns);

        Measurement rr1 = singleAtReference.get(PartitionerType.ROUND_ROBIN);
        Measurement sticky1 = singleAtReference.get(PartitionerType.STICKY);
        Measurement.LatencyRatios realSticky = realJson.sticky();
        Measurement.LatencyRatios modelSticky = atReferenceRatios.sticky();
        SeedClaim seedClaim = new SeedClaim(CLAIMED_REDUCTION,
                claimJson(modelSticky.p50(), modelSticky.p99(), modelSticky.mean()),
                claimJson(ratio(sticky1.latencyMs(50), rr1.latencyMs(50)), ratio(sticky1.latencyMs(99), rr1.latencyMs(99)),
                        ratio(sticky1.meanLatencyMs(), rr1.meanLatencyMs())),
                claimJson(realSticky.p50(), realSticky.p99(), realSticky.mean()));

        // Predicted (the model with constants fitted to a real broker) vs measured (the real client on it).
        CsvTable brokerCsv = new CsvTable("source", "brokers", "offeredRecordsPerSecond", "round", "partitioner",
                "recordsPerSecond", "requestsPerSecond", "recordsPerRequest", "meanMs", "p50Ms", "p99Ms");
        PartitionersOnBroker.Figures onBroker = PartitionersOnBroker.run(options, progress, brokerCsv);
        Figures json = new Figures(name(), model.setup(), CostModel.DEFAULT, modelFigures, atReferenceRatios,
                sensitivity, realJson, seedClaim, onBroker);

        // Files.
        Path dir = options.outDir();
        List<Path> files = new ArrayList<>();
        files.add(brokerCsv.write(dir.resolve("partitioners-broker.csv")));
        files.add(PartitionersOnBroker.chart(dir.resolve("partitioners-broker.png"), onBroker));
        files.add(PredictedVsMeasuredTable.write(dir.resolve("partitioners-broker.md"), onBroker));
        files.add(csv.write(dir.resolve("partitioners.csv")));
        files.add(sensitivityCsv.write(dir.resolve("partitioners-sensitivity.csv")));
        files.add(Charts.bars(dir.resolve("partitioners.png"),
                String.format(Locale.ROOT, "Model: send-to-ack latency at %.0f records/s (3 brokers, 16 partitions, linger.ms=0)",
                        REFERENCE_LOAD), "latency (ms)", names(), percentileSeries(atReference)));
        Map<String, List<Double>> realSeries = new LinkedHashMap<>();
        Map<PartitionerType, List<Measurement>> realAtReference = realRuns;
        realSeries.put("p50", medianSeries(realAtReference, 50));
        realSeries.put("p99", medianSeries(realAtReference, 99));
        realSeries.put("p99.9", medianSeries(realAtReference, 99.9));
        files.add(Charts.bars(dir.resolve("partitioners-realtime.png"),
                String.format(Locale.ROOT, "Real time (in-process): latency at %.0f records/s, median of %d rounds",
                        REFERENCE_LOAD, rounds), "latency (ms)", names(), realSeries));
        files.add(Charts.lines(dir.resolve("partitioners-sensitivity.png"),
                String.format(Locale.ROOT, "Model: sticky / round robin latency vs per-batch cost (%.0f records/s)",
                        REFERENCE_LOAD), "perBatchUs (broker time per partition in a request)", "sticky / round robin",
                List.of(new Charts.Line("p50", toArray(x), toArray(p50Ratios)),
                        new Charts.Line("p99", toArray(x), toArray(p99Ratios)),
                        new Charts.Line("seed claim (0.70)", toArray(x), constant(x.size(), 1 - CLAIMED_REDUCTION))),
                false, false));
        Object document = JsonFile.write(dir.resolve("partitioners.json"), json, files);

        List<String> summary = new ArrayList<>();
        summary.add(String.format(Locale.ROOT, "model at %.0f rec/s: sticky/round-robin p50 %.2f, p99 %.2f, mean %.2f; "
                        + "uniform-sticky/round-robin p50 %.2f, p99 %.2f", REFERENCE_LOAD, modelSticky.p50(),
                modelSticky.p99(), modelSticky.mean(), atReferenceRatios.uniformStickyVsRoundRobinP50(),
                atReferenceRatios.uniformStickyVsRoundRobinP99()));
        summary.add(String.format(Locale.ROOT, "model, one broker, at %.0f rec/s: sticky/round-robin p50 %.2f, p99 %.2f, "
                        + "mean %.2f", REFERENCE_LOAD, ratio(sticky1.latencyMs(50), rr1.latencyMs(50)),
                ratio(sticky1.latencyMs(99), rr1.latencyMs(99)), ratio(sticky1.meanLatencyMs(), rr1.meanLatencyMs())));
        summary.add(String.format(Locale.ROOT, "real time at %.0f rec/s (median of %d rounds): sticky/round-robin "
                        + "p50 %.2f, p99 %.2f, mean %.2f", REFERENCE_LOAD, rounds, realSticky.p50(),
                realSticky.p99(), realSticky.mean()));
        summary.add(PartitionersOnBroker.summary(onBroker));
        return new ScenarioReport(document, files, summary);
    }

    /**
     * The scenario's JSON (before {@code files}), in this order: the setup and the default cost model, the model's
     * figures, its ratios at the reference load (as top-level keys), the sensitivity sweep, real time, the seed's
     * claim, then the real-broker half ({@code fitted}, {@code predicted}, {@code measured}, {@code onBroker}).
     */
    record Figures(String scenario, Workload.Setup setup, CostModel costModel, ModelFigures model,
                   @JsonUnwrapped ModelRatios atReference, List<Sensitivity> sensitivity, RealTime realTime,
                   SeedClaim seedClaim, @JsonUnwrapped PartitionersOnBroker.Figures onBroker) {
    }

    /** Against the seed's claim: the reductions sticky / round robin gives, and whether each reaches the claim. */
    record Claim(double p50Reduction, double p99Reduction, double meanReduction, boolean reachedAtP50,
                 boolean reachedAtP99, boolean reachedAtMean) {
    }

    private static Claim claimJson(double p50, double p99, double mean) {
        return new Claim(Measurement.round(1 - p50, 3), Measurement.round(1 - p99, 3), Measurement.round(1 - mean, 3),
                1 - p50 >= CLAIMED_REDUCTION, 1 - p99 >= CLAIMED_REDUCTION, 1 - mean >= CLAIMED_REDUCTION);
    }

    /** The model's figures: per load with the brokers of the setup, and the same with one broker. */
    record ModelFigures(long referenceLoad, List<ModelLoad> loads, SingleBroker singleBroker) {
    }

    /** The model with one broker. */
    record SingleBroker(int brokers, List<ModelLoad> loads) {
    }

    /** One offered load in the model: each partitioner's figures, by name, and the latency ratios to round robin. */
    record ModelLoad(long recordsPerSecondOffered, Map<String, Measurement.Figures> partitioners, ModelRatios ratios) {
    }

    /** Sticky's p50, p99 and mean latency over round robin's, then uniform sticky's p50 and p99 (model or real time). */
    record ModelRatios(@JsonUnwrapped(prefix = "stickyVsRoundRobin") Measurement.LatencyRatios sticky,
                       double uniformStickyVsRoundRobinP50, double uniformStickyVsRoundRobinP99) {
    }

    /** One per-batch cost of the sensitivity sweep: sticky's latency over round robin's. */
    record Sensitivity(double perBatchUs,
                       @JsonUnwrapped(prefix = "stickyVsRoundRobin") Measurement.LatencyRatios ratios) {
    }

    private static ModelLoad loadJson(double load, Map<PartitionerType, Measurement> results) {
        Map<String, Measurement.Figures> per = new LinkedHashMap<>();
        results.forEach((p, r) -> per.put(p.configName(), r.figures()));
        Measurement rr = results.get(PartitionerType.ROUND_ROBIN);
        Measurement sticky = results.get(PartitionerType.STICKY);
        Measurement uniform = results.get(PartitionerType.UNIFORM_STICKY);
        return new ModelLoad(Math.round(load), per, new ModelRatios(Measurement.LatencyRatios.of(sticky, rr),
                ratio(uniform.latencyMs(50), rr.latencyMs(50)), ratio(uniform.latencyMs(99), rr.latencyMs(99))));
    }

    /**
     * The real-time runs at the reference load: each partitioner's medians over rounds, the ratios to round robin
     * (medians of per-round ratios), and sticky's three again at the top.
     */
    record RealTime(Workload.Setup setup, int rounds, Map<String, Medians.Figures> partitioners, ModelRatios ratios,
                    @JsonUnwrapped(prefix = "stickyVsRoundRobin") Measurement.LatencyRatios sticky) {
    }

    /** The seed's claim (30 % lower latency) against the model with the setup's brokers, with one, and real time. */
    record SeedClaim(double claimedReduction, Claim model, Claim modelOneBroker, Claim realTime) {
    }

    private static RealTime realTime(Workload.Setup setup, int rounds, Map<PartitionerType, List<Measurement>> runs) {
        Map<String, Medians.Figures> per = new LinkedHashMap<>();
        runs.forEach((p, r) -> per.put(p.configName(), Medians.figures(r)));
        List<Measurement> rr = runs.get(PartitionerType.ROUND_ROBIN);
        List<Measurement> sticky = runs.get(PartitionerType.STICKY);
        List<Measurement> uniform = runs.get(PartitionerType.UNIFORM_STICKY);
        Measurement.LatencyRatios stickyRatios = new Measurement.LatencyRatios(roundRatio(sticky, rr, 50),
                roundRatio(sticky, rr, 99), roundRatio(sticky, rr, -1));
        return new RealTime(setup, rounds, per, new ModelRatios(stickyRatios, roundRatio(uniform, rr, 50),
                roundRatio(uniform, rr, 99)), stickyRatios);
    }

    /** Median over rounds of the per-round ratio of a percentile (-1: the mean). */
    private static double roundRatio(List<Measurement> a, List<Measurement> b, double percentile) {
        double[] ratios = new double[a.size()];
        for (int i = 0; i < a.size(); i++) {
            ratios[i] = percentile < 0 ? Medians.ratio(a.get(i).meanLatencyMs(), b.get(i).meanLatencyMs())
                    : Medians.ratio(a.get(i).latencyMs(percentile), b.get(i).latencyMs(percentile));
        }
        return Measurement.round(Medians.median(ratios), 3);
    }

    private static double ratio(double a, double b) {
        return Measurement.round(Medians.ratio(a, b), 3);
    }

    private static List<String> names() {
        return PARTITIONERS.stream().map(PartitionerType::configName).toList();
    }

    private static Map<String, List<Double>> percentileSeries(Map<PartitionerType, Measurement> results) {
        Map<String, List<Double>> s = new LinkedHashMap<>();
        s.put("p50", PARTITIONERS.stream().map(p -> results.get(p).latencyMs(50)).toList());
        s.put("p99", PARTITIONERS.stream().map(p -> results.get(p).latencyMs(99)).toList());
        s.put("p99.9", PARTITIONERS.stream().map(p -> results.get(p).latencyMs(99.9)).toList());
        return s;
    }

    private static List<Double> medianSeries(Map<PartitionerType, List<Measurement>> runs, double percentile) {
        return PARTITIONERS.stream().map(p -> Medians.median(runs.get(p), r -> r.latencyMs(percentile))).toList();
    }

    static String brief(Measurement r) {
        return String.format(Locale.ROOT, "%.0f rec/s, %.1f rec/batch, p50 %.3f ms, p99 %.3f ms", r.recordsPerSecond(),
                r.meanRecordsPerBatch(), r.latencyMs(50), r.latencyMs(99));
    }

    static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double[] constant(int n, double value) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
