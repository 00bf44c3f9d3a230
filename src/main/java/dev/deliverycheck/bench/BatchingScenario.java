package dev.deliverycheck.bench;

import dev.deliverycheck.broker.BrokerConfig;
import dev.deliverycheck.producer.ProducerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench batching}: the seed's throughput-versus-latency trade-off of {@code batch.size} and
 * {@code linger.ms}. For each cell of the grid (batch.size 1 KiB – 1 MiB × linger.ms 0 – 50), on
 * one broker with 16 partitions (the shape of the real-Kafka reference measurement), the bench
 * simulator runs the default producer twice: once saturated (the application offers far more
 * than the broker takes; throughput is what the broker delivers) and once at a fixed load
 * (latency, requests and broker busy time at that load).
 *
 * <p>Two settings differ from the defaults, both so that every cell measures batching and
 * nothing else: the broker accepts batches up to 2 MiB ({@code message.max.bytes}; a full
 * 1 MiB batch is encoded a little larger than the producer estimates it), and the saturated runs
 * use {@code buffer.memory = max(2 MiB, 2 × batch.size × partitions)} (above the sizing rule of
 * {@code bench buffer-memory}; a bigger buffer only adds waiting time at saturation).
 */
public final class BatchingScenario implements Benchmark {
    static final int[] BATCH_SIZES = {1024, 16 * 1024, 256 * 1024, 1024 * 1024};
    static final long[] LINGERS = {0, 5, 20, 50};
    static final double FIXED_LOAD = 50_000;
    static final double SATURATING_LOAD = 2_000_000;
    static final int MESSAGE_MAX_BYTES = 2 * 1024 * 1024;

    @Override
    public String name() {
        return "batching";
    }

    @Override
    public String description() {
        return "batch.size x linger.ms grid: saturated throughput, and latency, requests and broker busy time at "
                + "a fixed load (model)";
    }

