package dev.deliverycheck.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.deliverycheck.json.Json;
import dev.deliverycheck.wire.bench.BrokerUnderTest;
import dev.deliverycheck.wire.bench.ClientCostProbe;
import dev.deliverycheck.wire.bench.PacedKafkaProducerRun;
import dev.deliverycheck.wire.bench.ProduceProbe;
import dev.deliverycheck.wire.bench.ProduceProbe.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Fits the bench cost model to a broker: Produce requests of controlled shapes (partitions per request,
 * records per batch, record size, acks) go to the broker through {@link ProduceProbe}, each shape timed one
 * request at a time (round trip) and pipelined five deep (the broker's service time, see ProduceProbe), and
 * least squares ({@link LeastSquares}) fits
 * {@code service = perRequestUs + perBatchUs × partitions + perByteNs × bytes + perRecordUs × records} (the
 * per-record term because the residuals of the three-term fit asked for it; that fit is reported beside it).
 * The client's terms ({@code clientPerRequestUs}, {@code clientPerBatchUs}, {@code clientPerRecordUs}) are fitted
 * the same way to the real {@code KafkaProducer}'s sender-thread CPU time per request of controlled shapes
 * ({@link ClientCostProbe}, {@link ClientCalibration}); without those measurements {@code clientPerRequestUs} is
 * the real client's one-record round trip beyond the bare request's. {@code oneWayLatencyUs} is half the median of
 * (round trip − service time) over the shapes: what a request spends outside the broker's serial work.
 *
 * <p>Invariant: the fitted model's constants are all ≥ 0 (a term whose least-squares coefficient comes out
 * negative is dropped and the rest refitted; the JSON says which), so the model stays a valid
 * {@link CostModel}; the error reported is the error of exactly the model returned.
 */
public final class Calibration {
    /** Topic the probe writes; 16 partitions, the partitioners scenario's topic shape. */
    static final String TOPIC = "calibrate";
    static final int PARTITIONS = 16;
    /** Requests outstanding on the connection when pipelined: the producer's max.in.flight default. */
    static final int IN_FLIGHT = 5;
    /** A coefficient this close below 0 is rounding error of an exact zero, not a negative cost. */
    private static final double NEGLIGIBLE = 1e-9;
    static final String[] TERMS = {"perRequestUs", "perBatchUs", "perByteNs", "perRecordUs"};
    /** The shape of the real client's one-record request, whose bare round trip the client term is measured against. */
    static final Shape ONE_RECORD = new Shape(1, 1, 100, (short) -1);

    /**
     * One measured shape: {@code serviceUs} the median gap between answers when pipelined (the fit's
     * observation), {@code meanServiceUs} the pipelined elapsed time per request (stalls included),
     * {@code roundTripUs} the median serial round trip.
     */
    record Point(int round, Shape shape, int requestBytes, double serviceUs, double meanServiceUs, double roundTripUs) {
        double[] row(boolean perRecord) {
            double kb = requestBytes / 1000.0;
            return perRecord ? new double[] {1, shape.partitions(), kb, shape.partitions() * shape.recordsPerBatch()}
                    : new double[] {1, shape.partitions(), kb};
        }
    }

    /** The fitted model, its JSON form with the fit's error, the points. */
    record Result(CostModel model, Fitted fitted, List<Point> points, String broker) {
    }

    /**
     * The {@code fitted} object of calibrate.json and of {@code bench partitioners --json} (keys in this order): the
     * broker, the model's terms (three decimals), the fit's error, the round trips, the client fits (only when the
     * client was probed), the terms dropped as negative, the mean residual by shape, and two alternative fits.
     */
    record Fitted(String broker, @JsonUnwrapped CostModel model, double rSquared, double rmsResidualUs,
                  double meanServiceUs, int points, String observations, Double clientRoundTripUs, Double bareRoundTripUs,
                  Double clientRoundTripExcessUs, @JsonInclude(JsonInclude.Include.NON_NULL) ClientCalibration.Figures client,
                  @JsonInclude(JsonInclude.Include.NON_NULL) ClientCalibration.Figures clientWallExcess,
                  List<String> droppedNegativeTerms, Map<String, Double> residualsByShape, TermFit withoutPerRecordTerm,
                  MeanTermFit fitOfMeanServiceTimes) {
    }

