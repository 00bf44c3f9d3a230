package dev.deliverycheck.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Medians over repeated real-time runs: timing noise on a shared machine is large, so a
 * real-time figure is the median of its rounds, and a ratio is the median of the per-round
 * ratios (each from two runs of the same round, run back to back).
 */
final class Medians {
    private Medians() {
    }

    static double median(double... values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    static double median(List<Measurement> runs, ToDoubleFunction<Measurement> metric) {
        return median(runs.stream().mapToDouble(metric).toArray());
    }

    /** A ratio of two figures, 0 when the denominator is 0 (nothing measured). */
    static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }

    /** The JSON figures of a set of runs, in this order: per figure the median over the runs. */
    record Figures(int rounds, long recordsPerSecond, long requests, long requestsPerSecond, double batchesPerRequest,
                   double meanRecordsPerBatch, long meanBatchBytes, double latencyMeanMs, double latencyP50Ms,
                   double latencyP99Ms, double latencyP999Ms, long recordsFailed) {
    }

    /** The JSON figures of a set of runs: per figure the median over the runs. */
    static Figures figures(List<Measurement> runs) {
        return new Figures(runs.size(), Math.round(median(runs, Measurement::recordsPerSecond)),
                Math.round(median(runs, r -> r.requests())), Math.round(median(runs, Measurement::requestsPerSecond)),
                Measurement.round(median(runs, Measurement::batchesPerRequest), 2),
                Measurement.round(median(runs, Measurement::meanRecordsPerBatch), 2),
                Math.round(median(runs, Measurement::meanBatchBytes)),
                Measurement.round(median(runs, Measurement::meanLatencyMs), 3),
                Measurement.round(median(runs, r -> r.latencyMs(50)), 3),
                Measurement.round(median(runs, r -> r.latencyMs(99)), 3),
                Measurement.round(median(runs, r -> r.latencyMs(99.9)), 3),
                Math.round(median(runs, r -> r.failed())));
    }
}