    static ProducerConfig config(int batchSize, long lingerMs) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, batchSize);
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        return ProducerConfig.of(p);
    }

    static long saturatedBufferMemory(int batchSize, int partitions) {
        return Math.max(2L * 1024 * 1024, 2L * batchSize * partitions);
    }

    @Override
    public ScenarioReport run(BenchOptions options, Progress progress) throws IOException {
        boolean quick = options.quick();
        int partitions = 16;
        BrokerConfig broker = BrokerConfig.fromMap(Map.of("message.max.bytes", MESSAGE_MAX_BYTES));
        Workload fixed = Workload.of(1, partitions, config(16384, 5), FIXED_LOAD, quick ? 0.005 : 0.1,
                quick ? 0.01 : 0.4, quick ? 0.1 : 2.0, options.seed());
        Workload saturated = Workload.of(1, partitions, config(16384, 5), SATURATING_LOAD, quick ? 0.002 : 0.1,
                quick ? 0.002 : 0.15, 0, options.seed());
        Steps step = new Steps(name(), BATCH_SIZES.length * LINGERS.length, progress);
        double[] one = ModelCluster.uniform(1);

        CsvTable csv = new CsvTable(Measurement.csvHeader("batchSize", "lingerMs", "run", "busiestBrokerBusyShare"));
        List<Cell> cells = new ArrayList<>();
        double[][] throughput = new double[BATCH_SIZES.length][LINGERS.length];
        double[][] p50 = new double[BATCH_SIZES.length][LINGERS.length];
        double[][] p99 = new double[BATCH_SIZES.length][LINGERS.length];
        for (int i = 0; i < BATCH_SIZES.length; i++) {
            for (int j = 0; j < LINGERS.length; j++) {
                int batchSize = BATCH_SIZES[i];
                long linger = LINGERS[j];
                ProducerConfig c = config(batchSize, linger);
                Measurement sat = ModelRun.run(saturated.withProducer(c.with(ProducerConfig.BUFFER_MEMORY_CONFIG,
                        saturatedBufferMemory(batchSize, partitions))), CostModel.DEFAULT, one, broker);
                Measurement at = ModelRun.run(fixed.withProducer(c), CostModel.DEFAULT, one, broker);
                csv.row(sat.csvCells(batchSize, linger, "saturated", Measurement.round(sat.maxBrokerBusyShare(), 3)));
                csv.row(at.csvCells(batchSize, linger, "fixed-load", Measurement.round(at.maxBrokerBusyShare(), 3)));
                throughput[i][j] = sat.recordsPerSecond();
                p50[i][j] = at.latencyMs(50);
                p99[i][j] = at.latencyMs(99);
                cells.add(new Cell(batchSize, linger, Math.round(sat.recordsPerSecond()), Math.round(sat.meanBatchBytes()),
                        sat.failed(), at.figures()));
                step.done(String.format(Locale.ROOT, "batch.size %d linger.ms %d: saturated %.0f rec/s; at %.0f rec/s "
                                + "p50 %.2f ms p99 %.2f ms, %.0f requests/s, broker busy %.0f%%", batchSize, linger,
                        sat.recordsPerSecond(), FIXED_LOAD, at.latencyMs(50), at.latencyMs(99), at.requestsPerSecond(),
                        100 * at.maxBrokerBusyShare()));
            }
        }
        int i16k = indexOf(BATCH_SIZES, 16 * 1024);
        int i256k = indexOf(BATCH_SIZES, 256 * 1024);
        Map<String, Double> headline = new LinkedHashMap<>();
        for (int j = 0; j < LINGERS.length; j++) {
            headline.put("throughput256KiBvs16KiBAtLinger" + LINGERS[j],
                    Measurement.round(Medians.ratio(throughput[i256k][j], throughput[i16k][j]), 3));
        }
        Figures json = new Figures(name(), fixed.setup(), saturated.setup(), "max(2 MiB, 2 x batch.size x partitions)",
                MESSAGE_MAX_BYTES, CostModel.DEFAULT, cells, headline);

        Path dir = options.outDir();
        List<Path> files = new ArrayList<>();
        files.add(csv.write(dir.resolve("batching.csv")));
        double[] x = new double[BATCH_SIZES.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = BATCH_SIZES[i] / 1024.0;
        }
        List<Charts.Line> thr = new ArrayList<>();
        List<Charts.Line> lat = new ArrayList<>();
        for (int j = 0; j < LINGERS.length; j++) {
            double[] t = new double[BATCH_SIZES.length];
            double[] l = new double[BATCH_SIZES.length];
            for (int i = 0; i < BATCH_SIZES.length; i++) {
                t[i] = throughput[i][j] / 1000.0;
                l[i] = Math.max(0.001, p99[i][j]);
            }
            thr.add(new Charts.Line("linger.ms=" + LINGERS[j], x, t));
            lat.add(new Charts.Line("linger.ms=" + LINGERS[j], x, l));
        }
        files.add(Charts.lines(dir.resolve("batching-throughput.png"),
                "Model: saturated throughput (1 broker, 16 partitions, 100-byte records)", "batch.size (KiB)",
                "thousand records/s", thr, true, false));
        files.add(Charts.lines(dir.resolve("batching-latency.png"), String.format(Locale.ROOT,
                        "Model: p99 send-to-ack latency at %.0f records/s", FIXED_LOAD), "batch.size (KiB)",
                "p99 latency (ms)", lat, true, true));
        Object document = JsonFile.write(dir.resolve("batching.json"), json, files);

        List<String> summary = new ArrayList<>();
        for (int j = 0; j < LINGERS.length; j++) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "linger.ms=%-3d", LINGERS[j]));
            for (int i = 0; i < BATCH_SIZES.length; i++) {
                sb.append(String.format(Locale.ROOT, "  %4d KiB: %6.0f rec/s sat., p99 %6.2f ms", BATCH_SIZES[i] / 1024,
                        throughput[i][j], p99[i][j]));
            }
            summary.add(sb.toString());
        }
        return new ScenarioReport(document, files, summary);
    }

    /** The scenario's JSON (before {@code files}), in this order; {@code ratios} by linger.ms. */
    record Figures(String scenario, Workload.Setup fixedLoadSetup, Workload.Setup saturatedSetup,
                   String saturatedBufferMemory, int brokerMessageMaxBytes, CostModel costModel, List<Cell> cells,
                   Map<String, Double> ratios) {
    }

    /** One batch.size and linger.ms: the saturated run's throughput and the fixed-load run's figures. */
    record Cell(int batchSize, long lingerMs, long saturatedRecordsPerSecond, long saturatedMeanBatchBytes,
                long saturatedRecordsFailed, Measurement.Figures atFixedLoad) {
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException(value + " not in the grid");
    }
}
