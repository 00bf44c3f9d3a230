package dev.deliverycheck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.deliverycheck.json.Json;
import dev.deliverycheck.wire.bench.ProduceProbe.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrationTest {
    @TempDir
    Path dir;

    /** Points made by a known model (service and round trip), the way the probe would measure them. */
    private static List<Calibration.Point> synthetic(CostModel truth, double noiseUs, long seed) {
        Random random = new Random(seed);
        List<Calibration.Point> points = new ArrayList<>();
        for (Shape s : Calibration.shapes(false)) {
            int bytes = 60 + s.partitions() * (70 + s.recordsPerBatch() * (s.valueBytes() + 20));
            double service = truth.perRequestUs() + truth.perBatchUs() * s.partitions() + truth.perByteNs() * bytes / 1000.0
                    + random.nextGaussian() * noiseUs;
            points.add(new Calibration.Point(1, s, bytes, service, service, service + 2 * truth.oneWayLatencyUs()));
        }
        return points;
    }

    @Test
    void fitRecoversTheConstantsThatMadeThePoints() {
        CostModel truth = new CostModel(40, 120, 12, 3);
        Calibration.Result r = Calibration.fit(synthetic(truth, 0, 1), "synthetic");

        assertThat(r.model().perRequestUs()).isCloseTo(120, within(1e-6));
        assertThat(r.model().perBatchUs()).isCloseTo(12, within(1e-6));
        assertThat(r.model().perByteNs()).isCloseTo(3, within(1e-6));
        assertThat(r.model().oneWayLatencyUs()).isCloseTo(40, within(1e-6));
        assertThat(r.fitted().rSquared()).isEqualTo(1.0);
        assertThat(r.fitted().droppedNegativeTerms()).isEmpty();
        assertThat(r.model().perRecordUs()).isCloseTo(0, within(1e-6));
        @SuppressWarnings("unchecked")
        Calibration.TermFit three = r.fitted().withoutPerRecordTerm();
        assertThat(three.rSquared()).isEqualTo(1.0);
    }

    /** A broker that charges per record: the fit finds that term and the three-term fit does worse. */
    @Test
    void aPerRecordCostIsFoundAndItsAbsenceShowsInTheThreeTermFit() {
        List<Calibration.Point> points = new ArrayList<>();
        for (Calibration.Point p : synthetic(new CostModel(40, 120, 12, 3), 0, 1)) {
            double extra = 0.8 * p.shape().partitions() * p.shape().recordsPerBatch();
            points.add(new Calibration.Point(1, p.shape(), p.requestBytes(), p.serviceUs() + extra,
                    p.meanServiceUs() + extra, p.roundTripUs() + extra));
        }
        Calibration.Result r = Calibration.fit(points, "synthetic");

        assertThat(r.model().perRecordUs()).isCloseTo(0.8, within(1e-6));
        assertThat(r.model().perBatchUs()).isCloseTo(12, within(1e-6));
        assertThat(r.fitted().rSquared()).isEqualTo(1.0);
        @SuppressWarnings("unchecked")
        Calibration.TermFit three = r.fitted().withoutPerRecordTerm();
        assertThat(three.rSquared()).isLessThan(1.0);
    }

    /** The client term is the real client's round trip beyond the bare one-record request's (never negative). */
    @Test
    void theClientTermIsTheClientsRoundTripBeyondTheBareRequests() {
        CostModel truth = new CostModel(40, 120, 12, 3);
        List<Calibration.Point> points = synthetic(truth, 0, 1);
        double bare = points.stream().filter(p -> p.shape().equals(Calibration.ONE_RECORD))
                .mapToDouble(Calibration.Point::roundTripUs).findFirst().orElseThrow();

        Calibration.Result r = Calibration.fit(points, "synthetic", bare + 250);
        assertThat(r.model().clientPerRequestUs()).isCloseTo(250, within(1e-6));
        assertThat(r.fitted().model().clientPerRequestUs()).isCloseTo(250, within(1e-3));
        assertThat(Calibration.fit(points, "synthetic", bare - 10).model().clientPerRequestUs()).isZero();
        assertThat(Calibration.fit(points, "synthetic").model().clientPerRequestUs()).isZero();
    }

    /** With the client probe's points the client terms are their least-squares fit, and a calibrate.json keeps them. */
    @Test
    void theClientTermsAreFittedToTheSenderTimesAndReadBack() throws IOException {
        List<Calibration.Point> points = synthetic(new CostModel(40, 120, 12, 3), 0, 1);
        List<ClientCalibration.Point> client = new ArrayList<>();
        for (int[] s : ClientCalibration.shapes(false)) {
            client.add(new ClientCalibration.Point(1, s[0], s[1], 70 + 5 * s[0] + 0.25 * s[0] * s[1], 2000, 1));
        }
        Calibration.Result r = Calibration.fit(points, "synthetic", 5000, client);

        assertThat(r.model().clientPerRequestUs()).isCloseTo(70, within(1e-6));
        assertThat(r.model().clientPerBatchUs()).isCloseTo(5, within(1e-6));
        assertThat(r.model().clientPerRecordUs()).isCloseTo(0.25, within(1e-6));
        assertThat(r.model().perRequestUs()).as("the broker's terms are untouched").isCloseTo(120, within(1e-6));
        assertThat(r.fitted().client()).isNotNull();
        assertThat(r.fitted().clientRoundTripExcessUs()).isNotNull();
        assertThat(r.fitted().client().rSquared()).isEqualTo(1.0);

        Path file = dir.resolve("with-client.json");
        Files.writeString(file, Json.writePretty(Map.of("fitted", r.fitted())));
        CostModel read = Calibration.read(file);
        assertThat(read.clientPerBatchUs()).isCloseTo(5, within(1e-3));
        assertThat(read.clientPerRecordUs()).isCloseTo(0.25, within(1e-3));
    }

    /** The gaps' tail becomes the model's stall term, is written under fitted.stalls and read back with the model. */
    @Test
    void theStallTermIsFittedIntoTheModelAndReadBack() throws IOException {
        double[] gaps = new double[100];
        java.util.Arrays.fill(gaps, 150);
        gaps[7] = 2150;
        gaps[50] = 650;
        ServiceStalls tail = ServiceStalls.fit(List.of(gaps));
        Calibration.Result r = Calibration.fit(synthetic(new CostModel(40, 120, 12, 3), 0, 1), "synthetic", Double.NaN,
                List.of(), tail);
        assertThat(r.model().stalls()).isEqualTo(tail);
        assertThat(r.model().perRequestUs()).as("the service terms are the median's fit still").isCloseTo(120, within(1e-6));
        assertThat(Calibration.brief(r.model(), r.fitted())).contains("% of gaps").contains("stalls: ");

        Path file = dir.resolve("with-stalls.json");
        Files.writeString(file, Json.writePretty(Map.of("fitted", r.fitted())));
        assertThat(((Map<?, ?>) ((Map<?, ?>) Json.parse(Files.readString(file))).get("fitted")).get("stalls")).isNotNull();
        CostModel read = Calibration.read(file);
        assertThat(read.stalls()).isEqualTo(tail);
        assertThat(read.hasStalls()).isTrue();

        Path without = dir.resolve("without-stalls.json");
        Files.writeString(without, Json.writePretty(Map.of("fitted",
                Calibration.fit(synthetic(new CostModel(40, 120, 12, 3), 0, 1), "synthetic").fitted())));
        assertThat(Files.readString(without)).doesNotContain("stalls");
        assertThat(Calibration.read(without).stalls()).as("a calibration without a tail: no stall term").isNull();
        Path broken = dir.resolve("broken-stalls.json");
        Files.writeString(broken, "{\"fitted\":{\"oneWayLatencyUs\":1,\"perRequestUs\":2,\"perBatchUs\":3,"
                + "\"perByteNs\":4,\"stalls\":{\"thresholdOverMedian\":2,\"share\":2,\"perSecond\":1,\"excessQuantilesUs\":[1]}}}");
        assertThatThrownBy(() -> Calibration.read(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(broken.toString()).hasMessageContaining("stalls.share");
    }

    /** Three rounds, one of them spoilt (every time × 10): the per-shape median ignores it. */
    @Test
    void aSpoiltRoundDoesNotMoveTheFit() {
        CostModel truth = new CostModel(40, 120, 12, 3);
        List<Calibration.Point> points = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            for (Calibration.Point p : synthetic(truth, 0, 1)) {
                double f = round == 2 ? 10 : 1;
                points.add(new Calibration.Point(round, p.shape(), p.requestBytes(), p.serviceUs() * f,
                        p.meanServiceUs() * f, p.roundTripUs() * f));
            }
        }
        Calibration.Result r = Calibration.fit(points, "synthetic");

        assertThat(r.model().perRequestUs()).isCloseTo(120, within(1e-6));
        assertThat(r.model().perBatchUs()).isCloseTo(12, within(1e-6));
        assertThat(r.fitted().points()).isEqualTo(points.size());
        assertThat(r.points()).hasSize(points.size());
    }

    @Test
    void noisyPointsGiveAnErrorOfTheNoisesSize() {
        Calibration.Result r = Calibration.fit(synthetic(new CostModel(40, 120, 12, 3), 10, 2), "synthetic");

        assertThat(r.fitted().rmsResidualUs()).isBetween(7.0, 13.0);
        assertThat(r.model().perBatchUs()).isCloseTo(12, within(2.0));
    }

    /** A per-batch cost of zero plus noise can fit negative: the term is dropped, the model stays valid. */
    @Test
    void aNegativeCoefficientIsDroppedAndTheRestRefitted() {
        List<Calibration.Point> points = new ArrayList<>();
        for (Shape s : Calibration.shapes(false)) {
            int bytes = s.partitions() * s.recordsPerBatch() * (s.valueBytes() + 20);
            // service falls slightly with partitions: least squares would say perBatchUs < 0
            double service = 200 - 2.0 * s.partitions() + 5 * bytes / 1000.0;
            points.add(new Calibration.Point(1, s, bytes, service, service, 300));
        }
        Calibration.Result r = Calibration.fit(points, "synthetic");

        // per-batch goes first; without it the per-record term may take the falling part and go too
        List<?> dropped = r.fitted().droppedNegativeTerms();
        assertThat(dropped.get(0)).isEqualTo("perBatchUs");
        assertThat(r.model().perRecordUs()).isGreaterThanOrEqualTo(0);
        assertThat(r.model().perBatchUs()).isZero();
        assertThat(r.model().perRequestUs()).isPositive();
        assertThat(r.model().perByteNs()).isPositive();
    }

    @Test
    void readTakesTheFittedModelOfACalibrateJsonAndNamesWhatIsWrongOtherwise() throws IOException {
        Calibration.Result r = Calibration.fit(synthetic(new CostModel(40, 120, 12, 3), 0, 1), "synthetic");
        Path good = dir.resolve("calibrate.json");
        Files.writeString(good, Json.writePretty(Map.of("scenario", "calibrate", "fitted", r.fitted())));

        CostModel read = Calibration.read(good);
        assertThat(read.perRequestUs()).isCloseTo(120, within(0.01));
        assertThat(read.perBatchUs()).isCloseTo(12, within(0.01));
        Path older = dir.resolve("older.json");
        Files.writeString(older, "{\"fitted\":{\"oneWayLatencyUs\":1,\"perRequestUs\":2,\"perBatchUs\":3,\"perByteNs\":4}}");
        assertThat(Calibration.read(older).clientPerRequestUs()).as("a file from before the client term").isZero();

        Path noFit = dir.resolve("nofit.json");
        Files.writeString(noFit, "{\"scenario\":\"partitioners\"}");
        assertThatThrownBy(() -> Calibration.read(noFit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no \"fitted\"");
        Path notJson = dir.resolve("broken.json");
        Files.writeString(notJson, "{fitted:");
        assertThatThrownBy(() -> Calibration.read(notJson)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        Path missing = dir.resolve("missing.json");
        Files.writeString(missing, "{\"fitted\":{\"perRequestUs\":1,\"perBatchUs\":1,\"perByteNs\":1}}");
        assertThatThrownBy(() -> Calibration.read(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fitted.oneWayLatencyUs");
    }
}
