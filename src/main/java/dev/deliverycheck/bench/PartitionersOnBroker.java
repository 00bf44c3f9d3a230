package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deliverycheck.json.Json;
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
 *   read from a {@code calibrate.json}), the project's uniform sticky (the same KIP-794 algorithm) vs round robin,
 *   with the broker's stalls when the calibration fitted them ({@link ServiceStalls}; {@code predictedWithoutStalls}
 *   beside it); KIP-480 sticky is reported beside it. The client and the broker run on this one host, so the
 *   prediction spends the client's sender time on the broker's core ({@link CostModel#clientOnBrokerCore()}, issue
 *   19's p50 term; {@code predictedWithClientOnOwnCore} beside it is the model of runs 1-8, whose sender had a core
 *   of its own).</li>
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

    /** Runs both halves and returns their figures (the JSON keys {@code fitted}, {@code predicted}, {@code measured}, {@code onBroker}). */
    static Figures run(BenchOptions options, Progress progress, CsvTable csv) throws IOException {
        boolean quick = options.quick();
        int rounds = quick ? 1 : ROUNDS;
        double warm = quick ? 0.02 : 1.0;
        double measure = quick ? 0.05 : 3.0;
        double drain = quick ? 1.0 : 3.0;
        String target = options.brokerTarget();
        Steps step = new Steps("partitioners on-broker", (quick ? 0 : 1) + rounds * LOADS.length * 2
                + LOADS.length * 6 + 1, progress);
        Map<Double, Map<Partitioner, List<PacedKafkaProducerRun.Result>>> measured = new LinkedHashMap<>();
        CostModel model;
        Object fitted;
        CostModel wallModel;
        LoadAverage loadBefore = LoadAverage.now();
        try (BrokerUnderTest broker = BrokerUnderTest.start(target)) {
            if (options.calibration() != null) {
                model = Calibration.read(options.calibration());
                // The model's terms as read, then the rest of the file's fit (its error, the client fits) as written
                // there, whatever version of calibrate wrote it: a JSON tree passed through, not a typed record.
                ObjectNode fromFile = Json.MAPPER.valueToTree(model);
                Json.MAPPER.<ObjectNode>valueToTree(Calibration.readFitted(options.calibration())).fields()
                        .forEachRemaining(e -> {
                            if (!fromFile.has(e.getKey())) {
                                fromFile.set(e.getKey(), e.getValue());
                            }
                        });
                fromFile.put("from", options.calibration().toString());
                fitted = fromFile;
                wallModel = ClientCalibration.withClientWallExcess(model, fromFile);
            } else {
                Calibration.Result c = Calibration.run(broker, quick, options.seed(), progress);
                model = c.model();
                fitted = c.fitted();
                wallModel = ClientCalibration.withClientWallExcess(model, c.fitted().clientWallExcess());
            }
            // the broker is a child process of this host: the client's sender shares its cores (the p50 term)
            model = model.withClientOnBrokerCore(true);
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
        Map<Double, Map<PartitionerType, Measurement>> noStalls = new LinkedHashMap<>();
        Map<Double, Map<PartitionerType, Measurement>> ownCore = new LinkedHashMap<>();
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
            // The same without the stall term: the model before it had one (its p99 ratio is its p50 ratio).
            for (PartitionerType p : model.hasStalls() ? List.of(PartitionerType.ROUND_ROBIN, PartitionerType.UNIFORM_STICKY)
                    : List.<PartitionerType>of()) {
                Measurement m = ModelRun.run(w.withProducer(PartitionersScenario.config(p)), model.withStalls(null));
                noStalls.computeIfAbsent(load, k -> new LinkedHashMap<>()).put(p, m);
                csv.row("predicted-without-stalls", 1, Math.round(load), 1, p.configName(), m.recordsPerSecond(),
                        m.requestsPerSecond(), m.batchesPerRequest() * m.meanRecordsPerBatch(), m.meanLatencyMs(),
                        m.latencyMs(50), m.latencyMs(99));
            }
            step.done(String.format(Locale.ROOT, "model (fitted, %s), %.0f rec/s",
                    model.hasStalls() ? "without stalls" : "no stall term fitted", load));
            // The same with the sender on a core of its own, in parallel with the broker: the model of runs 1-8.
            for (PartitionerType p : model.hasClientCost() ? List.of(PartitionerType.ROUND_ROBIN, PartitionerType.UNIFORM_STICKY)
                    : List.<PartitionerType>of()) {
                Measurement m = ModelRun.run(w.withProducer(PartitionersScenario.config(p)),
                        model.withClientOnBrokerCore(false));
                ownCore.computeIfAbsent(load, k -> new LinkedHashMap<>()).put(p, m);
                csv.row("predicted-client-own-core", 1, Math.round(load), 1, p.configName(), m.recordsPerSecond(),
                        m.requestsPerSecond(), m.batchesPerRequest() * m.meanRecordsPerBatch(), m.meanLatencyMs(),
                        m.latencyMs(50), m.latencyMs(99));
            }
            step.done(String.format(Locale.ROOT, "model (fitted, client on its own core), %.0f rec/s", load));
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
        List<Load> loads = new ArrayList<>();
        Load headline = null;
        for (double load : LOADS) {
            Map<PartitionerType, Measurement> f = freeClient.get(load);
            Measurement freeRr = f.get(PartitionerType.ROUND_ROBIN);
            Measurement freeSticky = f.get(PartitionerType.UNIFORM_STICKY);
            FreeClient free = new FreeClient(Measurement.LatencyRatios.of(freeSticky, freeRr),
                    Math.round(freeRr.requestsPerSecond()), Math.round(freeSticky.requestsPerSecond()));
            Load l = load(load, predicted.get(load), measured.get(load), free,
                    wallClient.containsKey(load) ? variantRatios(wallClient.get(load)) : null,
                    noStalls.containsKey(load) ? variantRatios(noStalls.get(load)) : null,
                    ownCore.containsKey(load) ? variantRatios(ownCore.get(load)) : null);
            loads.add(l);
            if (load == HEADLINE_LOAD) {
                headline = l;
            }
        }
        OnBroker on = new OnBroker(target, 1, PARTITIONS, Math.round(HEADLINE_LOAD), rounds, TOLERANCE, loads,
                loadBefore, LoadAverage.now());
        return new Figures(fitted, headline.predicted(), headline.measured(), on);
    }

    /**
     * The JSON keys this half adds to {@code bench partitioners}, in this order: {@code fitted} (the fitted model and
     * the fit's error: {@link Calibration.Fitted}, or a calibrate.json's object as written there, with {@code from}),
     * {@code predicted} and {@code measured} at the headline load, and every load's figures under {@code onBroker}.
     */
    record Figures(Object fitted, Predicted predicted, Measured measured, OnBroker onBroker) {
    }

    /** The setup of the real-broker runs and each load's figures. */
    record OnBroker(String broker, int brokers, int partitions, long headlineLoad, int rounds, double tolerance,
                    List<Load> loads, LoadAverage loadAverageBefore, LoadAverage loadAverageAfter) {
    }

    /**
     * One offered load: predicted vs measured, their differences, and four variants of the prediction (without the
     * client's cost; with the client terms fitted to elapsed time (on a sender of its own), when fitted; without the
     * stall term, when the model has one; with the sender on a core of its own, when the client has a cost).
     */
    record Load(long recordsPerSecondOffered, Predicted predicted, Measured measured,
                PredictedMinusMeasured predictedMinusMeasured, FreeClient predictedWithFreeClient,
                @JsonInclude(JsonInclude.Include.NON_NULL) VariantRatios predictedWithClientWallTime,
                @JsonInclude(JsonInclude.Include.NON_NULL) VariantRatios predictedWithoutStalls,
                @JsonInclude(JsonInclude.Include.NON_NULL) VariantRatios predictedWithClientOnOwnCore) {
    }

    /** The model with the fitted constants: uniform sticky / round robin, KIP-480 sticky beside it, every run. */
    record Predicted(@JsonUnwrapped(prefix = "stickyVsRoundRobin") Measurement.LatencyRatios sticky, String partitioner,
                     @JsonUnwrapped(prefix = "kip480StickyVsRoundRobin") Measurement.LatencyRatios kip480,
                     Map<String, ModelRunFigures> runs) {
    }

    /** The real client on the real broker: built-in / round robin (medians of per-round ratios), every partitioner's runs. */
    record Measured(@JsonUnwrapped(prefix = "stickyVsRoundRobin") Measurement.LatencyRatios sticky, String partitioner,
                    Map<String, RealRunFigures> runs) {
    }

    /** Predicted minus measured ratios (three decimals), and whether all three are within the tolerance. */
    record PredictedMinusMeasured(@JsonUnwrapped(prefix = "stickyVsRoundRobin") Measurement.LatencyRatios difference,
                                  boolean withinTolerance) {
    }

    /** The model without the client's cost: the ratios and both request rates. */
    record FreeClient(@JsonUnwrapped(prefix = "stickyVsRoundRobin") Measurement.LatencyRatios sticky,
                      long requestsPerSecondRoundRobin, long requestsPerSecondSticky) {
    }

    /** Uniform sticky / round robin ratios of a model variant, both request rates and both medians (ms). */
    record VariantRatios(@JsonUnwrapped(prefix = "stickyVsRoundRobin") Measurement.LatencyRatios sticky,
                         long requestsPerSecondRoundRobin, long requestsPerSecondSticky, double p50MsRoundRobin,
                         double p50MsSticky) {
    }

    /** One partitioner's run in the model. */
    record ModelRunFigures(long recordsPerSecond, long requestsPerSecond, double recordsPerRequest, double meanMs,
                           double p50Ms, double p99Ms, double brokerBusy) {
    }

    /** One partitioner's real runs: medians over rounds, failed sends in all, and p50/p99 of each round. */
    record RealRunFigures(long recordsPerSecond, long requestsPerSecond, double recordsPerRequest, double meanMs,
                          double p50Ms, double p99Ms, long failed, List<Double> p50MsByRound, List<Double> p99MsByRound) {
    }

    private static Load load(double load, Map<PartitionerType, Measurement> model,
                             Map<Partitioner, List<PacedKafkaProducerRun.Result>> real, FreeClient free,
                             VariantRatios wall, VariantRatios withoutStalls, VariantRatios clientOwnCore) {
        Measurement rr = model.get(PartitionerType.ROUND_ROBIN);
        Measurement uniform = model.get(PartitionerType.UNIFORM_STICKY);
        Measurement sticky = model.get(PartitionerType.STICKY);
        Map<String, ModelRunFigures> runs = new LinkedHashMap<>();
        model.forEach((p, m) -> runs.put(p.configName(), modelFigures(m)));
        Predicted predicted = new Predicted(Measurement.LatencyRatios.of(uniform, rr),
                "uniform-sticky (KIP-794, the algorithm of Kafka 4.4's built-in partitioner)",
                Measurement.LatencyRatios.of(sticky, rr), runs);

        List<PacedKafkaProducerRun.Result> rrReal = real.get(Partitioner.ROUND_ROBIN);
        List<PacedKafkaProducerRun.Result> builtIn = real.get(Partitioner.BUILT_IN);
        Map<String, RealRunFigures> realRuns = new LinkedHashMap<>();
        real.forEach((p, rs) -> realRuns.put(p.label(), realFigures(rs)));
        Measured measured = new Measured(new Measurement.LatencyRatios(roundRatio(builtIn, rrReal, 50),
                roundRatio(builtIn, rrReal, 99), roundRatio(builtIn, rrReal, -1)),
                "KafkaProducer 4.4 built-in (uniform sticky) vs RoundRobinPartitioner", realRuns);

        Measurement.LatencyRatios p = predicted.sticky();
        Measurement.LatencyRatios m = measured.sticky();
        double[] d = {p.p50() - m.p50(), p.p99() - m.p99(), p.mean() - m.mean()};
        boolean within = true;
        for (double x : d) {
            within &= Math.abs(x) <= TOLERANCE;
        }
        PredictedMinusMeasured error = new PredictedMinusMeasured(new Measurement.LatencyRatios(
                Measurement.round(d[0], 3), Measurement.round(d[1], 3), Measurement.round(d[2], 3)), within);
        return new Load(Math.round(load), predicted, measured, error, free, wall, withoutStalls, clientOwnCore);
    }

    private static VariantRatios variantRatios(Map<PartitionerType, Measurement> runs) {
        Measurement rr = runs.get(PartitionerType.ROUND_ROBIN);
        Measurement us = runs.get(PartitionerType.UNIFORM_STICKY);
        return new VariantRatios(Measurement.LatencyRatios.of(us, rr), Math.round(rr.requestsPerSecond()),
                Math.round(us.requestsPerSecond()), Measurement.round(rr.latencyMs(50), 3),
                Measurement.round(us.latencyMs(50), 3));
    }

    private static ModelRunFigures modelFigures(Measurement m) {
        return new ModelRunFigures(Math.round(m.recordsPerSecond()), Math.round(m.requestsPerSecond()),
                Measurement.round(m.batchesPerRequest() * m.meanRecordsPerBatch(), 2),
                Measurement.round(m.meanLatencyMs(), 3), Measurement.round(m.latencyMs(50), 3),
                Measurement.round(m.latencyMs(99), 3), Measurement.round(m.maxBrokerBusyShare(), 3));
    }

    private static RealRunFigures realFigures(List<PacedKafkaProducerRun.Result> rs) {
        return new RealRunFigures(Math.round(median(rs, PacedKafkaProducerRun.Result::recordsPerSecond)),
                Math.round(median(rs, PacedKafkaProducerRun.Result::requestsPerSecond)),
                Measurement.round(median(rs, PacedKafkaProducerRun.Result::recordsPerRequest), 2),
                Measurement.round(median(rs, PacedKafkaProducerRun.Result::meanMs), 3),
                Measurement.round(median(rs, PacedKafkaProducerRun.Result::p50Ms), 3),
                Measurement.round(median(rs, PacedKafkaProducerRun.Result::p99Ms), 3),
                rs.stream().mapToLong(PacedKafkaProducerRun.Result::failed).sum(),
                rs.stream().map(r -> Measurement.round(r.p50Ms(), 3)).toList(),
                rs.stream().map(r -> Measurement.round(r.p99Ms(), 3)).toList());
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

    /** Bars of the sticky / round-robin ratios, predicted vs measured, at each load. */
    static Path chart(Path file, Figures figures) throws IOException {
        List<String> categories = new ArrayList<>();
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (Load l : figures.onBroker().loads()) {
            categories.add(String.format(Locale.ROOT, "%,d rec/s", l.recordsPerSecondOffered()));
            add(series, "predicted", l.predicted().sticky());
            add(series, "measured", l.measured().sticky());
        }
        return Charts.bars(file, "Built-in (uniform sticky) / round robin latency, one broker, 16 partitions: "
                + "fitted model vs real client", "ratio", categories, series);
    }

    private static void add(Map<String, List<Double>> series, String side, Measurement.LatencyRatios r) {
        series.computeIfAbsent(side + " p50", k -> new ArrayList<>()).add(r.p50());
        series.computeIfAbsent(side + " p99", k -> new ArrayList<>()).add(r.p99());
        series.computeIfAbsent(side + " mean", k -> new ArrayList<>()).add(r.mean());
    }

    static String summary(Figures figures) {
        Measurement.LatencyRatios p = figures.predicted().sticky();
        Measurement.LatencyRatios m = figures.measured().sticky();
        return String.format(Locale.ROOT, "one broker (%s), %.0f rec/s, built-in/round-robin: predicted p50 %.2f, p99 %.2f, "
                        + "mean %.2f; measured p50 %.2f, p99 %.2f, mean %.2f", figures.onBroker().broker(), HEADLINE_LOAD,
                p.p50(), p.p99(), p.mean(), m.p50(), m.p99(), m.mean());
    }
}
