package dev.deliverycheck.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The predicted-vs-measured figures of {@code bench partitioners} as the Markdown table docs/bench/README.md quotes
 * ({@code partitioners-broker.md}), so a new run's table is pasted, not retyped: per load, the prediction with the
 * fitted model (stalls included when fitted), the measurement on the real broker, their difference, the prediction
 * without the stall term, the prediction with the client's sender on a core of its own (the model before issue 19's p50
 * term), and both sides' request rates.
 *
 * <p>Invariant: every figure in the table is one of {@link PartitionersOnBroker.Figures}'s, formatted to
 * two decimals (ratios) or whole requests per second; nothing is computed here.
 */
final class PredictedVsMeasuredTable {
    private PredictedVsMeasuredTable() {
    }

    static String markdown(PartitionersOnBroker.Figures figures) {
        PartitionersOnBroker.OnBroker on = figures.onBroker();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Built-in (uniform sticky) / round robin, %s, %d broker, %d partitions, "
                        + "median of %d interleaved rounds; load average (1/5/15 min) %s before, %s after.%n%n",
                on.broker(), on.brokers(), on.partitions(), on.rounds(), load(on.loadAverageBefore()),
                load(on.loadAverageAfter())));
        s.append("| load | predicted p50 / p99 / mean | measured p50 / p99 / mean | predicted − measured | "
                + "within ±").append(String.format(Locale.ROOT, "%.2f", on.tolerance()))
                .append(" | predicted without stalls | predicted, client on its own core | requests/s predicted (RR · "
                        + "built-in) | requests/s measured (RR · built-in) |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (PartitionersOnBroker.Load l : on.loads()) {
            PartitionersOnBroker.ModelRunFigures prr = l.predicted().runs().get("round-robin");
            PartitionersOnBroker.ModelRunFigures pus = l.predicted().runs().get("uniform-sticky");
            PartitionersOnBroker.RealRunFigures mrr = l.measured().runs().get("round-robin");
            PartitionersOnBroker.RealRunFigures mbi = l.measured().runs().get("built-in");
            s.append(String.format(Locale.ROOT, "| %,d/s | %s | %s | %s | %s | %s | %s | %s · %s | %s · %s |%n",
                    l.recordsPerSecondOffered(), ratios(l.predicted().sticky()), ratios(l.measured().sticky()),
                    signed(l.predictedMinusMeasured().difference()), l.predictedMinusMeasured().withinTolerance() ? "yes" : "no",
                    l.predictedWithoutStalls() == null ? "(no stall term)" : ratios(l.predictedWithoutStalls().sticky()),
                    l.predictedWithClientOnOwnCore() == null ? "(free client)"
                            : ratios(l.predictedWithClientOnOwnCore().sticky()),
                    prr == null ? "—" : String.format(Locale.ROOT, "%,d", prr.requestsPerSecond()),
                    pus == null ? "—" : String.format(Locale.ROOT, "%,d", pus.requestsPerSecond()),
                    mrr == null ? "—" : String.format(Locale.ROOT, "%,d", mrr.requestsPerSecond()),
                    mbi == null ? "—" : String.format(Locale.ROOT, "%,d", mbi.requestsPerSecond())));
        }
        return s.toString();
    }

    static Path write(Path file, PartitionersOnBroker.Figures figures) throws IOException {
        Files.writeString(file, markdown(figures), StandardCharsets.UTF_8);
        return file;
    }

    private static String ratios(Measurement.LatencyRatios r) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", r.p50(), r.p99(), r.mean());
    }

    private static String signed(Measurement.LatencyRatios r) {
        return String.format(Locale.ROOT, "%+.2f / %+.2f / %+.2f", r.p50(), r.p99(), r.mean());
    }

    private static String load(LoadAverage a) {
        return a == null || a.oneMinute() == null ? "unknown"
                : String.format(Locale.ROOT, "%.1f / %.1f / %.1f on %d cores", a.oneMinute(), a.fiveMinutes(),
                a.fifteenMinutes(), a.cores());
    }
}
