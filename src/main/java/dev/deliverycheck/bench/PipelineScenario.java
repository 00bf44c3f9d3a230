package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.env.EventSink;
import dev.deliverycheck.sim.SimulatedDisk;
import dev.deliverycheck.wire.WireBroker;
import dev.deliverycheck.wire.WireServer;
import dev.deliverycheck.wire.apache.ApacheKafkaBroker;
import dev.deliverycheck.wire.client.PipelineDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench pipeline} (issue 19): deliverycheck's producer on the wire and the real {@code KafkaProducer} 4.4.0
 * sending to the same broker — deliverycheck's wire broker (in this JVM, memory disk) and a real Apache Kafka 4.4
 * broker (child process) — with the same records (100-byte values, no key, the record-id header) and settings
 * (idempotent, {@code acks=all}, {@code linger.ms=5}, {@code batch.size=16384}), in interleaved rounds in one run:
 * records/s and p50/p99 latency from {@code send()} to the callback, medians over rounds, and the ratio ours/real per
 * broker. Beside them our producer in-process ({@code LocalCluster}, no sockets). Then a JFR profile of our producer
 * against the wire broker: where the producer's threads spend their samples.
 *
 * <p>The quick budget (tests) skips the Apache broker and the profile; the machine's load is printed with the
 * figures because the machine may be shared.
 */
public final class PipelineScenario implements Benchmark {
    static final int PARTITIONS = 16;
    static final int VALUE_BYTES = 100;
    static final long LINGER_MS = 5;
    static final int BATCH_SIZE = 16384;
    static final double PROFILE_SECONDS = 10;

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public String description() {
        return "records/s, p50/p99: our producer vs KafkaProducer over TCP to the wire broker and Apache Kafka, "
                + "in-process figure, JFR profile";
    }

    @Override
    public ScenarioReport run(BenchOptions options, Progress progress) throws IOException {
        boolean quick = options.quick();
        int rounds = quick ? 1 : 3;
        double warm = quick ? 0.02 : 1.0;
        double measure = quick ? 0.1 : 3.0;
        List<String> brokers = quick ? List.of("wire broker") : List.of("wire broker", "Apache Kafka 4.4");
        Workload local = Workload.of(1, PARTITIONS, ThroughputScenario.config(LINGER_MS, BATCH_SIZE), 0, warm, measure, 0,
                options.seed());
        Steps step = new Steps(name(), 1 + rounds * (1 + 2 * brokers.size()) + (quick ? 0 : 2), progress);
        double loadBefore = loadAverage();
        Map<String, List<double[]>> figures = new LinkedHashMap<>();
        CsvTable csv = new CsvTable("round", "setup", "recordsPerSecond", "p50Ms", "p99Ms");
        JfrProfile.Summary profile = null;
        try (WireBroker wire = new WireBroker(new SimulatedDisk(), BrokerConfig.DEFAULT, PARTITIONS, 2, EventSink.NONE);
             WireServer server = new WireServer(wire, 0);
             ApacheKafkaBroker apache = quick ? null : ApacheKafkaBroker.start()) {
            Map<String, String> bootstrap = new LinkedHashMap<>();
            bootstrap.put("wire broker", "127.0.0.1:" + server.port());
            if (apache != null) {
                bootstrap.put("Apache Kafka 4.4", apache.bootstrap());
            }
            int topics = 0;
            step.done("brokers up: " + bootstrap);
            if (!quick) {
                for (String b : brokers) {
                    for (PipelineDriver.Client c : PipelineDriver.Client.values()) {
                        String topic = "warm-" + topics++;
                        PipelineDriver.createTopic(bootstrap.get(b), topic, PARTITIONS);
                        PipelineDriver.run(c, bootstrap.get(b), topic, PARTITIONS, VALUE_BYTES, LINGER_MS, BATCH_SIZE, 0.5, 1.0);
                    }
                }
                RealTimeRun.run(local);
                step.done("JVM warm-up runs done (not reported)");
            }
            for (int round = 1; round <= rounds; round++) {
                Measurement m = RealTimeRun.run(local);
                record(figures, csv, round, "our producer in-process (LocalCluster)",
                        new double[] {m.recordsPerSecond(), m.latencyMs(50), m.latencyMs(99)}, step);
                for (String b : brokers) {
                    // alternate who goes first, so neither client always runs on a fresher broker
                    List<PipelineDriver.Client> order = round % 2 == 1
                            ? List.of(PipelineDriver.Client.OURS, PipelineDriver.Client.REAL)
                            : List.of(PipelineDriver.Client.REAL, PipelineDriver.Client.OURS);
                    for (PipelineDriver.Client c : order) {
                        String topic = "pipeline-" + topics++;
                        PipelineDriver.createTopic(bootstrap.get(b), topic, PARTITIONS);
                        PipelineDriver.Result r = PipelineDriver.run(c, bootstrap.get(b), topic, PARTITIONS, VALUE_BYTES,
                                LINGER_MS, BATCH_SIZE, warm, measure);
                        record(figures, csv, round, setup(b, c), new double[] {r.recordsPerSecond(), r.p50Ms(), r.p99Ms()}, step);
                    }
                }
            }
            if (!quick) {
                String topic = "profile";
                PipelineDriver.createTopic(bootstrap.get("wire broker"), topic, PARTITIONS);
                try (JfrProfile jfr = JfrProfile.start(options.outDir().resolve("pipeline-ours.jfr"))) {
                    Files.createDirectories(options.outDir());
                    // longer than a round: on a loaded machine the producer's threads are sampled only while they run
                    PipelineDriver.run(PipelineDriver.Client.OURS, bootstrap.get("wire broker"), topic, PARTITIONS,
                            VALUE_BYTES, LINGER_MS, BATCH_SIZE, 0.5, PROFILE_SECONDS);
                    profile = jfr.stop(PipelineScenario::producerThread, 15);
                }
                step.done("JFR profile of our producer written: " + profile.file());
            }
        }
        return report(options, figures, csv, brokers, rounds, loadBefore, profile);
    }

