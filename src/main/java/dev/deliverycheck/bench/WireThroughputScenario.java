package dev.deliverycheck.bench;

import dev.deliverycheck.broker.storage.FileStorage;
import dev.deliverycheck.sim.SimulatedDisk;
import dev.deliverycheck.wire.WireThroughput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bench wire-throughput} (issue 12): records/s of 100-byte records from the real Kafka 4.4
 * Java client (idempotent, {@code acks=all}, its defaults) to the wire broker over loopback, 16
 * partitions, on an in-memory disk and on files (fsync per group commit), side by side in the
 * same rounds with the project's own client on the in-process {@code LocalCluster} (the
 * {@code throughput} scenario's default configuration, in-memory disk). Medians over rounds after
 * an unreported warm-up of each.
 */
public final class WireThroughputScenario implements Benchmark {
    private static final int PARTITIONS = 16;

    @Override
    public String name() {
        return "wire-throughput";
    }

    @Override
    public String description() {
        return "records/s: real KafkaProducer -> wire broker on loopback (memory and file disk) vs in-process LocalCluster";
    }

    @Override
    public ScenarioReport run(BenchOptions options, Progress progress) throws IOException {
        boolean quick = options.quick();
        int rounds = quick ? 1 : 3;
        double warm = quick ? 0.02 : 1.0;
        double measure = quick ? 0.05 : 3.0;
        Workload local = Workload.of(1, PARTITIONS, ThroughputScenario.config(5, 16384), 0, warm, measure, 0,
                options.seed());
        List<String> names = List.of("LocalCluster, own client, memory disk", "wire, KafkaProducer, memory disk",
                "wire, KafkaProducer, file disk");
        Steps step = new Steps(name(), rounds * names.size() + (quick ? 0 : 1), progress);
        Path files = Files.createTempDirectory("deliverycheck-wire-bench");
        try {
            if (!quick) {
                RealTimeRun.run(local);
                WireThroughput.run(new SimulatedDisk(), PARTITIONS, 0.5, 1.0);
                step.done("JVM warm-up runs done (not reported)");
            }
            Map<String, List<Double>> figures = new LinkedHashMap<>();
            CsvTable csv = new CsvTable("round", "setup", "recordsPerSecond");
            for (int round = 1; round <= rounds; round++) {
                for (String setup : names) {
                    double rps;
                    if (setup.startsWith("LocalCluster")) {
                        rps = RealTimeRun.run(local).recordsPerSecond();
                    } else if (setup.endsWith("memory disk")) {
                        rps = WireThroughput.run(new SimulatedDisk(), PARTITIONS, warm, measure).recordsPerSecond();
                    } else {
                        FileStorage disk = new FileStorage(Files.createTempDirectory(files, "round" + round));
                        try {
                            rps = WireThroughput.run(disk, PARTITIONS, warm, measure).recordsPerSecond();
                        } finally {
                            disk.close();
                        }
                    }
                    figures.computeIfAbsent(setup, k -> new ArrayList<>()).add(rps);
                    csv.row(round, setup, Math.round(rps));
                    step.done(String.format(Locale.ROOT, "round %d %s: %.0f records/s", round, setup, rps));
                }
            }
            List<Double> medians = new ArrayList<>();
            Map<String, SetupFigures> bySetup = new LinkedHashMap<>();
            for (String setup : names) {
                double m = median(figures.get(setup));
                medians.add(m);
                bySetup.put(setup, new SetupFigures(Math.round(m), figures.get(setup).stream().map(Math::round).toList()));
            }
            Figures json = new Figures(name(), "16 partitions, 100-byte values, idempotent acks=all, linger.ms 5, "
                    + "batch.size 16 KiB, one producer, loopback; medians over rounds", rounds, bySetup);
            Path out = options.outDir();
            List<Path> written = new ArrayList<>();
            written.add(csv.write(out.resolve("wire-throughput.csv")));
            written.add(Charts.bars(out.resolve("wire-throughput.png"),
                    "100-byte records/s, idempotent acks=all, 16 partitions (median of " + rounds + " rounds)",
                    "thousand records/s", names, Map.of("records/s", medians.stream().map(v -> v / 1000.0).toList())));
            Object document = JsonFile.write(out.resolve("wire-throughput.json"), json, written);
            List<String> summary = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                summary.add(String.format(Locale.ROOT, "%-40s %9.0f records/s", names.get(i), medians.get(i)));
            }
            return new ScenarioReport(document, written, summary);
        } finally {
            try (Stream<Path> walk = Files.walk(files)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** The scenario's JSON (before {@code files}), in this order. */
    record Figures(String scenario, String setup, int rounds, Map<String, SetupFigures> figures) {
    }

    /** One setup's median records/s over the rounds, and each round's (before: a {@code Map.of}, in no fixed order). */
    record SetupFigures(long recordsPerSecond, List<Long> byRound) {
    }
}
