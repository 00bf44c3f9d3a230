package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The stalls of a broker's service, as {@code bench calibrate} measured them (issue 19's p99 term): when a
 * connection is saturated (five requests in flight), the gap between consecutive answers is one service time,
 * and on a shared machine some gaps are many times their shape's median — the broker's threads (or the reading
 * client's) lost their core. A gap longer than {@code thresholdOverMedian} × its shape's median is a stall; its
 * length is the gap minus that median. A stall is the machine's, so it comes with time, not with requests: the
 * model draws stalls as a Poisson process of {@code perSecond} per broker (the stalls the fit saw per second of
 * pipelined measurement), each as long as a draw from the measured lengths (linear interpolation between the stored
 * quantiles); the broker does no work while stalled. The same seed draws the same stalls. ({@code share}, the
 * stalls per gap, is descriptive: drawing stalls per request instead made a broker that serves more requests
 * stall more, which no descheduled thread does, see docs/bench.)
 *
 * <p>Invariants: {@code share} is in [0, 1], {@code perSecond} ≥ 0 and finite; the length quantiles are finite,
 * ≥ 0 and ascending, so every draw is a non-negative, finite number of nanoseconds and simulated time only moves
 * forward.
 *
 * @param thresholdOverMedian a gap is a stall when longer than this many times its shape's median gap
 * @param gaps                gaps the fit saw (0 for a tail written by hand)
 * @param share               share of those gaps that were stalls (descriptive)
 * @param perSecond           stalls per second of the measurement: the rate of the model's stall process
 * @param meanExcessUs        mean length of a stall (its gap's excess over its shape's median gap), µs
 * @param shareAbove          descriptive: share of gaps longer than 2, 5, 10 and 100 × their shape's median
 * @param excessQuantilesUs   the stalls' lengths at {@value #QUANTILES} evenly spaced quantiles (0 to 1), ascending
 */
@JsonPropertyOrder({"thresholdOverMedian", "gaps", "share", "perSecond", "meanExcessUs", "shareAbove",
    "excessQuantilesUs"})
public record ServiceStalls(double thresholdOverMedian, long gaps, double share, double perSecond, double meanExcessUs,
                            Map<String, Double> shareAbove, List<Double> excessQuantilesUs) {
    /** Gaps longer than this many medians are stalls: twice the typical service is not a service's jitter. */
    public static final double THRESHOLD_OVER_MEDIAN = 2.0;
    /** Quantiles of the excess kept (from the minimum to the maximum stall). */
    public static final int QUANTILES = 41;
    private static final double[] DESCRIBED = {2, 5, 10, 100};

    public ServiceStalls {
        if (!(thresholdOverMedian >= 1) || Double.isInfinite(thresholdOverMedian)) {
            throw new IllegalArgumentException("stalls.thresholdOverMedian must be a finite number >= 1, got "
                    + thresholdOverMedian);
        }
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("stalls.share must be in [0, 1], got " + share);
        }
        if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("stalls.perSecond must be a finite number >= 0, got " + perSecond);
        }
        if (gaps < 0) {
            throw new IllegalArgumentException("stalls.gaps must be >= 0, got " + gaps);
        }
        excessQuantilesUs = List.copyOf(excessQuantilesUs);
        double previous = 0;
        for (Double q : excessQuantilesUs) {
            if (q == null || !(q >= previous) || Double.isInfinite(q)) {
                throw new IllegalArgumentException("stalls.excessQuantilesUs must be finite, >= 0 and ascending, got "
                        + excessQuantilesUs);
            }
            previous = q;
        }
        if (perSecond > 0 && excessQuantilesUs.isEmpty()) {
            throw new IllegalArgumentException("stalls.perSecond is " + perSecond + " but stalls.excessQuantilesUs is empty");
        }
        shareAbove = Collections.unmodifiableMap(shareAbove == null ? new LinkedHashMap<>() : new LinkedHashMap<>(shareAbove));
    }

    /**
     * Fits the tail to pipelined measurements: per measurement, the gaps between consecutive answers (µs); each
     * measurement's own median gap is its typical service time. Measurements with fewer than 2 gaps are skipped.
     */
    public static ServiceStalls fit(List<double[]> gapsPerMeasurement) {
        List<Double> excess = new ArrayList<>();
        long n = 0;
        double totalUs = 0;
        long[] above = new long[DESCRIBED.length];
        for (double[] gaps : gapsPerMeasurement) {
            if (gaps.length < 2) {
                continue;
            }
            double median = Medians.median(gaps);
            if (!(median > 0)) {
                continue;
            }
            for (double g : gaps) {
                n++;
                totalUs += g;
                for (int i = 0; i < DESCRIBED.length; i++) {
                    if (g > DESCRIBED[i] * median) {
                        above[i]++;
                    }
                }
                if (g > THRESHOLD_OVER_MEDIAN * median) {
                    excess.add(g - median);
                }
            }
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < DESCRIBED.length; i++) {
            shares.put(Math.round(DESCRIBED[i]) + "x", n == 0 ? 0 : Measurement.round((double) above[i] / n, 5));
        }
        double[] sorted = excess.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        List<Double> quantiles = new ArrayList<>();
        if (sorted.length > 0) {
            for (int i = 0; i < QUANTILES; i++) {
                quantiles.add(Measurement.round(quantile(sorted, (double) i / (QUANTILES - 1)), 1));
            }
        }
        double share = n == 0 ? 0 : (double) sorted.length / n;
        double perSecond = totalUs > 0 ? sorted.length / (totalUs / 1e6) : 0;
        double mean = sorted.length == 0 ? 0 : Arrays.stream(sorted).average().orElse(0);
        return new ServiceStalls(THRESHOLD_OVER_MEDIAN, n, Measurement.round(share, 5), Measurement.round(perSecond, 2),
                Measurement.round(mean, 1), shares, quantiles);
    }

    /** The value at quantile {@code q} of ascending {@code sorted}, linear between neighbours. */
    static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
    }

    /** True if the model has stalls to draw: a rate above 0 and lengths to draw from. */
    public boolean any() {
        return perSecond > 0 && !excessQuantilesUs.isEmpty();
    }

    /** The time from one stall's end to the next stall's start, ns: exponential with mean 1 / {@code perSecond}. */
    public long nextGapNs(SplittableRandom random) {
        return Math.round(-Math.log(1 - random.nextDouble()) / perSecond * 1e9);
    }

    /** A stall's length, ns, drawn from the stored quantiles (one draw from {@code random}). */
    public long lengthNs(SplittableRandom random) {
        double at = random.nextDouble() * (excessQuantilesUs.size() - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(excessQuantilesUs.size() - 1, lo + 1);
        double us = excessQuantilesUs.get(lo) + (excessQuantilesUs.get(hi) - excessQuantilesUs.get(lo)) * (at - lo);
        return Math.round(us * 1000);
    }

    /**
     * The tail as a calibrate.json's {@code fitted.stalls} holds it; {@link IllegalArgumentException} names what is
     * wrong.
     */
    static ServiceStalls fromJson(Object json) {
        if (!(json instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("fitted.stalls is not an object");
        }
        double threshold = number(m, "thresholdOverMedian");
        double share = number(m, "share");
        double perSecond = number(m, "perSecond");
        Object gaps = m.get("gaps");
        Object mean = m.get("meanExcessUs");
        if (!(m.get("excessQuantilesUs") instanceof List<?> list)) {
            throw new IllegalArgumentException("fitted.stalls.excessQuantilesUs is missing or not a list");
        }
        List<Double> quantiles = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Number q)) {
                throw new IllegalArgumentException("fitted.stalls.excessQuantilesUs holds " + o + ", not a number");
            }
            quantiles.add(q.doubleValue());
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        if (m.get("shareAbove") instanceof Map<?, ?> s) {
            s.forEach((k, v) -> {
                if (v instanceof Number x) {
                    shares.put(String.valueOf(k), x.doubleValue());
                }
            });
        }
        return new ServiceStalls(threshold, gaps instanceof Number g ? g.longValue() : 0, share, perSecond,
                mean instanceof Number x ? x.doubleValue() : 0, shares, quantiles);
    }

    private static double number(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("fitted.stalls." + key + " is missing or not a number");
        }
        return n.doubleValue();
    }
}
