package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.deliverycheck.producer.ProducerConfig;
import dev.deliverycheck.producer.partitioner.PartitionerType;
import dev.deliverycheck.protocol.ClusterMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench slow-broker}: KAFKA-10888 and what KIP-794 bought. The partitioners' setup with
 * broker 0 {@value #SLOWDOWN}× slower than the others (every service time multiplied): round
 * robin, sticky (KIP-480), uniform sticky with and without adaptive partitioning (KIP-794).
 * Reports latency and the share of records sent to the slow broker, against the share of
 * partitions it leads. Bench simulator only.
 */
public final class SlowBrokerScenario implements Benchmark {
    static final double SLOWDOWN = 5;
    static final double[] LOADS = {10_000, 30_000};
    static final double REFERENCE_LOAD = 30_000;

    /** A partitioner variant of this scenario. */
    record Variant(String name, PartitionerType type, boolean adaptive) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("round-robin", PartitionerType.ROUND_ROBIN, true),
            new Variant("sticky", PartitionerType.STICKY, true),
            new Variant("uniform-sticky", PartitionerType.UNIFORM_STICKY, true),
            new Variant("uniform-sticky-not-adaptive", PartitionerType.UNIFORM_STICKY, false));

    @Override
    public String name() {
        return "slow-broker";
    }

    @Override
    public String description() {
        return "one broker " + (int) SLOWDOWN + "x slower: latency and share of records sent to it, sticky (KIP-480) vs "
                + "uniform sticky (KIP-794, adaptive or not) vs round robin (model)";
    }

    static ProducerConfig config(Variant v) {
        return PartitionersScenario.config(v.type())
                .with(ProducerConfig.PARTITIONER_ADAPTIVE_PARTITIONING_ENABLE_CONFIG, v.adaptive());
    }

    @Override
    public ScenarioReport run(BenchOptions options, Progress progress) throws IOException {
        boolean quick = options.quick();
        int brokers = 3;
        int partitions = 16;
        double[] slowdown = ModelCluster.uniform(brokers);
        slowdown[0] = SLOWDOWN;
        Workload base = Workload.of(brokers, partitions, config(VARIANTS.get(0)), REFERENCE_LOAD,
                quick ? 0.01 : 0.2, quick ? 0.02 : 1.0, quick ? 0.2 : 3.0, options.seed());
        Steps step = new Steps(name(), LOADS.length * VARIANTS.size(), progress);
        double partitionShare = slowPartitionShare(brokers, partitions);

        CsvTable csv = new CsvTable(Measurement.csvHeader("offeredRecordsPerSecond", "partitioner", "shareToSlowBroker"));
        List<Load> loads = new ArrayList<>();
        Map<Variant, Measurement> reference = new LinkedHashMap<>();
        for (double load : LOADS) {
            Map<String, Run> perVariant = new LinkedHashMap<>();
            for (Variant v : VARIANTS) {
                Measurement r = ModelRun.run(base.withRate(load).withProducer(config(v)), CostModel.DEFAULT, slowdown);
                csv.row(r.csvCells(Math.round(load), v.name(), Measurement.round(r.shareOfBroker(0), 4)));
                perVariant.put(v.name(), new Run(r.figures(), Measurement.round(r.shareOfBroker(0), 4)));
                if (load == REFERENCE_LOAD) {
                    reference.put(v, r);
                }
                step.done(String.format(Locale.ROOT, "%.0f rec/s %s: %.0f%% to the slow broker, %s", load, v.name(),
                        100 * r.shareOfBroker(0), PartitionersScenario.brief(r)));
            }
            loads.add(new Load(Math.round(load), perVariant));
        }
        Measurement sticky = reference.get(VARIANTS.get(1));
        Measurement uniform = reference.get(VARIANTS.get(2));
        Figures json = new Figures(name(), base.setup(), CostModel.DEFAULT, 0, SLOWDOWN,
                Measurement.round(partitionShare, 4), loads, Math.round(REFERENCE_LOAD),
                Measurement.LatencyRatios.of(uniform, sticky), Measurement.round(sticky.shareOfBroker(0), 4),
                Measurement.round(uniform.shareOfBroker(0), 4));

        Path dir = options.outDir();
        List<Path> files = new ArrayList<>();
        files.add(csv.write(dir.resolve("slow-broker.csv")));
        List<String> names = VARIANTS.stream().map(Variant::name).toList();
        Map<String, List<Double>> latency = new LinkedHashMap<>();
        latency.put("p50", VARIANTS.stream().map(v -> reference.get(v).latencyMs(50)).toList());
        latency.put("mean", VARIANTS.stream().map(v -> reference.get(v).meanLatencyMs()).toList());
        latency.put("p99", VARIANTS.stream().map(v -> reference.get(v).latencyMs(99)).toList());
        files.add(Charts.bars(dir.resolve("slow-broker.png"), String.format(Locale.ROOT,
                "Model: latency with broker 0 %.0fx slower, %.0f records/s", SLOWDOWN, REFERENCE_LOAD),
                "latency (ms)", names, latency));
        Map<String, List<Double>> share = new LinkedHashMap<>();
        share.put("records sent to the slow broker", VARIANTS.stream().map(v -> reference.get(v).shareOfBroker(0)).toList());
        share.put("partitions it leads", VARIANTS.stream().map(v -> partitionShare).toList());
        files.add(Charts.bars(dir.resolve("slow-broker-share.png"), String.format(Locale.ROOT,
                "Model: share of records sent to the %.0fx slower broker, %.0f records/s", SLOWDOWN, REFERENCE_LOAD),
                "share", names, share));
        Object document = JsonFile.write(dir.resolve("slow-broker.json"), json, files);

        List<String> summary = new ArrayList<>();
        for (Variant v : VARIANTS) {
            Measurement r = reference.get(v);
            summary.add(String.format(Locale.ROOT, "%-28s %5.1f%% to the slow broker (it leads %.1f%%), p50 %.2f ms, "
                    + "mean %.2f ms, p99 %.2f ms", v.name(), 100 * r.shareOfBroker(0), 100 * partitionShare,
                    r.latencyMs(50), r.meanLatencyMs(), r.latencyMs(99)));
        }
        return new ScenarioReport(document, files, summary);
    }

    /** The scenario's JSON (before {@code files}), in this order; the ratios and shares at the reference load. */
    record Figures(String scenario, Workload.Setup setup, CostModel costModel, int slowBroker, double slowdown,
                   double slowBrokerPartitionShare, List<Load> loads, long referenceLoad,
                   @JsonUnwrapped(prefix = "uniformStickyVsSticky") Measurement.LatencyRatios uniformStickyVsSticky,
                   double stickyShareToSlowBroker, double uniformStickyShareToSlowBroker) {
    }

    /** One offered load and each partitioner's run at it, by the partitioner's name. */
    record Load(long recordsPerSecondOffered, Map<String, Run> partitioners) {
    }

    /** One partitioner's figures and the share of its records sent to the slow broker. */
    record Run(@JsonUnwrapped Measurement.Figures figures, double shareToSlowBroker) {
    }

    /** Share of the partitions broker 0 leads. */
    static double slowPartitionShare(int brokers, int partitions) {
        ClusterMetadata metadata = ClusterMetadata.of(brokers, ModelCluster.TOPIC, partitions);
        long led = metadata.partitionsFor(ModelCluster.TOPIC).stream().filter(tp -> metadata.leaderFor(tp) == 0).count();
        return (double) led / partitions;
    }
}
