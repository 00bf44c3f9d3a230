package dev.deliverycheck.bench;

import dev.deliverycheck.producer.partitioner.PartitionerType;
import dev.deliverycheck.wire.bench.BrokerUnderTest;
import dev.deliverycheck.wire.bench.PacedKafkaProducerRun;
import dev.deliverycheck.wire.bench.PacedKafkaProducerRun.Partitioner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The predicted-vs-measured half of {@code bench partitioners}: one broker, 16 partitions, keyless 100-byte
 * records, {@code acks=all}, {@code linger.ms=0}, at 10 000, 50 000 and 100 000 records/s.
 * <ul>
 *   <li><b>measured</b>: the real Kafka 4.4 {@code KafkaProducer} against a real broker (Apache Kafka 4.4 by
 *   default), its built-in partitioner (KIP-794 uniform sticky) vs its {@code RoundRobinPartitioner}, medians of
 *   per-round ratios over interleaved rounds;</li>
 *   <li><b>predicted</b>: the bench simulator with the cost model fitted to that broker ({@link Calibration}, or
 *   read from a {@code calibrate.json}), the project's uniform sticky (the same KIP-794 algorithm) vs round robin;
 *   KIP-480 sticky is reported beside it.</li>
 * </ul>
 * The model "earns its place" if predicted and measured ratios agree within {@value #TOLERANCE}.
 */
final class PartitionersOnBroker {
    static final double[] LOADS = {10_000, 50_000, 100_000};
    static final double HEADLINE_LOAD = 50_000;
    static final int PARTITIONS = 16;
    static final double TOLERANCE = 0.10;
    /** Interleaved rounds per load: ratios of one round are moved by the shared machine's load, their median less. */
    static final int ROUNDS = 4;
    private static final String TOPIC = "partitioners";

    private PartitionersOnBroker() {
    }

    /** Runs both halves and returns the JSON keys {@code fitted}, {@code predicted}, {@code measured}, {@code onBroker}. */
    static Map<String, Object> run(BenchOptions options, Progress progress, CsvTable csv) throws IOException {
        boolean quick = options.quick();
        int rounds = quick ? 1 : ROUNDS;
        double warm = quick ? 0.02 : 1.0;
        double measure = quick ? 0.05 : 3.0;
        double drain = quick ? 1.0 : 3.0;
        String target = options.brokerTarget();
        Steps step = new Steps("partitioners on-broker", (quick ? 0 : 1) + rounds * LOADS.length * 2
                + LOADS.length * 4 + 1, progress);
        Map<String, Object> out = new LinkedHashMap<>();
        Map<Double, Map<Partitioner, List<PacedKafkaProducerRun.Result>>> measured = new LinkedHashMap<>();
        CostModel model;
        Map<String, Object> fitted;
        LoadAverage loadBefore = LoadAverage.now();
        try (BrokerUnderTest broker = BrokerUnderTest.start(target)) {
            if (options.calibration() != null) {
                model = Calibration.read(options.calibration());
                fitted = new LinkedHashMap<>(model.toJson());
                // the rest of the file's fit (its error, the client fits) as written there
                Calibration.readFitted(options.calibration()).forEach((k, v) -> fitted.putIfAbsent(String.valueOf(k), v));
                fitted.put("from", options.calibration().toString());
            } else {
                Calibration.Result c = Calibration.run(broker, quick, options.seed(), progress);
                model = c.model();
                fitted = c.fitted();
            }
            step.done("cost model: " + model);
            broker.createTopic(TOPIC, PARTITIONS);
            if (!quick) {
                for (Partitioner p : Partitioner.values()) {
                    PacedKafkaProducerRun.run(broker.bootstrap(), TOPIC, p, HEADLINE_LOAD, 100, 0.5, 1.0, 1.0);
                }
                step.done("JVM warm-up runs done (not reported)");
            }
            for (int round = 1; round <= rounds; round++) {
                for (double load : LOADS) {
                    // alternate which partitioner goes first, so neither always follows the other's backlog
                    List<Partitioner> order = round % 2 == 1 ? List.of(Partitioner.ROUND_ROBIN, Partitioner.BUILT_IN)
                            : List.of(Partitioner.BUILT_IN, Partitioner.ROUND_ROBIN);
                    for (Partitioner p : order) {
                        PacedKafkaProducerRun.Result r = PacedKafkaProducerRun.run(broker.bootstrap(), TOPIC, p, load, 100,
                                warm, measure, drain);
                        measured.computeIfAbsent(load, k -> new LinkedHashMap<>()).computeIfAbsent(p, k -> new ArrayList<>()).add(r);
                        csv.row("measured-" + target, 1, Math.round(load), round, p.label(), r.recordsPerSecond(),
                                r.requestsPerSecond(), r.recordsPerRequest(), r.meanMs(), r.p50Ms(), r.p99Ms());
                        step.done(String.format(Locale.ROOT, "%s round %d %.0f rec/s %s: %.0f rec/s, %.1f rec/request, "
                                        + "p50 %.3f ms, p99 %.3f ms", target, round, load, p.label(), r.recordsPerSecond(),
                                r.recordsPerRequest(), r.p50Ms(), r.p99Ms()));
                    }
                }
            }
        }
        Map<Double, Map<PartitionerType, Measurement>> predicted = new LinkedHashMap<>();
        Map<Double, Map<PartitionerType, Measurement>> freeClient = new LinkedHashMap<>();
        Map<Double, Map<PartitionerType, Measurement>> wallClient = new LinkedHashMap<>();
        CostModel wallModel = ClientCalibration.withClientWallExcess(model, fitted);
        for (double load : LOADS) {
            Workload w = Workload.of(1, PARTITIONS, PartitionersScenario.config(PartitionerType.ROUND_ROBIN), load,
                    quick ? 0.005 : 0.2, quick ? 0.01 : 1.0, quick ? 0.05 : 2.0, options.seed());
            for (PartitionerType p : PartitionersScenario.PARTITIONERS) {
                Measurement m = ModelRun.run(w.withProducer(PartitionersScenario.config(p)), model);
                predicted.computeIfAbsent(load, k -> new LinkedHashMap<>()).put(p, m);
                csv.row("predicted", 1, Math.round(load), 1, p.configName(), m.recordsPerSecond(), m.requestsPerSecond(),
                        m.batchesPerRequest() * m.meanRecordsPerBatch(), m.meanLatencyMs(), m.latencyMs(50), m.latencyMs(99));
                step.done(String.format(Locale.ROOT, "model (fitted), %.0f rec/s %s: %s", load, p.configName(),
                        PartitionersScenario.brief(m)));
            }
            // The same without the client term: what the broker constants alone predict.
            for (PartitionerType p : List.of(PartitionerType.ROUND_ROBIN, PartitionerType.UNIFORM_STICKY)) {
                Measurement m = ModelRun.run(w.withProducer(PartitionersScenario.config(p)), model.withoutClientCost());
                freeClient.computeIfAbsent(load, k -> new LinkedHashMap<>()).put(p, m);
                csv.row("predicted-free-client", 1, Math.round(load), 1, p.configName(), m.recordsPerSecond(),
                        m.requestsPerSecond(), m.batchesPerRequest() * m.meanRecordsPerBatch(), m.meanLatencyMs(),
                        m.latencyMs(50), m.latencyMs(99));
            }
            step.done(String.format(Locale.ROOT, "model (fitted, free client), %.0f rec/s", load));
            // The client terms fitted to elapsed time (CPU time plus the waits for a core on this loaded machine).
            for (PartitionerType p : wallModel == null ? List.<PartitionerType>of()
                    : List.of(PartitionerType.ROUND_ROBIN, PartitionerType.UNIFORM_STICKY)) {
                Measurement m = ModelRun.run(w.withProducer(PartitionersScenario.config(p)), wallModel);
                wallClient.computeIfAbsent(load, k -> new LinkedHashMap<>()).put(p, m);
                csv.row("predicted-client-wall-time", 1, Math.round(load), 1, p.configName(), m.recordsPerSecond(),
                        m.requestsPerSecond(), m.batchesPerRequest() * m.meanRecordsPerBatch(), m.meanLatencyMs(),
                        m.latencyMs(50), m.latencyMs(99));
            }
        }
        List<Object> loads = new ArrayList<>();
        for (double load : LOADS) {
            Map<String, Object> l = loadJson(load, predicted.get(load), measured.get(load));
            Map<PartitionerType, Measurement> f = freeClient.get(load);
            Map<String, Object> free = new LinkedHashMap<>();
            free.put("stickyVsRoundRobinP50", ratio(f.get(PartitionerType.UNIFORM_STICKY).latencyMs(50),
                    f.get(PartitionerType.ROUND_ROBIN).latencyMs(50)));
            free.put("stickyVsRoundRobinP99", ratio(f.get(PartitionerType.UNIFORM_STICKY).latencyMs(99),
                    f.get(PartitionerType.ROUND_ROBIN).latencyMs(99)));
            free.put("stickyVsRoundRobinMean", ratio(f.get(PartitionerType.UNIFORM_STICKY).meanLatencyMs(),
                    f.get(PartitionerType.ROUND_ROBIN).meanLatencyMs()));
            free.put("requestsPerSecondRoundRobin", Math.round(f.get(PartitionerType.ROUND_ROBIN).requestsPerSecond()));
            free.put("requestsPerSecondSticky", Math.round(f.get(PartitionerType.UNIFORM_STICKY).requestsPerSecond()));
            l.put("predictedWithFreeClient", free);
            if (wallClient.containsKey(load)) {
                l.put("predictedWithClientWallTime", variantRatios(wallClient.get(load)));
            }
            loads.add(l);
        }
        out.put("fitted", fitted);
        Map<String, Object> headline = loadJson(HEADLINE_LOAD, predicted.get(HEADLINE_LOAD), measured.get(HEADLINE_LOAD));
        out.put("predicted", headline.get("predicted"));
        out.put("measured", headline.get("measured"));
        Map<String, Object> on = new LinkedHashMap<>();
        on.put("broker", target);
        on.put("brokers", 1);
        on.put("partitions", PARTITIONS);
        on.put("headlineLoad", Math.round(HEADLINE_LOAD));
        on.put("rounds", rounds);
        on.put("tolerance", TOLERANCE);
        on.put("loads", loads);
        on.put("loadAverageBefore", loadBefore);
        on.put("loadAverageAfter", LoadAverage.now());
        out.put("onBroker", on);
        return out;
    }

    private static Map<String, Object> loadJson(double load, Map<PartitionerType, Measurement> model,
                                                Map<Partitioner, List<PacedKafkaProducerRun.Result>> real) {
        Measurement rr = model.get(PartitionerType.ROUND_ROBIN);
        Measurement uniform = model.get(PartitionerType.UNIFORM_STICKY);
        Measurement sticky = model.get(PartitionerType.STICKY);
        Map<String, Object> predicted = new LinkedHashMap<>();
        Measurement.putLatencyRatios(predicted, "stickyVsRoundRobin", uniform, rr);
        predicted.put("partitioner", "uniform-sticky (KIP-794, the algorithm of Kafka 4.4's built-in partitioner)");
        Measurement.putLatencyRatios(predicted, "kip480StickyVsRoundRobin", sticky, rr);
        Map<String, Object> runs = new LinkedHashMap<>();
        model.forEach((p, m) -> runs.put(p.configName(), modelFigures(m)));
        predicted.put("runs", runs);

        List<PacedKafkaProducerRun.Result> rrReal = real.get(Partitioner.ROUND_ROBIN);
        List<PacedKafkaProducerRun.Result> builtIn = real.get(Partitioner.BUILT_IN);
        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("stickyVsRoundRobinP50", roundRatio(builtIn, rrReal, 50));
        measured.put("stickyVsRoundRobinP99", roundRatio(builtIn, rrReal, 99));
        measured.put("stickyVsRoundRobinMean", roundRatio(builtIn, rrReal, -1));
        measured.put("partitioner", "KafkaProducer 4.4 built-in (uniform sticky) vs RoundRobinPartitioner");
        Map<String, Object> realRuns = new LinkedHashMap<>();
        real.forEach((p, rs) -> realRuns.put(p.label(), realFigures(rs)));
        measured.put("runs", realRuns);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recordsPerSecondOffered", Math.round(load));
        m.put("predicted", predicted);
        m.put("measured", measured);
        Map<String, Object> error = new LinkedHashMap<>();
        boolean within = true;
        for (String k : List.of("stickyVsRoundRobinP50", "stickyVsRoundRobinP99", "stickyVsRoundRobinMean")) {
            double d = (Double) predicted.get(k) - (Double) measured.get(k);
            error.put(k, Measurement.round(d, 3));
            within &= Math.abs(d) <= TOLERANCE;
        }
        error.put("withinTolerance", within);
        m.put("predictedMinusMeasured", error);
        return m;
    }

    /** Uniform sticky / round robin ratios of a model variant, and both request rates. */
    private static Map<String, Object> variantRatios(Map<PartitionerType, Measurement> runs) {
        Measurement rr = runs.get(PartitionerType.ROUND_ROBIN);
        Measurement us = runs.get(PartitionerType.UNIFORM_STICKY);
        Map<String, Object> v = new LinkedHashMap<>();
        Measurement.putLatencyRatios(v, "stickyVsRoundRobin", us, rr);
        v.put("requestsPerSecondRoundRobin", Math.round(rr.requestsPerSecond()));
        v.put("requestsPerSecondSticky", Math.round(us.requestsPerSecond()));
        v.put("p50MsRoundRobin", Measurement.round(rr.latencyMs(50), 3));
        v.put("p50MsSticky", Measurement.round(us.latencyMs(50), 3));
        return v;
    }

    private static Map<String, Object> modelFigures(Measurement m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("recordsPerSecond", Math.round(m.recordsPerSecond()));
        f.put("requestsPerSecond", Math.round(m.requestsPerSecond()));
        f.put("recordsPerRequest", Measurement.round(m.batchesPerRequest() * m.meanRecordsPerBatch(), 2));
        f.put("meanMs", Measurement.round(m.meanLatencyMs(), 3));
        f.put("p50Ms", Measurement.round(m.latencyMs(50), 3));
        f.put("p99Ms", Measurement.round(m.latencyMs(99), 3));
        f.put("brokerBusy", Measurement.round(m.maxBrokerBusyShare(), 3));
        return f;
    }

    private static Map<String, Object> realFigures(List<PacedKafkaProducerRun.Result> rs) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("recordsPerSecond", Math.round(median(rs, PacedKafkaProducerRun.Result::recordsPerSecond)));
        f.put("requestsPerSecond", Math.round(median(rs, PacedKafkaProducerRun.Result::requestsPerSecond)));
        f.put("recordsPerRequest", Measurement.round(median(rs, PacedKafkaProducerRun.Result::recordsPerRequest), 2));
        f.put("meanMs", Measurement.round(median(rs, PacedKafkaProducerRun.Result::meanMs), 3));
        f.put("p50Ms", Measurement.round(median(rs, PacedKafkaProducerRun.Result::p50Ms), 3));
        f.put("p99Ms", Measurement.round(median(rs, PacedKafkaProducerRun.Result::p99Ms), 3));
        f.put("failed", rs.stream().mapToLong(PacedKafkaProducerRun.Result::failed).sum());
        f.put("p50MsByRound", rs.stream().map(r -> Measurement.round(r.p50Ms(), 3)).toList());
        f.put("p99MsByRound", rs.stream().map(r -> Measurement.round(r.p99Ms(), 3)).toList());
        return f;
    }

    private static double median(List<PacedKafkaProducerRun.Result> rs,
                                 java.util.function.ToDoubleFunction<PacedKafkaProducerRun.Result> f) {
        return Medians.median(rs.stream().mapToDouble(f).toArray());
    }

    /** Median over rounds of the per-round ratio (-1: the mean). */
    private static double roundRatio(List<PacedKafkaProducerRun.Result> a, List<PacedKafkaProducerRun.Result> b,
                                     double percentile) {
        double[] ratios = new double[a.size()];
        for (int i = 0; i < a.size(); i++) {
            PacedKafkaProducerRun.Result x = a.get(i);
            PacedKafkaProducerRun.Result y = b.get(i);
            ratios[i] = percentile < 0 ? Medians.ratio(x.meanMs(), y.meanMs())
                    : percentile == 50 ? Medians.ratio(x.p50Ms(), y.p50Ms()) : Medians.ratio(x.p99Ms(), y.p99Ms());
        }
        return Measurement.round(Medians.median(ratios), 3);
    }

    private static double ratio(double a, double b) {
        return Measurement.round(Medians.ratio(a, b), 3);
    }

    /** Bars of the sticky / round-robin ratios, predicted vs measured, at each load. */
    @SuppressWarnings("unchecked")
    static Path chart(Path file, Map<String, Object> json) throws IOException {
        List<Object> loads = (List<Object>) ((Map<String, Object>) json.get("onBroker")).get("loads");
        List<String> categories = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (Object o : loads) {
            Map<String, Object> l = (Map<String, Object>) o;
            categories.add(String.format(Locale.ROOT, "%,d rec/s", (Long) l.get("recordsPerSecondOffered")));
            for (String side : List.of("predicted", "measured")) {
                Map<String, Object> r = (Map<String, Object>) l.get(side);
                for (String pct : List.of("P50", "P99", "Mean")) {
                    series.computeIfAbsent(side + " " + pct.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add((Double) r.get("stickyVsRoundRobin" + pct));
                }
            }
        }
        return Charts.bars(file, "Built-in (uniform sticky) / round robin latency, one broker, 16 partitions: "
                + "fitted model vs real client", "ratio", categories, series);
    }

    @SuppressWarnings("unchecked")
    static String summary(Map<String, Object> json) {
        Map<String, Object> p = (Map<String, Object>) json.get("predicted");
        Map<String, Object> m = (Map<String, Object>) json.get("measured");
        Map<String, Object> on = (Map<String, Object>) json.get("onBroker");
        return String.format(Locale.ROOT, "one broker (%s), %.0f rec/s, built-in/round-robin: predicted p50 %.2f, p99 %.2f, "
                        + "mean %.2f; measured p50 %.2f, p99 %.2f, mean %.2f", on.get("broker"), HEADLINE_LOAD,
                p.get("stickyVsRoundRobinP50"), p.get("stickyVsRoundRobinP99"), p.get("stickyVsRoundRobinMean"),
                m.get("stickyVsRoundRobinP50"), m.get("stickyVsRoundRobinP99"), m.get("stickyVsRoundRobinMean"));
    }
}