    /** The three terms of the original model alone, fitted to the same service times. */
    record TermFit(double perRequestUs, double perBatchUs, double perByteNs, double rSquared, double rmsResidualUs,
                   Map<String, Double> residualsByShape) {
    }

    /** The three terms fitted to the mean time per request, and how much larger the means are than the medians. */
    record MeanTermFit(double perRequestUs, double perBatchUs, double perByteNs, double rSquared, double rmsResidualUs,
                       double meanOverMedianService) {
    }

    private Calibration() {
    }

    /** The shapes of a run: the full grid, or a small one that still determines every term (quick). */
    static List<Shape> shapes(boolean quick) {
        List<Shape> s = new ArrayList<>();
        int[] partitions = quick ? new int[] {1, 4} : new int[] {1, 2, 4, 8, 16};
        int[] records = quick ? new int[] {1, 8} : new int[] {1, 8, 64};
        int[] values = quick ? new int[] {10, 100} : new int[] {10, 100, 1000};
        for (int p : partitions) {
            for (int r : records) {
                for (int v : values) {
                    s.add(new Shape(p, r, v, (short) -1));
                }
            }
            s.add(new Shape(p, 1, 100, (short) 1));
        }
        return s;
    }

    static Result run(BrokerUnderTest broker, boolean quick, long seed, Progress progress) throws IOException {
        List<Shape> shapes = shapes(quick);
        int rounds = quick ? 1 : 3;
        int serial = quick ? 3 : 40;
        int pipelined = quick ? 10 : 400;
        Steps step = new Steps("calibrate", rounds + (quick ? 0 : 1) + 3, progress);
        List<Point> points = new ArrayList<>();
        List<double[]> gaps = new ArrayList<>();
        try (ProduceProbe probe = ProduceProbe.open(broker, TOPIC, PARTITIONS)) {
            if (!quick) {
                for (Shape s : shapes) {
                    probe.measure(s, 10, 50, IN_FLIGHT);
                }
                step.done("warm-up pass over " + shapes.size() + " shapes (not reported)");
            }
            Random random = new Random(seed);
            for (int round = 1; round <= rounds; round++) {
                List<Shape> order = new ArrayList<>(shapes);
                Collections.shuffle(order, random); // so drift in the machine's load does not line up with a term
                for (Shape s : order) {
                    ProduceProbe.Result r = probe.measure(s, serial, pipelined, IN_FLIGHT);
                    points.add(new Point(round, s, r.requestBytes(), r.pipelinedMedianGapUs(), r.pipelinedUsPerRequest(),
                            r.serialMedianUs()));
                    gaps.add(r.pipelinedGapsUs());
                }
                step.done(String.format(Locale.ROOT, "round %d: %d shapes on %s", round, shapes.size(), broker.target()));
            }
        }
        // The client's share: the real KafkaProducer's round trip of one record vs the bare request's.
        double clientRoundTrip = PacedKafkaProducerRun.serialRoundTripUs(broker.bootstrap(), TOPIC, quick ? 2 : 100,
                quick ? 5 : 400);
        step.done(String.format(Locale.ROOT, "KafkaProducer round trip of one record: %.0f µs (median)", clientRoundTrip));
        List<ClientCalibration.Point> clientPoints = measureClient(broker, rounds, quick, random(seed));
        step.done(String.format(Locale.ROOT, "KafkaProducer sender time: %d shapes × %d rounds",
                ClientCalibration.shapes(quick).size(), rounds));
        Result result = fit(points, broker.description(), clientRoundTrip, clientPoints, ServiceStalls.fit(gaps));
        step.done(String.format(Locale.ROOT, "fit: %s", brief(result.model(), result.fitted())));
        return result;
    }

    private static Random random(long seed) {
        return new Random(seed ^ 0x5DEECE66DL);
    }

