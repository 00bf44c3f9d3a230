package dev.deliverycheck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The client's half of the cost model (issue 19): least squares fits the real producer's sender-thread time
 * per request, {@code client = clientPerRequestUs + clientPerBatchUs × partitions + clientPerRecordUs × records},
 * to shapes measured by {@code wire/bench/ClientCostProbe} (one observation per shape: the median over its
 * rounds, as for the broker's terms).
 *
 * <p>Invariant: the coefficients returned are all ≥ 0 (a term whose least-squares coefficient is negative is
 * dropped and the others refitted; the JSON names it), and the error reported is that of exactly those
 * coefficients.
 */
final class ClientCalibration {
    static final String[] TERMS = {"clientPerRequestUs", "clientPerBatchUs", "clientPerRecordUs"};
    /** Partitions per request and records per batch of the client probe's shapes (100-byte values). */
    static final int[] PARTITIONS = {1, 2, 4, 8, 16};
    static final int[] RECORDS_PER_BATCH = {1, 8, 64};
    static final int[] QUICK_PARTITIONS = {1, 4};
    static final int[] QUICK_RECORDS_PER_BATCH = {1, 8};
    static final int VALUE_BYTES = 100;
    private static final double NEGLIGIBLE = 1e-9;

    /**
     * One shape measured in one round: the sender thread's CPU time per request and the elapsed time per flush
     * (both µs), and the requests the client sent per flush (1 when the shape held).
     */
    record Point(int round, int partitions, int recordsPerBatch, double cpuUs, double wallUs, double requestsPerFlush) {
        double[] row() {
            return new double[] {1, partitions, (double) partitions * recordsPerBatch};
        }
    }

    /** Fitted terms (µs) and their JSON form with the fit's error. */
    record Fit(double perRequestUs, double perBatchUs, double perRecordUs, Figures json) {
    }

    /**
     * A client fit in {@code calibrate.json} (keys in this order): what was observed, the three terms (µs, three
     * decimals), the fit's error, and each shape's observation and residual.
     */
    record Figures(String observation, double clientPerRequestUs, double clientPerBatchUs, double clientPerRecordUs,
                   double rSquared, double rmsResidualUs, double meanObservationUs, int points, String observations,
                   List<String> droppedNegativeTerms, Map<String, ShapeFigures> byShape) {
    }

    /** One shape of a client fit: its median observation and the fit's residual (µs), its requests per flush. */
    record ShapeFigures(double measuredUs, double residualUs, double requestsPerFlush) {
    }

    private ClientCalibration() {
    }

    /** Shapes as {partitions, recordsPerBatch} pairs. */
    static List<int[]> shapes(boolean quick) {
        List<int[]> s = new ArrayList<>();
        for (int p : quick ? QUICK_PARTITIONS : PARTITIONS) {
            for (int r : quick ? QUICK_RECORDS_PER_BATCH : RECORDS_PER_BATCH) {
                s.add(new int[] {p, r});
            }
        }
        return s;
    }

    /** Per shape (first-seen order), the median of each figure over the shape's rounds. */
    static List<Point> medianPerShape(List<Point> points) {
        Map<List<Integer>, List<Point>> byShape = new LinkedHashMap<>();
        for (Point p : points) {
            byShape.computeIfAbsent(List.of(p.partitions(), p.recordsPerBatch()), k -> new ArrayList<>()).add(p);
        }
        List<Point> out = new ArrayList<>();
        byShape.forEach((k, ps) -> out.add(new Point(0, k.get(0), k.get(1),
                Medians.median(ps.stream().mapToDouble(Point::cpuUs).toArray()),
                Medians.median(ps.stream().mapToDouble(Point::wallUs).toArray()),
                Medians.median(ps.stream().mapToDouble(Point::requestsPerFlush).toArray()))));
        return out;
    }

    /**
     * Fits the three client terms to {@code observation} of each shape's median point; {@code what} names the
     * observation in the JSON. Throws IllegalArgumentException if the shapes cannot determine the terms.
     */
    static Fit fit(List<Point> measured, ToDoubleFunction<Point> observation, String what) {
        List<Point> points = medianPerShape(measured);
        double[] y = points.stream().mapToDouble(observation).toArray();
        boolean[] used = {true, true, true};
        List<String> dropped = new ArrayList<>();
        LeastSquares.Fit fit;
        while (true) {
            List<double[]> rows = new ArrayList<>();
            for (Point p : points) {
                rows.add(LeastSquares.select(p.row(), used));
            }
            fit = LeastSquares.fit(rows, y);
            int negative = LeastSquares.firstNegative(fit.coefficients(), used, NEGLIGIBLE);
            if (negative < 0) {
                break;
            }
            used[negative] = false;
            dropped.add(TERMS[negative]);
            if (!used[0] && !used[1] && !used[2]) {
                throw new IllegalArgumentException("every client term came out negative: " + what);
            }
        }
        double[] c = LeastSquares.expand(fit.coefficients(), used);
        Map<String, ShapeFigures> byShape = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            byShape.put("partitions=" + p.partitions() + ",recordsPerBatch=" + p.recordsPerBatch(),
                    new ShapeFigures(Measurement.round(y[i], 2), Measurement.round(fit.residuals()[i], 2),
                            Measurement.round(p.requestsPerFlush(), 3)));
        }
        Figures json = new Figures(what, Measurement.round(c[0], 3), Measurement.round(c[1], 3),
                Measurement.round(c[2], 3), Measurement.round(fit.rSquared(), 4), Measurement.round(fit.rmsResidual(), 2),
                Measurement.round(LeastSquares.mean(y), 2), measured.size(),
                points.size() + " (per shape, the median over its rounds)", dropped, byShape);
        return new Fit(c[0], c[1], c[2], json);
    }

    /**
     * The client terms fitted to elapsed time instead of CPU time: per client shape, the real client's time per
     * flushed request beyond the bare Produce round trip of the same shape (the broker's points, acks=all, 100 B
     * values): the sender's work plus its waits for a core on this machine. Null when a shape was not probed bare.
     */
    static Fit wallExcessFit(List<Calibration.Point> brokerMedians, List<Point> client) {
        Map<List<Integer>, Double> bare = new LinkedHashMap<>();
        for (Calibration.Point p : brokerMedians) {
            if (p.shape().valueBytes() == VALUE_BYTES && p.shape().acks() == -1) {
                bare.put(List.of(p.shape().partitions(), p.shape().recordsPerBatch()), p.roundTripUs());
            }
        }
        List<Point> excess = new ArrayList<>();
        for (Point p : client) {
            Double b = bare.get(List.of(p.partitions(), p.recordsPerBatch()));
            if (b == null) {
                return null;
            }
            excess.add(new Point(p.round(), p.partitions(), p.recordsPerBatch(), p.wallUs() - b,
                    p.wallUs(), p.requestsPerFlush()));
        }
        try {
            return fit(excess, Point::cpuUs,
                    "the KafkaProducer's elapsed time per flushed request minus the bare request's round trip, µs");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The fitted model with the client terms of the elapsed-time fit ({@code clientWallExcess}, as written in the
     * JSON) instead of the CPU-time fit, or null if there is none.
     */
    static CostModel withClientWallExcess(CostModel model, Figures wallExcess) {
        return wallExcess == null ? null : model.withClientCost(wallExcess.clientPerRequestUs(),
                wallExcess.clientPerBatchUs(), wallExcess.clientPerRecordUs());
    }

    /** {@link #withClientWallExcess(CostModel, Figures)} for the {@code fitted} object of a calibrate.json, as parsed. */
    static CostModel withClientWallExcess(CostModel model, JsonNode fitted) {
        JsonNode w = fitted.path("clientWallExcess");
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            if (!w.path(TERMS[i]).isNumber()) {
                return null;
            }
            v[i] = w.path(TERMS[i]).doubleValue();
        }
        return model.withClientCost(v[0], v[1], v[2]);
    }
}
