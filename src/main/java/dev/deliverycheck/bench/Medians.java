package dev.deliverycheck.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The JSON figures of a set of runs: per figure the median over the runs. */
    static Map<String, Object> figures(List<Measurement> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rounds", runs.size());
        m.put("recordsPerSecond", Math.round(median(runs, Measurement::recordsPerSecond)));
        m.put("requests", Math.round(median(runs, r -> r.requests())));
        m.put("requestsPerSecond", Math.round(median(runs, Measurement::requestsPerSecond)));
        m.put("batchesPerRequest", Measurement.round(median(runs, Measurement::batchesPerRequest), 2));
        m.put("meanRecordsPerBatch", Measurement.round(median(runs, Measurement::meanRecordsPerBatch), 2));
        m.put("meanBatchBytes", Math.round(median(runs, Measurement::meanBatchBytes)));
        m.put("latencyMeanMs", Measurement.round(median(runs, Measurement::meanLatencyMs), 3));
        m.put("latencyP50Ms", Measurement.round(median(runs, r -> r.latencyMs(50)), 3));
        m.put("latencyP99Ms", Measurement.round(median(runs, r -> r.latencyMs(99)), 3));
        m.put("latencyP999Ms", Measurement.round(median(runs, r -> r.latencyMs(99.9)), 3));
        m.put("recordsFailed", Math.round(median(runs, r -> r.failed())));
        return m;
    }
}
