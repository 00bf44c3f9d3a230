package dev.deliverycheck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deliverycheck.json.Json;
import dev.deliverycheck.wire.bench.ProduceProbe.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClientCalibrationTest {
    /** Client points made by known client terms, with Gaussian noise on the CPU time and a wall time beside it. */
    private static List<ClientCalibration.Point> synthetic(double perRequest, double perBatch, double perRecord,
                                                           double noiseUs, int rounds, long seed) {
        Random random = new Random(seed);
        List<ClientCalibration.Point> points = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int[] s : ClientCalibration.shapes(false)) {
                double cpu = perRequest + perBatch * s[0] + perRecord * s[0] * s[1] + random.nextGaussian() * noiseUs;
                points.add(new ClientCalibration.Point(round, s[0], s[1], cpu, 1000 + 3 * cpu, 1.0));
            }
        }
        return points;
    }

    @Test
    void theFitRecoversTheClientTermsThatMadeThePoints() {
        ClientCalibration.Fit f = ClientCalibration.fit(synthetic(80, 6, 0.4, 0, 1, 1), ClientCalibration.Point::cpuUs, "cpu");

        assertThat(f.perRequestUs()).isCloseTo(80, within(1e-6));
        assertThat(f.perBatchUs()).isCloseTo(6, within(1e-6));
        assertThat(f.perRecordUs()).isCloseTo(0.4, within(1e-6));
        assertThat(f.json().rSquared()).isEqualTo(1.0);
        assertThat(f.json().rmsResidualUs()).isEqualTo(0.0);
        assertThat(f.json().droppedNegativeTerms()).isEmpty();
        assertThat(f.json().byShape()).hasSize(15);
    }

    @Test
    void noisyRoundsGiveAnErrorOfTheNoisesSizeAndTermsNearTheTruth() {
        // the median of 3 rounds has a smaller spread than one round's noise, but the same order
        ClientCalibration.Fit f = ClientCalibration.fit(synthetic(80, 6, 0.4, 10, 3, 2), ClientCalibration.Point::cpuUs,
                "cpu");

        assertThat(f.json().rmsResidualUs()).isBetween(2.0, 12.0);
        assertThat(f.perRequestUs()).isCloseTo(80, within(10.0));
        assertThat(f.perBatchUs()).isCloseTo(6, within(2.0));
        assertThat(f.perRecordUs()).isCloseTo(0.4, within(0.1));
        assertThat(f.json().points()).isEqualTo(45);
    }

    @Test
    void aSpoiltRoundDoesNotMoveTheFit() {
        List<ClientCalibration.Point> points = new ArrayList<>();
        for (ClientCalibration.Point p : synthetic(80, 6, 0.4, 0, 3, 1)) {
            double f = p.round() == 3 ? 20 : 1;
            points.add(new ClientCalibration.Point(p.round(), p.partitions(), p.recordsPerBatch(), p.cpuUs() * f,
                    p.wallUs() * f, 1.0));
        }
        ClientCalibration.Fit f = ClientCalibration.fit(points, ClientCalibration.Point::cpuUs, "cpu");

        assertThat(f.perBatchUs()).isCloseTo(6, within(1e-6));
    }

    @Test
    void aNegativeTermIsDroppedAndTheOthersRefitted() {
        // time falls with records per request: least squares would give clientPerRecordUs < 0
        ClientCalibration.Fit f = ClientCalibration.fit(synthetic(80, 6, -0.02, 0, 1, 1), ClientCalibration.Point::cpuUs,
                "cpu");

        assertThat(f.json().droppedNegativeTerms().get(0)).isEqualTo("clientPerRecordUs");
        assertThat(f.perRecordUs()).isZero();
        assertThat(f.perRequestUs()).isPositive();
        assertThat(f.perBatchUs()).isGreaterThanOrEqualTo(0);
        assertThat(f.json().rSquared()).isLessThan(1.0);
    }

    /** The wall-time fit subtracts the bare request's round trip of the same shape before fitting. */
    @Test
    void theWallExcessFitSubtractsTheBareRoundTripOfEachShape() throws Exception {
        List<Calibration.Point> bare = new ArrayList<>();
        for (int[] s : ClientCalibration.shapes(false)) {
            double rtt = 300 + 20 * s[0] + s[0] * s[1];
            bare.add(new Calibration.Point(0, new Shape(s[0], s[1], ClientCalibration.VALUE_BYTES, (short) -1), 100, 1, 1,
                    rtt));
        }
        List<ClientCalibration.Point> client = new ArrayList<>();
        for (Calibration.Point b : bare) {
            int p = b.shape().partitions();
            int r = b.shape().recordsPerBatch();
            client.add(new ClientCalibration.Point(1, p, r, 1, b.roundTripUs() + 200 + 9 * p + 0.5 * p * r, 1));
        }
        ClientCalibration.Fit f = ClientCalibration.wallExcessFit(bare, client);

        assertThat(f.perRequestUs()).isCloseTo(200, within(1e-6));
        assertThat(f.perBatchUs()).isCloseTo(9, within(1e-6));
        assertThat(f.perRecordUs()).isCloseTo(0.5, within(1e-6));
        CostModel m = ClientCalibration.withClientWallExcess(new CostModel(10, 100, 10, 1), f.json());
        assertThat(m.clientPerRequestUs()).isEqualTo(200.0);
        assertThat(m.clientPerBatchUs()).isEqualTo(9.0);
        assertThat(m.perRequestUs()).isEqualTo(100.0);
        assertThat(ClientCalibration.withClientWallExcess(m, (ClientCalibration.Figures) null)).isNull();
        // the same from a calibrate.json's fitted object, as written and parsed back
        JsonNode written = Json.MAPPER.readTree(Json.write(Map.of("clientWallExcess", f.json())));
        assertThat(ClientCalibration.withClientWallExcess(new CostModel(10, 100, 10, 1), written)).isEqualTo(m);
        assertThat(ClientCalibration.withClientWallExcess(m, Json.MAPPER.readTree("{}"))).isNull();
        // a client shape the broker probe never sent bare: no excess can be formed
        assertThat(ClientCalibration.wallExcessFit(bare.subList(1, bare.size()), client)).isNull();
    }
}
