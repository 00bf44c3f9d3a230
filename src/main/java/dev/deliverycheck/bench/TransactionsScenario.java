package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.deliverycheck.producer.DeliveryMode;
import dev.deliverycheck.producer.ProducerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench transactions} (issue 4): exactly-once throughput relative to idempotent, for 1, 10,
 * 100 and 1000 records per transaction. Real time on a one-broker
 * {@link dev.deliverycheck.local.LocalCluster} (the broker is also the transaction coordinator);
 * the application begins a transaction, sends its records and waits for the commit, over and
 * over. Throughput counts committed records. Each round runs the idempotent baseline and then
 * every transaction size; the figure is the median over rounds of (transactional / idempotent of
 * the same round).
 */
public final class TransactionsScenario implements Benchmark {
    static final int[] RECORDS_PER_TRANSACTION = {1, 10, 100, 1000};

    @Override
    public String name() {
        return "transactions";
    }

    @Override
    public String description() {
        return "exactly-once throughput relative to idempotent for 1, 10, 100, 1000 records per transaction (real time)";
    }

    static ProducerConfig config(DeliveryMode mode) {
        Map<String, Object> p = new LinkedHashMap<>(mode == DeliveryMode.EXACTLY_ONCE
                ? mode.preset("bench-transactions") : mode.preset());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 16384);
        return ProducerConfig.of(p);
    }

    @Override
    public ScenarioReport run(BenchOptions options, Progress progress) throws IOException {
        boolean quick = options.quick();
        int rounds = quick ? 1 : 2;
        Workload base = Workload.of(1, 16, config(DeliveryMode.IDEMPOTENT), 0, quick ? 0.02 : 0.5,
                quick ? 0.05 : 2.0, 0, options.seed());
        Workload transactional = base.withProducer(config(DeliveryMode.EXACTLY_ONCE));
        Steps step = new Steps(name(), rounds * (1 + RECORDS_PER_TRANSACTION.length) + (quick ? 0 : 1), progress);
        if (!quick) {
            RealTimeRun.run(transactional.withTransactions(10));
            step.done("JVM warm-up run done (not reported)");
        }
        List<Measurement> baseline = new ArrayList<>();
        Map<Integer, List<Measurement>> txn = new LinkedHashMap<>();
        CsvTable csv = new CsvTable(Measurement.csvHeader("round", "mode", "recordsPerTransaction"));
        for (int round = 1; round <= rounds; round++) {
            Measurement b = RealTimeRun.run(base);
            baseline.add(b);
            csv.row(b.csvCells(round, DeliveryMode.IDEMPOTENT.cliName(), 0));
            step.done(String.format(Locale.ROOT, "round %d idempotent: %.0f records/s", round, b.recordsPerSecond()));
            for (int n : RECORDS_PER_TRANSACTION) {
                Measurement r = RealTimeRun.run(transactional.withTransactions(n));
                txn.computeIfAbsent(n, k -> new ArrayList<>()).add(r);
                csv.row(r.csvCells(round, DeliveryMode.EXACTLY_ONCE.cliName(), n));
                step.done(String.format(Locale.ROOT, "round %d exactly-once, %d records/transaction: %.0f committed "
                        + "records/s (%.2f of idempotent)%s", round, n, r.recordsPerSecond(),
                        Medians.ratio(r.recordsPerSecond(), b.recordsPerSecond()),
                        r.failedTransactions() > 0 ? ", " + r.failedTransactions() + " failed commit(s)" : ""));
            }
        }
        List<Size> sizes = new ArrayList<>();
        Map<String, Double> ratios = new LinkedHashMap<>();
        List<String> categories = new ArrayList<>();
        List<Double> ratioValues = new ArrayList<>();
        for (int n : RECORDS_PER_TRANSACTION) {
            List<Measurement> rs = txn.get(n);
            double ratio = ThroughputScenario.perRoundRatio(rs, baseline);
            sizes.add(new Size(n, Medians.figures(rs), Math.round(Medians.median(rs, Measurement::recordsPerSecond) / n),
                    ratio, rs.stream().mapToLong(Measurement::failedTransactions).sum(),
                    rs.stream().map(Measurement::firstFailure).filter(f -> f != null).findFirst().orElse(null)));
            ratios.put("exactlyOnceVsIdempotentAt" + n, ratio);
            categories.add(n + " per txn");
            ratioValues.add(ratio);
        }
        long failed = txn.values().stream().flatMap(List::stream).mapToLong(Measurement::failedTransactions).sum();
        Figures json = new Figures(name(), base.setup(),
                "real time: LocalCluster, one broker (leader and coordinator), in-memory disk", rounds,
                Medians.figures(baseline), sizes, failed, ratios);

        Path dir = options.outDir();
        List<Path> files = new ArrayList<>();
        files.add(csv.write(dir.resolve("transactions.csv")));
        files.add(Charts.bars(dir.resolve("transactions.png"), String.format(Locale.ROOT,
                        "Real time: exactly-once throughput / idempotent (median of %d rounds)", rounds),
                "relative throughput", categories, Map.of("exactly-once / idempotent", ratioValues)));
        Object document = JsonFile.write(dir.resolve("transactions.json"), json, files);

        List<String> summary = new ArrayList<>();
        summary.add(String.format(Locale.ROOT, "idempotent baseline: %.0f records/s (median)",
                Medians.median(baseline, Measurement::recordsPerSecond)));
        if (failed > 0) {
            summary.add(failed + " commit(s) failed without any injected fault (see failedTransactions and firstFailure "
                    + "in the JSON); the runs went on with an abort or a new producer instance");
        }
        for (int i = 0; i < RECORDS_PER_TRANSACTION.length; i++) {
            summary.add(String.format(Locale.ROOT, "%5d records/transaction: %.3f of idempotent",
                    RECORDS_PER_TRANSACTION[i], ratioValues.get(i)));
        }
        return new ScenarioReport(document, files, summary);
    }

    /** The scenario's JSON (before {@code files}), in this order; {@code ratios} medians of per-round ratios. */
    record Figures(String scenario, Workload.Setup setup, String mode, int rounds, Medians.Figures idempotent,
                   List<Size> transactions, long failedTransactions, Map<String, Double> ratios) {
    }

    /** One transaction size: the medians over rounds, and the failed commits (the first failure only if any). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Size(int recordsPerTransaction, @JsonUnwrapped Medians.Figures medians, long transactionsPerSecond,
                double relativeToIdempotent, long failedTransactions, String firstFailure) {
    }
}
