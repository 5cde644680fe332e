package dev.bonsai.reports.model;

import dev.bonsai.reports.stats.ConfidenceInterval;
import dev.bonsai.reports.stats.TestResult;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * How every report writes its numbers, as plain text that a renderer escapes for its format: fixed decimals,
 * parameter counts, target sparsities, differences, confidence intervals and p-values.
 */
public final class ReportNumbers {
    /** What a report shows where there is no value. */
    public static final String NONE = "–";

    private ReportNumbers() {
    }

    /** {@code value} with {@code places} decimals; {@code NaN}, {@code ∞} and {@code -∞} for non-finite values. */
    public static String fixed(double value, int places) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "-∞";
        }
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }

    /** As {@link #fixed}, with a {@code +} before a positive value: a difference. */
    public static String signed(double value, int places) {
        String text = fixed(value, places);
        return value > 0 ? "+" + text : text;
    }

    /** {@code [lower, upper]} with {@code places} decimals, or {@link #NONE} when the interval is undefined. */
    public static String interval(ConfidenceInterval ci, int places) {
        return ci.defined() ? "[" + fixed(ci.lower(), places) + ", " + fixed(ci.upper(), places) + "]" : NONE;
    }

    /** A count rounded to a whole number with thousands separators: {@code 266,610}. */
    public static String count(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(value));
    }

    /**
     * A target sparsity in percent, as exact as it was given: {@code 0.95} → {@code 95%}, {@code 0.995} →
     * {@code 99.5%}.
     */
    public static String percent(double sparsity) {
        if (!Double.isFinite(sparsity)) {
            return Double.toString(sparsity);
        }
        return new BigDecimal(Double.toString(sparsity)).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /**
     * A p-value with 4 decimals, {@code <0.0001} below that, {@code ≈} before one from an approximation, and
     * {@link #NONE} when the test is undefined.
     */
    public static String pValue(TestResult test) {
        if (!test.defined()) {
            return NONE;
        }
        double p = test.pValue();
        String text = p < 0.0001 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
        return test.exact() ? text : "≈" + text;
    }

    /** {@code n} and the noun, plural unless {@code n} is 1: {@code 1 trial}, {@code 14 trials}. */
    public static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
