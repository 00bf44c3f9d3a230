package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.deliverycheck.producer.ProducerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench buffer-memory}: the seed's sizing rule, {@code buffer.memory ≥ batch.size ×
 * partitions}. Keyed records (spread over all 16 partitions, so every partition keeps an open
 * batch that holds {@code batch.size} bytes) at a constant high load on one broker, with
 * {@code buffer.memory} from 1/16 to 8 times {@code batch.size × partitions}: throughput, the
 * share of time the application is blocked in {@code send()}, batch fill and latency.
 * Bench simulator only.
 */
public final class BufferMemoryScenario implements Benchmark {
    static final double[] MULTIPLES = {1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2, 3.0 / 4, 1, 1.5, 2, 4, 8};
    static final double LOAD = 200_000;
    static final int BATCH_SIZE = 16 * 1024;
    static final int PARTITIONS = 16;

    @Override
    public String name() {
        return "buffer-memory";
    }

    @Override
    public String description() {
        return "buffer.memory from below to above batch.size x partitions: throughput and time blocked in send() (model)";
    }

    @Override
    public ScenarioReport run(BenchOptions options, Progress progress) throws IOException {
        boolean quick = options.quick();
        long rule = (long) BATCH_SIZE * PARTITIONS;
        Workload base = Workload.of(1, PARTITIONS, ProducerConfig.of(Map.of(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE)),
                LOAD, quick ? 0.01 : 0.1, quick ? 0.02 : 0.3, quick ? 0.2 : 1.0, options.seed()).withKeys(true);
        Steps step = new Steps(name(), MULTIPLES.length, progress);
        CsvTable csv = new CsvTable(Measurement.csvHeader("bufferMemory", "multipleOfBatchSizeTimesPartitions"));
        List<Row> rows = new ArrayList<>();
        double[] x = new double[MULTIPLES.length];
        double[] throughput = new double[MULTIPLES.length];
        double[] blocked = new double[MULTIPLES.length];
        for (int i = 0; i < MULTIPLES.length; i++) {
            long memory = Math.round(rule * MULTIPLES[i]);
            Measurement r = ModelRun.run(base.withProducer(base.producer().with(ProducerConfig.BUFFER_MEMORY_CONFIG, memory)),
                    CostModel.DEFAULT);
            csv.row(r.csvCells(memory, Measurement.round(MULTIPLES[i], 4)));
            rows.add(new Row(memory, Measurement.round(MULTIPLES[i], 4), r.figures()));
            x[i] = MULTIPLES[i];
            throughput[i] = r.recordsPerSecond() / 1000.0;
            blocked[i] = 100 * r.blockedShare();
            step.done(String.format(Locale.ROOT, "buffer.memory %d (%.3gx): %.0f rec/s, blocked in send() %.1f%% of the "
                    + "time, %.1f rec/batch", memory, MULTIPLES[i], r.recordsPerSecond(), 100 * r.blockedShare(),
                    r.meanRecordsPerBatch()));
        }
        Figures json = new Figures(name(), base.setup(), CostModel.DEFAULT, rule, rows,
                smallestReaching(x, throughput, LOAD / 1000.0));

        Path dir = options.outDir();
        List<Path> files = new ArrayList<>();
        files.add(csv.write(dir.resolve("buffer-memory.csv")));
        files.add(Charts.lines(dir.resolve("buffer-memory.png"), String.format(Locale.ROOT,
                        "Model: %.0f keyed records/s offered, batch.size 16 KiB, 16 partitions", LOAD),
                "buffer.memory / (batch.size x partitions)", "thousand records/s  |  % of time blocked in send()",
                List.of(new Charts.Line("throughput (k records/s)", x, throughput),
                        new Charts.Line("blocked in send() (%)", x, blocked)), true, false));
        Object document = JsonFile.write(dir.resolve("buffer-memory.json"), json, files);

        List<String> summary = new ArrayList<>();
        for (int i = 0; i < MULTIPLES.length; i++) {
            summary.add(String.format(Locale.ROOT, "buffer.memory %6.3fx batch.size x partitions: %7.0f rec/s, blocked %5.1f%%",
                    MULTIPLES[i], throughput[i] * 1000, blocked[i]));
        }
        return new ScenarioReport(document, files, summary);
    }

    /** The scenario's JSON (before {@code files}), in this order; {@code smallestMultipleReachingOfferedLoad} null if none did. */
    record Figures(String scenario, Workload.Setup setup, CostModel costModel, long batchSizeTimesPartitions,
                   List<Row> runs, Double smallestMultipleReachingOfferedLoad) {
    }

    /** One buffer.memory setting and its run's figures. */
    record Row(long bufferMemory, double multipleOfBatchSizeTimesPartitions,
               @JsonUnwrapped Measurement.Figures figures) {
    }

    /** The smallest multiple whose throughput is within 1 % of the offered load, or null. */
    private static Double smallestReaching(double[] x, double[] throughput, double offered) {
        for (int i = 0; i < x.length; i++) {
            if (throughput[i] >= 0.99 * offered) {
                return Measurement.round(x[i], 4);
            }
        }
        return null;
    }
}