    /**
     * The real client's sender time per request of each client shape, in rounds of a random order after a
     * warm-up pass (the client's code is JIT-compiled by then, as in a long-running producer).
     */
    static List<ClientCalibration.Point> measureClient(BrokerUnderTest broker, int rounds, boolean quick, Random random) {
        List<int[]> shapes = ClientCalibration.shapes(quick);
        int warmup = quick ? 1 : 20;
        int flushes = quick ? 3 : 200;
        List<ClientCalibration.Point> points = new ArrayList<>();
        try (ClientCostProbe probe = ClientCostProbe.open(broker.bootstrap(), TOPIC)) {
            for (int[] s : shapes) {
                probe.measure(s[0], s[1], ClientCalibration.VALUE_BYTES, warmup, quick ? 1 : 100);
            }
            for (int round = 1; round <= rounds; round++) {
                List<int[]> order = new ArrayList<>(shapes);
                Collections.shuffle(order, random);
                for (int[] s : order) {
                    ClientCostProbe.Result r = probe.measure(s[0], s[1], ClientCalibration.VALUE_BYTES, warmup, flushes);
                    points.add(new ClientCalibration.Point(round, s[0], s[1], r.cpuUsPerRequest(), r.wallUsPerRequest(),
                            r.requestsPerFlush()));
                }
            }
        }
        return points;
    }

    /** Fits the model to measured points, without a client term (also used on synthetic points in tests). */
    static Result fit(List<Point> points, String broker) {
        return fit(points, broker, Double.NaN);
    }

    /**
     * Fits the model to measured points; {@code clientRoundTripUs} (NaN: not measured) is the real client's
     * median round trip of a one-record request, whose excess over the bare request's (the points of shape
     * 1 partition × 1 record × 100 B, acks=all) becomes {@code clientPerRequestUs}.
     */
    static Result fit(List<Point> measured, String broker, double clientRoundTripUs) {
        return fit(measured, broker, clientRoundTripUs, List.of());
    }

    /**
     * Fits the model to measured points; the client's terms are fitted to {@code client} (the sender's CPU time
     * per request of controlled shapes) when it is not empty, else {@code clientPerRequestUs} is the round-trip
     * excess of {@link #fit(List, String, double)}.
     */
    static Result fit(List<Point> measured, String broker, double clientRoundTripUs, List<ClientCalibration.Point> client) {
        return fit(measured, broker, clientRoundTripUs, client, null);
    }

