package dev.deliverycheck.bench;

import dev.deliverycheck.wire.bench.BrokerUnderTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench calibrate}: fits the cost model's constants to a real broker ({@link Calibration}) — a real
 * Apache Kafka 4.4 child process by default, deliverycheck's wire broker with {@code --target ours} — and
 * writes them to {@code calibrate.json}, which {@code bench partitioners --calibration} reads.
 */
public final class CalibrateScenario implements Benchmark {
    @Override
    public String name() {
        return "calibrate";
    }

    @Override
    public String description() {
        return "fit the cost model (perRequestUs, perBatchUs, perByteNs) to a real broker by least squares";
    }

    @Override
    public ScenarioReport run(BenchOptions options, Progress progress) throws IOException {
        Calibration.Result result;
        try (BrokerUnderTest broker = BrokerUnderTest.start(options.brokerTarget())) {
            result = Calibration.run(broker, options.quick(), options.seed(), progress);
        }
        Figures json = new Figures(name(), options.brokerTarget(), result.fitted(), LoadAverage.now(), CostModel.DEFAULT);

        CsvTable csv = new CsvTable("round", "partitions", "recordsPerBatch", "valueBytes", "acks", "requestBytes",
                "serviceUs", "fittedUs", "meanServiceUs", "roundTripUs");
        List<Calibration.Point> sorted = new ArrayList<>(result.points());
        for (Calibration.Point p : result.points()) {
            csv.row(p.round(), p.shape().partitions(), p.shape().recordsPerBatch(), p.shape().valueBytes(),
                    p.shape().acks(), p.requestBytes(), p.serviceUs(), fitted(result.model(), p), p.meanServiceUs(), p.roundTripUs());
        }
        sorted.sort(Comparator.comparingDouble(p -> fitted(result.model(), p)));
        double[] x = new double[sorted.size()];
        double[] measured = new double[sorted.size()];
        double[] model = new double[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            x[i] = i + 1;
            measured[i] = sorted.get(i).serviceUs();
            model[i] = fitted(result.model(), sorted.get(i));
        }
        Path dir = options.outDir();
        List<Path> files = new ArrayList<>();
        files.add(csv.write(dir.resolve("calibrate.csv")));
        files.add(Charts.lines(dir.resolve("calibrate.png"),
                "Service time per Produce request: measured (median gap, 5 in flight) vs fitted, " + options.brokerTarget(),
                "shape (sorted by fitted time)", "µs per request",
                List.of(new Charts.Line("measured", x, measured), new Charts.Line("fitted", x, model)), false,
                positive(measured) && positive(model)));
        Object document = JsonFile.write(dir.resolve("calibrate.json"), json, files);
        List<String> summary = List.of(String.format(Locale.ROOT, "%s: %s", result.broker(),
                Calibration.brief(result.model(), result.fitted())));
        return new ScenarioReport(document, files, summary);
    }

    /** The scenario's JSON (before {@code files}), in this order; {@code fitted} as {@link Calibration} builds it. */
    record Figures(String scenario, String target, Calibration.Fitted fitted, LoadAverage loadAverage,
                   CostModel defaultModel) {
    }

    /** The cost model fitted in a calibrate.json; IllegalArgumentException says what is wrong with the file. */
    public static CostModel readModel(Path calibrateJson) throws IOException {
        return Calibration.read(calibrateJson);
    }

    private static boolean positive(double[] values) {
        for (double v : values) {
            if (!(v > 0)) {
                return false;
            }
        }
        return values.length > 0;
    }

    /** The fitted model's service time for a point's request, µs. */
    static double fitted(CostModel m, Calibration.Point p) {
        return m.perRequestUs() + m.perBatchUs() * p.shape().partitions() + m.perByteNs() * p.requestBytes() / 1000.0
                + m.perRecordUs() * p.shape().partitions() * p.shape().recordsPerBatch();
    }
}
