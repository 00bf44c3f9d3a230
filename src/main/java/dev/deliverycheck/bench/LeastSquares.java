package dev.deliverycheck.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Ordinary least squares by the normal equations: for rows {@code x_i} (the regressors, an intercept column
 * included by the caller if wanted) and observations {@code y_i}, the coefficients {@code b} minimising
 * {@code Σ (y_i − x_i·b)²} solve {@code (XᵀX) b = Xᵀy}, solved here by Gaussian elimination with partial
 * pivoting. Small systems only (a handful of regressors), which is all the cost model needs.
 *
 * <p>Invariant: a {@link Fit} is returned only for a well-posed problem (at least as many rows as
 * regressors, {@code XᵀX} not singular); otherwise an {@link IllegalArgumentException} says which.
 */
public final class LeastSquares {
    /** Relative pivot size below which XᵀX counts as singular (collinear regressors). */
    private static final double SINGULAR = 1e-12;

    private LeastSquares() {
    }

    /**
     * A fit and its error.
     *
     * @param coefficients one per regressor, in the regressors' order
     * @param rSquared     1 − SS_res / SS_tot (the share of y's variance explained; 1 when y is constant and
     *                     fitted exactly)
     * @param rmsResidual  √(SS_res / n), in y's unit
     * @param residuals    y_i − ŷ_i, in the rows' order
     */
    public record Fit(double[] coefficients, double rSquared, double rmsResidual, double[] residuals) {
        public double predict(double[] row) {
            double s = 0;
            for (int j = 0; j < row.length; j++) {
                s += row[j] * coefficients[j];
            }
            return s;
        }
    }

    public static Fit fit(List<double[]> rows, double[] y) {
        int n = rows.size();
        if (n != y.length) {
            throw new IllegalArgumentException(n + " rows but " + y.length + " observations");
        }
        if (n == 0) {
            throw new IllegalArgumentException("no observations");
        }
        int k = rows.get(0).length;
        if (n < k) {
            throw new IllegalArgumentException(n + " observations cannot determine " + k + " coefficients");
        }
        double[][] a = new double[k][k + 1]; // XᵀX | Xᵀy
        for (int i = 0; i < n; i++) {
            double[] x = rows.get(i);
            if (x.length != k) {
                throw new IllegalArgumentException("row " + i + " has " + x.length + " regressors, row 0 has " + k);
            }
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    a[r][c] += x[r] * x[c];
                }
                a[r][k] += x[r] * y[i];
            }
        }
        double[] b = solve(a);
        double mean = Arrays.stream(y).average().orElse(0);
        double ssRes = 0;
        double ssTot = 0;
        double[] residuals = new double[n];
        for (int i = 0; i < n; i++) {
            double predicted = 0;
            for (int j = 0; j < k; j++) {
                predicted += rows.get(i)[j] * b[j];
            }
            residuals[i] = y[i] - predicted;
            ssRes += residuals[i] * residuals[i];
            ssTot += (y[i] - mean) * (y[i] - mean);
        }
        double r2 = ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot;
        return new Fit(b, r2, Math.sqrt(ssRes / n), residuals);
    }

    /** Solves the augmented k × (k+1) system in place; throws if it is singular. */
    static double[] solve(double[][] a) {
        int k = a.length;
        double scale = 0;
        for (double[] row : a) {
            for (int c = 0; c < k; c++) {
                scale = Math.max(scale, Math.abs(row[c]));
            }
        }
        for (int col = 0; col < k; col++) {
            int pivot = col;
            for (int r = col + 1; r < k; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot][col]) <= SINGULAR * scale) {
                throw new IllegalArgumentException("the regressors are collinear (column " + col + " is a combination of the others)");
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = col + 1; r < k; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c <= k; c++) {
                    a[r][c] -= f * a[col][c];
                }
            }
        }
        double[] b = new double[k];
        for (int r = k - 1; r >= 0; r--) {
            double s = a[r][k];
            for (int c = r + 1; c < k; c++) {
                s -= a[r][c] * b[c];
            }
            b[r] = s / a[r][r];
        }
        return b;
    }

    /*
     * Term selection for fits that drop a regressor whose coefficient comes out negative (a cost
     * cannot be negative): {@code used[t]} says whether term t is still in the fit.
     */

    /** The entries of {@code row} whose terms are still used. */
    static double[] select(double[] row, boolean[] used) {
        double[] out = new double[countTrue(used)];
        int j = 0;
        for (int t = 0; t < used.length; t++) {
            if (used[t]) {
                out[j++] = row[t];
            }
        }
        return out;
    }

    /** The first used term whose coefficient is below {@code -tolerance}, or -1. */
    static int firstNegative(double[] coefficients, boolean[] used, double tolerance) {
        int j = 0;
        for (int t = 0; t < used.length; t++) {
            if (used[t]) {
                if (coefficients[j] < -tolerance) {
                    return t;
                }
                j++;
            }
        }
        return -1;
    }

    /** One coefficient per term, 0 for a dropped term and at least 0 for the others. */
    static double[] expand(double[] coefficients, boolean[] used) {
        double[] out = new double[used.length];
        int j = 0;
        for (int t = 0; t < used.length; t++) {
            out[t] = used[t] ? Math.max(0, coefficients[j++]) : 0;
        }
        return out;
    }

    private static int countTrue(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }

    /** The arithmetic mean, 0 for no values. */
    static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return xs.length == 0 ? 0 : s / xs.length;
    }
}