    /**
     * As above, with the service-time tail the pipelined gaps showed ({@link ServiceStalls#fit}; null: none), which
     * the model takes as its stall term.
     */
    static Result fit(List<Point> measured, String broker, double clientRoundTripUs, List<ClientCalibration.Point> client,
                      ServiceStalls stalls) {
        // One observation per shape, the median over its rounds: a round spoilt by the machine's load moves
        // no shape's observation unless it spoils most rounds.
        List<Point> points = medianPerShape(measured);
        double[] service = points.stream().mapToDouble(Point::serviceUs).toArray();
        boolean[] used = {true, true, true, true};
        LeastSquares.Fit fit;
        List<String> dropped = new ArrayList<>();
        while (true) {
            List<double[]> rows = new ArrayList<>();
            for (Point p : points) {
                rows.add(LeastSquares.select(p.row(true), used));
            }
            try {
                fit = LeastSquares.fit(rows, service);
            } catch (IllegalArgumentException collinear) {
                if (!used[3]) {
                    throw collinear;
                }
                // shapes that cannot tell records from bytes (one value size): the three-term model
                used[3] = false;
                dropped.add(TERMS[3] + " (not determined by these shapes)");
                continue;
            }
            int negative = LeastSquares.firstNegative(fit.coefficients(), used, NEGLIGIBLE);
            if (negative < 0) {
                break;
            }
            used[negative] = false;
            dropped.add(TERMS[negative]);
        }
        double[] c = LeastSquares.expand(fit.coefficients(), used);
        double[] outside = points.stream().mapToDouble(p -> (p.roundTripUs() - p.serviceUs()) / 2).toArray();
        double oneWay = Math.max(0, Medians.median(outside));
        double bareRoundTrip = Medians.median(points.stream().filter(p -> p.shape().equals(ONE_RECORD))
                .mapToDouble(Point::roundTripUs).toArray());
        double excess = Double.isNaN(clientRoundTripUs) || Double.isNaN(bareRoundTrip) ? 0
                : Math.max(0, clientRoundTripUs - bareRoundTrip);
        CostModel model = new CostModel(oneWay, c[0], c[1], c[2], excess, c[3]).withStalls(stalls);
        ClientCalibration.Fit clientFit = null;
        ClientCalibration.Fit wallFit = null;
        if (!client.isEmpty()) {
            clientFit = ClientCalibration.fit(client, ClientCalibration.Point::cpuUs,
                    "the KafkaProducer sender thread's CPU time per request, µs");
            model = model.withClientCost(clientFit.perRequestUs(), clientFit.perBatchUs(), clientFit.perRecordUs());
            wallFit = ClientCalibration.wallExcessFit(points, client);
        }

        // What the per-record term buys: the three terms of the original model alone.
        LeastSquares.Fit f3 = LeastSquares.fit(points.stream().map(p -> p.row(false)).toList(), service);
        TermFit threeTerms = new TermFit(Measurement.round(f3.coefficients()[0], 2),
                Measurement.round(f3.coefficients()[1], 3), Measurement.round(f3.coefficients()[2], 3),
                Measurement.round(f3.rSquared(), 4), Measurement.round(f3.rmsResidual(), 2),
                residualsBy(points, f3.residuals()));
        // The same three terms fitted to the mean time per request (stalls of the loaded machine included).
        LeastSquares.Fit fm = LeastSquares.fit(points.stream().map(p -> p.row(false)).toList(),
                points.stream().mapToDouble(Point::meanServiceUs).toArray());
        MeanTermFit ofMeans = new MeanTermFit(Measurement.round(fm.coefficients()[0], 2),
                Measurement.round(fm.coefficients()[1], 3), Measurement.round(fm.coefficients()[2], 3),
                Measurement.round(fm.rSquared(), 4), Measurement.round(fm.rmsResidual(), 2),
                Measurement.round(LeastSquares.mean(points.stream().mapToDouble(Point::meanServiceUs).toArray())
                        / LeastSquares.mean(service), 3));
        Fitted fitted = new Fitted(broker, rounded(model), Measurement.round(fit.rSquared(), 4),
                Measurement.round(fit.rmsResidual(), 2), Measurement.round(LeastSquares.mean(service), 2),
                measured.size(), points.size() + " (per shape, the median over its rounds)",
                Double.isNaN(clientRoundTripUs) ? null : Measurement.round(clientRoundTripUs, 1),
                Double.isNaN(bareRoundTrip) ? null : Measurement.round(bareRoundTrip, 1),
                Double.isNaN(clientRoundTripUs) ? null : Measurement.round(excess, 1),
                clientFit == null ? null : clientFit.json(), wallFit == null ? null : wallFit.json(), dropped,
                residualsBy(points, fit.residuals()), threeTerms, ofMeans);
        return new Result(model, fitted, measured, broker);
    }

    /** Per shape (in first-seen order), a point with the median of each figure over the shape's rounds. */
    static List<Point> medianPerShape(List<Point> points) {
        Map<Shape, List<Point>> byShape = new LinkedHashMap<>();
        for (Point p : points) {
            byShape.computeIfAbsent(p.shape(), k -> new ArrayList<>()).add(p);
        }
        List<Point> out = new ArrayList<>();
        byShape.forEach((shape, ps) -> out.add(new Point(0, shape, ps.get(0).requestBytes(),
                Medians.median(ps.stream().mapToDouble(Point::serviceUs).toArray()),
                Medians.median(ps.stream().mapToDouble(Point::meanServiceUs).toArray()),
                Medians.median(ps.stream().mapToDouble(Point::roundTripUs).toArray()))));
        return out;
    }