    /** The threads of our producer and of the application that calls it (not the broker's). */
    static boolean producerThread(String name) {
        return name.startsWith("deliverycheck-producer-") || name.startsWith("deliverycheck-wire-client-")
                || name.equals("main");
    }

    static String setup(String broker, PipelineDriver.Client c) {
        return (c == PipelineDriver.Client.OURS ? "our producer" : "KafkaProducer") + " -> " + broker;
    }

    private static void record(Map<String, List<double[]>> figures, CsvTable csv, int round, String setup, double[] f,
                               Steps step) {
        figures.computeIfAbsent(setup, k -> new ArrayList<>()).add(f);
        csv.row(round, setup, Math.round(f[0]), f[1], f[2]);
        step.done(String.format(Locale.ROOT, "round %d %s: %.0f records/s, p50 %.1f ms, p99 %.1f ms", round, setup,
                f[0], f[1], f[2]));
    }

    private ScenarioReport report(BenchOptions options, Map<String, List<double[]>> figures, CsvTable csv,
                                  List<String> brokers, int rounds, double loadBefore, JfrProfile.Summary profile)
            throws IOException {
        double loadAfter = loadAverage();
        Map<String, SetupFigures> bySetup = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(figures.keySet());
        List<Double> rps = new ArrayList<>();
        for (String setup : names) {
            List<double[]> fs = figures.get(setup);
            double median = median(fs, 0);
            rps.add(median);
            bySetup.put(setup, new SetupFigures(Math.round(median), median(fs, 1), median(fs, 2),
                    fs.stream().map(f -> Math.round(f[0])).toList()));
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (String b : brokers) {
            List<double[]> ours = figures.get(setup(b, PipelineDriver.Client.OURS));
            List<double[]> real = figures.get(setup(b, PipelineDriver.Client.REAL));
            double[] perRound = new double[ours.size()];
            for (int i = 0; i < perRound.length; i++) {
                perRound[i] = Medians.ratio(ours.get(i)[0], real.get(i)[0]);
            }
            ratios.put("oursVsRealThroughput, " + b, Measurement.round(Medians.median(perRound), 3));
        }
        Figures json = new Figures(name(), "one producer, 16 partitions, 100-byte values, no key, idempotent acks=all, "
                + "linger.ms 5, batch.size 16384, sending as fast as send() returns; medians over interleaved rounds",
                rounds, loadBefore, loadAfter, bySetup, ratios, profile == null ? null
                : new Profile(profile.file().toString(), profile.samples(), profile.topFrames(), profile.threads()));
        Path out = options.outDir();
        List<Path> written = new ArrayList<>();
        written.add(csv.write(out.resolve("pipeline.csv")));
        written.add(Charts.bars(out.resolve("pipeline.png"), "100-byte records/s, idempotent acks=all, linger.ms 5, "
                + "16 KiB batches (median of " + rounds + " rounds)", "thousand records/s", names,
                Map.of("records/s", rps.stream().map(v -> v / 1000.0).toList())));
        Object document = JsonFile.write(out.resolve("pipeline.json"), json, written);
        List<String> summary = new ArrayList<>();
        for (String setup : names) {
            SetupFigures m = bySetup.get(setup);
            summary.add(String.format(Locale.ROOT, "%-42s %9d records/s  p50 %6.1f ms  p99 %6.1f ms", setup,
                    m.recordsPerSecond(), m.p50Ms(), m.p99Ms()));
        }
        summary.add("ours/real throughput (median of per-round ratios): " + ratios);
        summary.add(String.format(Locale.ROOT, "load average before %.2f, after %.2f", loadBefore, loadAverage()));
        if (profile != null) {
            summary.add("JFR (" + profile.samples() + " samples of our producer's threads): top frames " + profile.topFrames());
        }
        return new ScenarioReport(document, written, summary);
    }

    /** The scenario's JSON (before {@code files}), in this order; {@code profile} only when one was recorded. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Figures(String scenario, String setup, int rounds, double loadAverageBefore, double loadAverageAfter,
                   Map<String, SetupFigures> figures, Map<String, Double> ratios, Profile profile) {
    }

    /** One setup's medians over the rounds, and each round's records/s. */
    record SetupFigures(long recordsPerSecond, double p50Ms, double p99Ms, List<Long> recordsPerSecondByRound) {
    }

    /** The JFR profile of our producer: its file, the samples, and the share of each top frame and thread. */
    record Profile(String file, int samples, Map<String, Double> topFramesPercent, Map<String, Double> threadsPercent) {
    }

    private static double median(List<double[]> fs, int i) {
        double[] xs = fs.stream().mapToDouble(f -> f[i]).toArray();
        return Measurement.round(Medians.median(xs), 2);
    }

    private static double loadAverage() {
        return Measurement.round(java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), 2);
    }
}
