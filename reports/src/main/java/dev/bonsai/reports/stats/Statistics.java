package dev.bonsai.reports.stats;

import java.util.Collection;

/**
 * Mean and sample standard deviation. NaN values propagate (a NaN among the values gives a NaN result) so a
 * broken measurement is visible rather than silently dropped.
 */
public final class Statistics {
    private Statistics() {
    }

    /**
     * The arithmetic mean; NaN for no values. Computed as the first value plus the compensated mean of the
     * differences from it, so the mean of equal values is exactly that value.
     */
    public static double mean(double... values) {
        int n = values.length;
        if (n == 0) {
            return Double.NaN;
        }
        double plain = 0;
        for (double v : values) {
            plain += v;
        }
        if (!Double.isFinite(plain)) {
            return plain / n; // NaN or an infinity propagates
        }
        double reference = values[0];
        double sum = 0;
        double compensation = 0;
        for (double v : values) {
            double d = v - reference;
            double t = sum + d;
            compensation += Math.abs(sum) >= Math.abs(d) ? (sum - t) + d : (d - t) + sum; // Neumaier
            sum = t;
        }
        return reference + (sum + compensation) / n;
    }

    /** The sample standard deviation (divisor {@code n - 1}); NaN for fewer than two values. */
    public static double sampleStd(double... values) {
        int n = values.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mean = mean(values);
        double squares = 0;
        double deviations = 0;
        for (double v : values) {
            double d = v - mean;
            squares += d * d;
            deviations += d;
        }
        // two-pass with correction term (Chan, Golub & LeVeque): removes the rounding error of the mean
        double variance = (squares - deviations * deviations / n) / (n - 1);
        return Math.sqrt(Math.max(variance, 0));
    }

    /** The values of a collection as an array. */
    public static double[] toArray(Collection<? extends Number> values) {
        double[] a = new double[values.size()];
        int i = 0;
        for (Number v : values) {
            a[i++] = v.doubleValue();
        }
        return a;
    }
}