    /** Mean residual (µs) of the points grouped by partitions per request and by acks: where the model is biased. */
    private static Map<String, Double> residualsBy(List<Point> points, double[] residuals) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            Shape s = points.get(i).shape();
            for (String key : List.of("partitions=" + s.partitions(), "recordsPerBatch=" + s.recordsPerBatch(),
                    "valueBytes=" + s.valueBytes(), "acks=" + s.acks())) {
                double[] acc = sums.computeIfAbsent(key, k -> new double[2]);
                acc[0] += residuals[i];
                acc[1]++;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        sums.forEach((k, v) -> m.put(k, Measurement.round(v[0] / v[1], 2)));
        return m;
    }

    /** The model as {@code fitted} shows it: every term to three decimals. */
    private static CostModel rounded(CostModel m) {
        return new CostModel(Measurement.round(m.oneWayLatencyUs(), 3), Measurement.round(m.perRequestUs(), 3),
                Measurement.round(m.perBatchUs(), 3), Measurement.round(m.perByteNs(), 3),
                Measurement.round(m.clientPerRequestUs(), 3), Measurement.round(m.perRecordUs(), 3),
                Measurement.round(m.clientPerBatchUs(), 3), Measurement.round(m.clientPerRecordUs(), 3), m.stalls());
    }

    static String brief(CostModel m, Fitted fitted) {
        return String.format(Locale.ROOT, "perRequestUs %.1f, perBatchUs %.2f, perByteNs %.2f, perRecordUs %.3f, "
                        + "oneWayLatencyUs %.1f, clientPerRequestUs %.1f, clientPerBatchUs %.2f, clientPerRecordUs %.3f "
                        + "(R² %s, RMS residual %s µs)", m.perRequestUs(),
                m.perBatchUs(), m.perByteNs(), m.perRecordUs(), m.oneWayLatencyUs(), m.clientPerRequestUs(),
                m.clientPerBatchUs(), m.clientPerRecordUs(), fitted.rSquared(), fitted.rmsResidualUs())
                + (m.stalls() == null ? "" : String.format(Locale.ROOT, "; stalls: %.1f per second, %.2f %% of gaps "
                        + "(> %.0f× median), mean length %.0f µs", m.stalls().perSecond(), 100 * m.stalls().share(),
                m.stalls().thresholdOverMedian(), m.stalls().meanExcessUs()));
    }

    /**
     * The fitted model in a {@code calibrate.json} (its {@code fitted} object), for {@code bench partitioners
     * --calibration FILE}. Throws {@link IllegalArgumentException} naming the file and the problem.
     */
    static CostModel read(Path file) throws IOException {
        Map<?, ?> f = readFitted(file);
        double[] v = new double[8];
        String[] names = {"oneWayLatencyUs", "perRequestUs", "perBatchUs", "perByteNs", "clientPerRequestUs",
            "perRecordUs", "clientPerBatchUs", "clientPerRecordUs"};
        for (int i = 0; i < names.length; i++) {
            if (i >= 4 && f.get(names[i]) == null) {
                continue; // a calibration from before these terms: a free producer, no per-record cost
            }
            if (!(f.get(names[i]) instanceof Number n)) {
                throw new IllegalArgumentException(file + ": fitted." + names[i] + " is missing or not a number");
            }
            v[i] = n.doubleValue();
        }
        try {
            // a calibration from before the stall term has none: the model without stalls
            ServiceStalls stalls = f.get("stalls") == null ? null : ServiceStalls.fromJson(f.get("stalls"));
            return new CostModel(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], stalls);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** The {@code fitted} object of a calibrate.json, as parsed. */
    static Map<?, ?> readFitted(Path file) throws IOException {
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (Json.ParseException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> root) || !(root.get("fitted") instanceof Map<?, ?> f)) {
            throw new IllegalArgumentException(file + " has no \"fitted\" object (write one with 'deliverycheck bench calibrate')");
        }
        return f;
    }
}
