package dev.deliverycheck.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeastSquaresTest {
    /** y = 150 + 15 p + 20 kb on a grid: recovered exactly, R² = 1, no residual. */
    @Test
    void recoversKnownConstantsFromExactData() {
        List<double[]> rows = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int p : new int[] {1, 2, 4, 8, 16}) {
            for (double kb : new double[] {0.1, 1, 10, 100}) {
                rows.add(new double[] {1, p, kb});
                y.add(150 + 15.0 * p + 20 * kb);
            }
        }
        LeastSquares.Fit f = LeastSquares.fit(rows, y.stream().mapToDouble(Double::doubleValue).toArray());

        assertThat(f.coefficients()[0]).isCloseTo(150, within(1e-6));
        assertThat(f.coefficients()[1]).isCloseTo(15, within(1e-6));
        assertThat(f.coefficients()[2]).isCloseTo(20, within(1e-6));
        assertThat(f.rSquared()).isCloseTo(1, within(1e-9));
        assertThat(f.rmsResidual()).isCloseTo(0, within(1e-6));
        assertThat(f.predict(new double[] {1, 3, 2})).isCloseTo(150 + 45 + 40, within(1e-6));
    }

    /** With Gaussian noise of σ = 5 the estimates stay close, and the RMS residual estimates σ. */
    @Test
    void noisyDataGivesCloseEstimatesAndAnHonestError() {
        Random random = new Random(7);
        List<double[]> rows = new ArrayList<>();
        double[] y = new double[400];
        for (int i = 0; i < y.length; i++) {
            int p = 1 + random.nextInt(16);
            double kb = random.nextDouble() * 50;
            rows.add(new double[] {1, p, kb});
            y[i] = 200 + 10.0 * p + 30 * kb + random.nextGaussian() * 5;
        }
        LeastSquares.Fit f = LeastSquares.fit(rows, y);

        assertThat(f.coefficients()[0]).isCloseTo(200, within(2.0));
        assertThat(f.coefficients()[1]).isCloseTo(10, within(0.2));
        assertThat(f.coefficients()[2]).isCloseTo(30, within(0.1));
        assertThat(f.rmsResidual()).isCloseTo(5, within(0.6));
        assertThat(f.rSquared()).isBetween(0.99, 1.0);
        assertThat(f.residuals()).hasSize(400);
    }

    /** A constant model of scattered data explains nothing: R² = 0. */
    @Test
    void interceptOnlyFitIsTheMeanWithZeroRSquared() {
        LeastSquares.Fit f = LeastSquares.fit(List.of(new double[] {1}, new double[] {1}, new double[] {1}),
                new double[] {1, 2, 6});

        assertThat(f.coefficients()[0]).isCloseTo(3, within(1e-12));
        assertThat(f.rSquared()).isCloseTo(0, within(1e-12));
    }

    @Test
    void collinearRegressorsAndTooFewRowsAreRefused() {
        List<double[]> collinear = List.of(new double[] {1, 2, 4}, new double[] {1, 3, 6}, new double[] {1, 5, 10},
                new double[] {1, 7, 14});
        assertThatThrownBy(() -> LeastSquares.fit(collinear, new double[] {1, 2, 3, 4}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("collinear");
        assertThatThrownBy(() -> LeastSquares.fit(List.of(new double[] {1, 2}), new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot determine");
        assertThatThrownBy(() -> LeastSquares.fit(List.of(new double[] {1, 2}), new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("observations");
    }

    /** Pivoting: a zero in the first pivot position is not mistaken for singularity. */
    @Test
    void solvesASystemThatNeedsRowExchanges() {
        double[][] a = {{0, 1, 3}, {2, 0, 4}};
        double[] b = LeastSquares.solve(a);

        assertThat(b[0]).isCloseTo(2, within(1e-12));
        assertThat(b[1]).isCloseTo(3, within(1e-12));
    }
}
